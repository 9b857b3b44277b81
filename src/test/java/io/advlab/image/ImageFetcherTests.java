package io.advlab.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.advlab.support.ImageServer;
import io.advlab.support.TestImages;
import io.advlab.problem.ApiException;
import io.advlab.problem.ProblemType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The SSRF guard and fetch limits against a real local HTTP server. */
class ImageFetcherTests {

  private static final byte[] IMAGE = TestImages.encode(TestImages.quadrants(40, 20), "png");
  private static ImageServer server;

  @BeforeAll
  static void start() {
    server = new ImageServer(IMAGE);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ImageFetcher fetcher(List<String> allowedHosts) {
    return fetcher(allowedHosts, Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  private static ImageFetcher fetcher(List<String> allowedHosts, Duration readTimeout, Duration deadline) {
    return new ImageFetcher(new ImageProperties(DataSize.ofMegabytes(1), 40_000_000L, 120_000_000L, Duration.ofSeconds(10),
        new ImageProperties.Url(Duration.ofSeconds(2), readTimeout, deadline, 3, allowedHosts, "advlab-test")));
  }

  @Test
  void fetchesFromAnAllowListedHost() {
    assertThat(fetcher(List.of("127.0.0.1")).fetch(server.url("/image.png"))).isEqualTo(IMAGE);
    assertThat(fetcher(List.of("localhost")).fetch(server.localhostUrl("/octet"))).isEqualTo(IMAGE);
    assertThat(new ImageLoader(new ImageProperties(DataSize.ofMegabytes(1), 1000L, 120_000_000L, Duration.ofSeconds(10),
        new ImageProperties.Url(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5), 3,
            List.of("127.0.0.1"), "advlab-test"))).fromUrl(server.url("/image.png")).getWidth()).isEqualTo(40);
  }

  @Test
  void theConnectionGoesToTheVettedAddressWithoutASecondLookup() throws Exception {
    // "rebind.test" exists only in this scripted resolver, which answers loopback once and then a
    // different address: the fetch succeeds only if the client connects to the first answer.
    java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
    java.net.InetAddress loopback = java.net.InetAddress.getByName("127.0.0.1");
    java.net.InetAddress other = java.net.InetAddress.getByName("192.0.2.1");
    ImageFetcher fetcher = new ImageFetcher(new ImageProperties(DataSize.ofMegabytes(1), 40_000_000L, 120_000_000L, Duration.ofSeconds(10),
        new ImageProperties.Url(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5), 3,
            List.of("rebind.test"), "advlab-test")),
        host -> new java.net.InetAddress[] {lookups.getAndIncrement() == 0 ? loopback : other});
    assertThat(fetcher.fetch("http://rebind.test:" + server.port() + "/image.png")).isEqualTo(IMAGE);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void everyResolvedAddressMustBePublic() throws Exception {
    java.net.InetAddress[] mixed = {java.net.InetAddress.getByName("8.8.8.8"), java.net.InetAddress.getByName("10.1.2.3")};
    ImageFetcher fetcher = new ImageFetcher(new ImageProperties(DataSize.ofMegabytes(1), 40_000_000L, 120_000_000L, Duration.ofSeconds(10),
        new ImageProperties.Url(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2), 3, List.of(),
            "advlab-test")), host -> mixed.clone());
    assertProblem(() -> fetcher.fetch("http://images.example.com/x.png"), ProblemType.URL_NOT_ALLOWED);
  }

  @Test
  void loopbackIsBlockedWithoutAnAllowList() {
    ImageFetcher fetcher = fetcher(List.of());
    assertProblem(() -> fetcher.fetch(server.url("/image.png")), ProblemType.URL_NOT_ALLOWED);
    assertProblem(() -> fetcher.fetch(server.localhostUrl("/image.png")), ProblemType.URL_NOT_ALLOWED);
    assertProblem(() -> fetcher.fetch("http://[::1]:" + server.port() + "/image.png"), ProblemType.URL_NOT_ALLOWED);
    assertProblem(() -> fetcher.fetch("http://0.0.0.0:" + server.port() + "/image.png"), ProblemType.URL_NOT_ALLOWED);
    assertProblem(() -> fetcher.fetch("http://2130706433:" + server.port() + "/image.png"), ProblemType.URL_NOT_ALLOWED);
  }

  @Test
  void internalAddressesAreBlockedEvenWithAnAllowListForOtherHosts() {
    ImageFetcher fetcher = fetcher(List.of("127.0.0.1", "localhost"));
    assertProblem(() -> fetcher.fetch("http://169.254.169.254/latest/meta-data/"), ProblemType.URL_NOT_ALLOWED);
    assertProblem(() -> fetcher.fetch("http://[::ffff:127.0.0.1]:" + server.port() + "/image.png"), ProblemType.URL_NOT_ALLOWED);
    assertProblem(() -> fetcher.fetch("http://[::ffff:a9fe:a9fe]/latest/meta-data/"), ProblemType.URL_NOT_ALLOWED);
    assertProblem(() -> fetcher.fetch("http://10.0.0.1/x.png"), ProblemType.URL_NOT_ALLOWED);
    assertProblem(() -> fetcher.fetch("http://[fd00::1]/x.png"), ProblemType.URL_NOT_ALLOWED);
    assertProblem(() -> fetcher.fetch("http://127.0.0.2:" + server.port() + "/image.png"), ProblemType.URL_NOT_ALLOWED);
  }

  @Test
  void blockedProblemsNameTheFieldButNoAddress() {
    assertThatThrownBy(() -> fetcher(List.of()).fetch("http://localhost:" + server.port() + "/image.png"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.properties()).containsEntry("field", "url");
          assertThat(e.getMessage()).doesNotContain("127.0.0.1").contains("allowed-hosts");
        });
  }

