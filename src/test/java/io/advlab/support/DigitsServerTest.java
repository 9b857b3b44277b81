package io.advlab.support;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for tests against the real service on a random port serving the trained {@code digits}
 * model. Subclasses share one Spring context (and one loaded model).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RequiresSharedModel("digits")
public abstract class DigitsServerTest {

  @LocalServerPort
  protected int port;

  @DynamicPropertySource
  static void digitsModel(DynamicPropertyRegistry registry) {
    registry.add("advlab.model.url", () -> TestRequirements.sharedModel("digits").toString());
    registry.add("advlab.image.url.allowed-hosts", () -> "127.0.0.1,localhost");
  }

  protected HttpApi api() {
    return new HttpApi("http://127.0.0.1:" + port);
  }
}
