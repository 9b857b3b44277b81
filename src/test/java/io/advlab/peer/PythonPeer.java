package io.advlab.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
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
 * a subprocess, its attacks ({@code attacks.py --serve}) and its bare passes ({@code engine.py}) as
 * subprocesses that time one figure per command.
 *
 * @param threads intra-op threads, as advlab uses
 * @param interop inter-op threads, or 0 for PyTorch's default (advlab sets 1 only with explicit threads)
 */
public record PythonPeer(Path model, int threads, int interop) {

  public static final String PYTHON = "/usr/bin/python3";
  public static final String INSTALL =
      "apt-get install -y python3-torch python3-torchvision python3-fastapi python3-uvicorn python3-multipart";
  private static final Path DIR = Path.of("bench", "peer");

  /**
   * The peer on advlab's threads: with {@code advlab.model.threads} set ({@code configured > 0}),
   * that many intra-op threads and one inter-op thread, as advlab's engine then runs; else all cores
   * and PyTorch's default inter-op threads.
   */
  public static PythonPeer onAdvlabThreads(Path model, int configured) {
    return new PythonPeer(model, configured > 0 ? configured : Runtime.getRuntime().availableProcessors(),
        configured > 0 ? 1 : 0);
  }

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
   * Starts {@code attacks.py --serve} on the preprocessed pixels in {@code input} (raw float32 CHW):
   * one process, the model loaded once, answering one figure per {@link AttackSession#run} call, so
   * that the benchmark can alternate the peer's attacks with advlab's.
   */
  AttackSession attackSession(Path input) throws IOException {
    return new AttackSession(session("attacks.py", "--input", input.toAbsolutePath().toString(), "--serve"));
  }

  /**
   * Starts {@code engine.py}: plain PyTorch's forward and forward+backward passes alone, one figure
   * per {@link Session#ask} ({@code fwd N}, {@code fb N}, {@code prof KIND N PATH}).
   */
  public Session engineSession() throws IOException {
    return session("engine.py");
  }

  private Session session(String script, String... args) throws IOException {
    return new Session(script, python(script, args).redirectError(ProcessBuilder.Redirect.INHERIT).start());
  }

  /**
   * A peer script that answers one line per command on stdin ({@code peer WORD ...}, or
   * {@code peer error ...}); its first line is {@code peer settings ...}. Closing it ends the process.
   */
  public static final class Session implements AutoCloseable {
    private final String script;
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final String settings;

    private Session(String script, Process process) throws IOException {
      this.script = script;
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      this.settings = answer("settings").substring("peer settings ".length());
    }

    /** The peer's versions and threads, as its first line says. */
    public String settings() {
      return settings;
    }

    /** Sends {@code command} and returns the answer: the next line that starts with {@code "peer " + word}. */
    public String ask(String command, String word) throws IOException {
      in.write(command + "\n");
      in.flush();
      return answer(word);
    }

    /** The {@code key=value} words of an answer line. */
    public static Map<String, String> values(String line) {
      Map<String, String> values = new LinkedHashMap<>();
      for (String word : line.split(" ")) {
        String[] kv = word.split("=", 2);
        if (kv.length == 2) {
          values.put(kv[0], kv[1]);
        }
      }
      return values;
    }

    private String answer(String word) throws IOException {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("peer error")) {
          throw new IllegalStateException(script + ": " + line);
        }
        if (line.startsWith("peer " + word + " ")) {
          return line;
        }
      }
      throw new IllegalStateException(script + " ended (exit " + waitForExit() + ") before its '" + word + "' line");
    }

    private int waitForExit() {
      try {
        return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    @Override
    public void close() throws IOException, InterruptedException {
      in.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** A running {@code attacks.py --serve}; closing it ends the subprocess. */
  static final class AttackSession implements AutoCloseable {
    private final Session session;

    private AttackSession(Session session) {
      this.session = session;
    }

    /** The peer's versions and threads, as its first line says. */
    String settings() {
      return session.settings();
    }

    /** {@code repeats} attacks of {@code method} on a batch of {@code batch} copies of the image. */
    Figure run(String method, int batch, int repeats) throws IOException {
      Map<String, String> values = Session.values(session.ask(method + " " + batch + " " + repeats, method));
      double[] samples = java.util.Arrays.stream(values.get("samples").split(",")).mapToDouble(Double::parseDouble)
          .toArray();
      return new Figure(Double.parseDouble(values.get("iterations")), samples);
    }

    @Override
    public void close() throws IOException, InterruptedException {
      session.close();
    }
  }

  /**
   * One figure of the peer: the median iterations and every attack's milliseconds per image.
   */
  record Figure(double iterations, double[] msPerImage) {}

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
