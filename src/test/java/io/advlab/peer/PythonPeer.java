package io.advlab.peer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The plain-PyTorch peer in {@code bench/peer}, run with Debian's {@code /usr/bin/python3} (the
 * image's default {@code python3} may be another interpreter without torch): its FastAPI server as
 * a subprocess, and its attack timings read from the lines {@code attacks.py} prints.
 *
 * @param threads intra-op threads, as advlab uses
 * @param interop inter-op threads, or 0 for PyTorch's default (advlab sets 1 only with explicit threads)
 */
public record PythonPeer(Path model, int threads, int interop) {

  public static final String PYTHON = "/usr/bin/python3";
  static final String INSTALL =
      "apt-get install -y python3-torch python3-torchvision python3-fastapi python3-uvicorn python3-multipart";
  private static final Path DIR = Path.of("bench", "peer");

  /** Why the peer cannot run here (a missing interpreter or module), or null when it can. */
  public static String missing() throws InterruptedException {
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import torch, torchvision, fastapi, uvicorn, multipart, numpy, PIL")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor() == 0 ? null : out.lines().reduce((a, b) -> b).orElse("import failed");
    } catch (IOException e) {
      return PYTHON + " not found";
    }
  }

  /** Starts {@code server.py} on a free port of 127.0.0.1 and waits until it listens. */
  Server startServer() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process process = python("server.py", "--port", Integer.toString(port)).inheritIO().start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return new Server(process, port);
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("the peer server did not start on port " + port);
  }

  /** The running peer server; closing it stops the subprocess. */
  record Server(Process process, int port) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /**
   * Runs {@code attacks.py} on the preprocessed pixels in {@code input} (raw float32 CHW) and returns
   * its figures by "method batchN" (e.g. "pgd10 batch1" -> {ms_per_image=..., iterations=...}), plus
   * its settings line under "settings".
   */
  Map<String, Map<String, String>> attacks(Path input, int requests, String methods) throws Exception {
    Process process = python("attacks.py", "--input", input.toAbsolutePath().toString(),
        "--requests", Integer.toString(requests), "--methods", methods)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("attacks.py failed: " + lines);
    }
    Map<String, Map<String, String>> figures = new LinkedHashMap<>();
    for (String line : lines) {
      String[] words = line.split(" ");
      if (words.length > 2 && words[0].equals("peer")) {
        boolean settings = words[1].equals("settings");
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = settings ? 2 : 3; i < words.length; i++) {
          String[] kv = words[i].split("=", 2);
          values.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        figures.put(settings ? "settings" : words[1] + " " + words[2], values);
      }
    }
    return figures;
  }

  private ProcessBuilder python(String script, String... args) {
    List<String> command = new ArrayList<>(List.of(PYTHON, script, "--model", model.toAbsolutePath().toString(),
        "--threads", Integer.toString(threads), "--interop", Integer.toString(interop)));
    command.addAll(List.of(args));
    return withGlibcDefaults(new ProcessBuilder(command).directory(DIR.toFile()));
  }

  /**
   * {@code builder} without the glibc malloc settings advlab runs with (bench/run.sh exports them):
   * the peer is plain PyTorch as a user runs it, with glibc's defaults.
   */
  public static ProcessBuilder withGlibcDefaults(ProcessBuilder builder) {
    builder.environment().keySet().removeIf(name -> name.startsWith("MALLOC_"));
    return builder;
  }
}
