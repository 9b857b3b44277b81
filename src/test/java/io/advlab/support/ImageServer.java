package io.advlab.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local HTTP server on 127.0.0.1 (random port) that plays the misbehaving and well-behaved
 * image hosts the URL tests need:
 * <ul>
 *   <li>{@code /image.png}: the image given to the constructor ({@code image/png});
 *   <li>{@code /octet}: the same image as {@code application/octet-stream};
 *   <li>{@code /redirect?to=URL}: 302 to {@code URL} (relative or absolute);
 *   <li>{@code /chain/N}: N redirects in a row, then the image; {@code /loop}: redirects to itself;
 *   <li>{@code /huge?bytes=N}: N bytes of {@code image/png}, chunked; {@code /huge-declared?bytes=N}
 *       declares them in {@code Content-Length};
 *   <li>{@code /html}: a web page; {@code /missing}: 404;
 *   <li>{@code /slow?ms=N}: waits N ms before answering; {@code /drip}: a byte every 100 ms, forever.
 * </ul>
 */
public final class ImageServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "image-server");
    t.setDaemon(true);
    return t;
  });

  public ImageServer(byte[] image) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    handle("/image.png", ex -> send(ex, 200, "image/png", image));
    handle("/octet", ex -> send(ex, 200, "application/octet-stream", image));
    handle("/redirect", ex -> redirect(ex, query(ex, "to")));
    handle("/chain/", ex -> {
      int n = Integer.parseInt(ex.getRequestURI().getPath().substring("/chain/".length()));
      if (n == 0) {
        send(ex, 200, "image/png", image);
      } else {
        redirect(ex, "/chain/" + (n - 1));
      }
    });
    handle("/loop", ex -> redirect(ex, "/loop"));
    handle("/huge", ex -> huge(ex, Long.parseLong(query(ex, "bytes")), false));
    handle("/huge-declared", ex -> huge(ex, Long.parseLong(query(ex, "bytes")), true));
    handle("/html", ex -> send(ex, 200, "text/html; charset=utf-8", "<html><body>not an image</body></html>".getBytes()));
    handle("/missing", ex -> send(ex, 404, "text/plain", "no".getBytes()));
    handle("/slow", ex -> {
      sleep(Long.parseLong(query(ex, "ms")));
      send(ex, 200, "image/png", image);
    });
    handle("/drip", ex -> {
      ex.getResponseHeaders().set("Content-Type", "image/png");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 600; i++) {
          out.write(image[i % image.length]);
          out.flush();
          sleep(100);
        }
      }
    });
    server.setExecutor(executor);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT} + path. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** {@code http://localhost:PORT} + path. */
  public String localhostUrl(String path) {
    return "http://localhost:" + port() + path;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private void handle(String path, Handler handler) {
    HttpHandler wrapped = exchange -> {
      try {
        handler.handle(exchange);
      } catch (IOException e) {
        // the client hung up (byte cap, deadline): expected
      } finally {
        exchange.close();
      }
    };
    server.createContext(path, wrapped);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(302, -1);
  }

  private static void huge(HttpExchange ex, long bytes, boolean declared) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "image/png");
    ex.sendResponseHeaders(200, declared ? bytes : 0);
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = ex.getResponseBody()) {
      for (long sent = 0; sent < bytes; sent += block.length) {
        out.write(block, 0, (int) Math.min(block.length, bytes - sent));
      }
    }
  }

  private static String query(HttpExchange ex, String name) {
    String query = ex.getRequestURI().getRawQuery();
    for (String pair : query == null ? new String[0] : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    throw new IllegalArgumentException("missing query parameter " + name);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
