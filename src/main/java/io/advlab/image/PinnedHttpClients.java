package io.advlab.image;

import java.net.InetAddress;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP clients that can only connect to addresses already vetted by {@link AddressPolicy}: their
 * DNS resolver answers every lookup with those addresses (no second lookup, so no DNS-rebinding
 * window), and they use no proxy, follow no redirects, retry nothing and keep no cookies.
 */
final class PinnedHttpClients {

  private PinnedHttpClients() {}

  static CloseableHttpClient create(InetAddress[] addresses, ImageProperties.Url config) {
    DnsResolver pinned = new DnsResolver() {
      @Override
      public InetAddress[] resolve(String host) {
        return addresses.clone();
      }

      @Override
      public String resolveCanonicalHostname(String host) {
        return host;
      }
    };
    ConnectionConfig connection = ConnectionConfig.custom()
        .setConnectTimeout(Timeout.of(config.connectTimeout()))
        .setSocketTimeout(Timeout.of(config.readTimeout()))
        .build();
    return HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(pinned).setDefaultConnectionConfig(connection).build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(config.readTimeout())).build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .disableContentCompression()
        .setUserAgent(config.userAgent())
        .build();
  }
}