  @Test
  void redirectsAreVettedAgain() {
    ImageFetcher fetcher = fetcher(List.of("localhost"));
    assertThat(fetcher.fetch(server.localhostUrl("/redirect?to=/image.png"))).isEqualTo(IMAGE);
    assertProblem(() -> fetcher.fetch(server.localhostUrl("/redirect?to=" + encode(server.url("/image.png")))),
        ProblemType.URL_NOT_ALLOWED);
    assertProblem(() -> fetcher.fetch(server.localhostUrl("/redirect?to=" + encode("http://169.254.169.254/latest/meta-data/"))),
        ProblemType.URL_NOT_ALLOWED);
    assertProblem(() -> fetcher.fetch(server.localhostUrl("/redirect?to=" + encode("file:///etc/passwd"))),
        ProblemType.URL_NOT_ALLOWED);
  }

  @Test
  void atMostThreeRedirectsAreFollowed() {
    ImageFetcher fetcher = fetcher(List.of("127.0.0.1"));
    assertThat(fetcher.fetch(server.url("/chain/3"))).isEqualTo(IMAGE);
    assertProblem(() -> fetcher.fetch(server.url("/chain/4")), ProblemType.URL_FETCH_FAILED);
    assertProblem(() -> fetcher.fetch(server.url("/loop")), ProblemType.URL_FETCH_FAILED);
  }

  @Test
  void onlyHttpAndHttpsUrlsAreAccepted() {
    ImageFetcher fetcher = fetcher(List.of("127.0.0.1"));
    for (String url : new String[] {"ftp://127.0.0.1/x.png", "file:///etc/passwd", "gopher://127.0.0.1/",
        "jar:http://127.0.0.1/x!/y", "http://", "not a url", "//127.0.0.1/x.png", "http://user:pw@127.0.0.1/x.png"}) {
      assertThatThrownBy(() -> fetcher.fetch(url)).as(url).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(e.type()).isEqualTo(ProblemType.INVALID_REQUEST);
        assertThat(e.properties()).containsEntry("field", "url");
      });
    }
  }

  @Test
  void bodiesOverTheCapAreRefused() {
    ImageFetcher fetcher = fetcher(List.of("127.0.0.1"));
    long overCap = DataSize.ofMegabytes(1).toBytes() + 1;
    assertProblem(() -> fetcher.fetch(server.url("/huge?bytes=" + overCap)), ProblemType.IMAGE_TOO_LARGE);
    assertProblem(() -> fetcher.fetch(server.url("/huge-declared?bytes=" + overCap)), ProblemType.IMAGE_TOO_LARGE);
    assertThat(fetcher.fetch(server.url("/huge?bytes=" + (overCap - 1)))).hasSize((int) overCap - 1);
  }

  @Test
  void nonImageContentTypesAndErrorsAreRefused() {
    ImageFetcher fetcher = fetcher(List.of("127.0.0.1"));
    assertProblem(() -> fetcher.fetch(server.url("/html")), ProblemType.UNSUPPORTED_IMAGE);
    assertProblem(() -> fetcher.fetch(server.url("/missing")), ProblemType.URL_FETCH_FAILED);
    assertProblem(() -> fetcher.fetch("http://no-such-host.invalid/x.png"), ProblemType.URL_FETCH_FAILED);
  }

  @Test
  void unreachableAndSlowHostsFailInsteadOfHanging() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    ImageFetcher fetcher = fetcher(List.of("127.0.0.1"), Duration.ofMillis(300), Duration.ofSeconds(1));
    assertProblem(() -> fetcher.fetch("http://127.0.0.1:" + closedPort + "/x.png"), ProblemType.URL_FETCH_FAILED);
    assertThatThrownBy(() -> fetcher.fetch(server.url("/slow?ms=2000")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains("300 ms"));
    assertThatThrownBy(() -> fetcher.fetch(server.url("/drip")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.type()).isEqualTo(ProblemType.URL_FETCH_FAILED);
          assertThat(e.getMessage()).contains("longer than 1000 ms");
        });
  }

  private static void assertProblem(ThrowingCallable call, ProblemType type) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.type()).as(e.getMessage()).isEqualTo(type);
      assertThat(e.properties()).containsEntry("field", "url");
    });
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
