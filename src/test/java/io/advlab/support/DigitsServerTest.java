package io.advlab.support;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
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

  /** Models load in the background: wait until the digits model is READY before each test. */
  @BeforeEach
  void digitsReady() {
    TestServer.awaitModels(api(), models -> "READY".equals(TestServer.state(models, "digits", 1)),
        Duration.ofMinutes(2));
  }

  protected HttpApi api() {
    return new HttpApi("http://127.0.0.1:" + port);
  }
}
