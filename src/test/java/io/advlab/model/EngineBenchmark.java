package io.advlab.model;

import ai.djl.inference.Predictor;
import ai.djl.pytorch.jni.JniUtils;
import io.advlab.attack.InProcessAttacks;
import io.advlab.peer.PythonPeer;
import io.advlab.support.Medians;
import io.advlab.support.TestRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The engines alone: DJL's libtorch 2.5.1 (the service's own load path and {@link TorchThread})
 * next to plain PyTorch ({@code bench/peer/engine.py}, Debian's python3-torch) on the same
 * TorchScript file and threads, with no advlab code between the passes. Not a test: run
 * {@code bench/run.sh engine [model] [rounds] [passes]}.
 *
 * <p>Why: {@code bench/run.sh peer} found advlab's attack loop as fast as a bare DJL loop and the
 * peer faster than both, so what separates advlab from the peer there is the engine; this says by
 * how much and in which operators. Two figures, a batch-1 forward pass as a classification runs it
 * (the inference instance, a predictor on the torch thread) and a batch-1 forward+backward to the
 * input as an attack step runs it (the gradient instance); each round times both sides one right
 * after the other, the first side alternating, since this machine drifts by a tenth over a minute.
 * Then one profiled figure per side and pass, with PyTorch's profiler on in both processes, gives
 * each operator's self time per pass.
 */
public final class EngineBenchmark {

  private static final int WARM_UP_PASSES = 15;
  /** Operators shown in the profile table: the largest on either side. */
  private static final int OPS_SHOWN = 14;

  private EngineBenchmark() {}

  public static void main(String[] args) throws Exception {
    String modelName = args.length > 0 ? args[0] : "resnet18-untrained";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    int passes = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    String missing = PythonPeer.missing();
    if (missing != null) {
      System.err.println("Skipped: the plain-PyTorch peer needs " + PythonPeer.PYTHON + " with torch and the peer's"
          + " modules (" + missing + "). Install: " + PythonPeer.INSTALL);
      System.exit(2);
    }
    try (ClassifierModel model = TestModels.load(modelName)) {
      int threads = TorchThread.get(JniUtils::getNumThreads);
      Passes djl = new Passes(model);
      PythonPeer peer = new PythonPeer(TestRequirements.sharedModel(modelName), threads, 0);
      try (PythonPeer.Session python = peer.engineSession()) {
        System.out.printf(Locale.ROOT, "model %s, %d cores; DJL %s, libtorch %s, intra-op threads %d; peer %s;"
            + " %d rounds of %d batch-1 passes per side and figure (medians)%n", modelName,
            Runtime.getRuntime().availableProcessors(), ai.djl.engine.Engine.getDjlVersion(),
            ai.djl.engine.Engine.getEngine("PyTorch").getVersion(),
            threads, python.settings(), rounds, passes);
        for (String kind : List.of("fwd", "fb")) {
          djl.median(kind, WARM_UP_PASSES);
          ask(python, kind + " " + WARM_UP_PASSES, kind);
        }
        for (String kind : List.of("fwd", "fb")) {
          double[] ours = new double[rounds];
          double[] theirs = new double[rounds];
          for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
              ours[r] = djl.median(kind, passes);
              theirs[r] = ask(python, kind + " " + passes, kind);
            } else {
              theirs[r] = ask(python, kind + " " + passes, kind);
              ours[r] = djl.median(kind, passes);
            }
          }
          double a = Medians.of(ours);
          double p = Medians.of(theirs);
          System.out.printf(Locale.ROOT, "%-26s DJL %7.2f ms  PyTorch %7.2f ms  DJL/PyTorch %.2f   rounds DJL %s"
              + " PyTorch %s%n", label(kind), a, p, a / p, list(ours), list(theirs));
        }
        for (String kind : List.of("fwd", "fb")) {
          Path ourTrace = Files.createTempFile("advlab-engine-djl", ".json");
          Path theirTrace = Files.createTempFile("advlab-engine-peer", ".json");
          try {
            // a first profiled pass on each side, thrown away: the profiler's first passes are slower
            djl.profiled(kind, 1, ourTrace);
            ask(python, "prof " + kind + " 1 " + theirTrace, kind);
            double ours = djl.profiled(kind, passes, ourTrace);
            double theirs = ask(python, "prof " + kind + " " + passes + " " + theirTrace, kind);
            table(kind, OpProfile.read(ourTrace, passes + 1), ours, OpProfile.read(theirTrace, passes + 1), theirs);
          } finally {
            Files.deleteIfExists(ourTrace);
            Files.deleteIfExists(theirTrace);
          }
        }
      }
    }
  }

  private static String label(String kind) {
    return kind.equals("fwd") ? "forward, batch 1" : "forward+backward, batch 1";
  }

  private static double ask(PythonPeer.Session python, String command, String kind) throws Exception {
    return Double.parseDouble(PythonPeer.Session.values(python.ask(command, kind)).get("ms"));
  }

  /** The largest operators by self time on either side, in ms per pass, with the profiled passes' wall time. */
  private static void table(String kind, OpProfile ours, double oursWall, OpProfile theirs, double theirsWall) {
    System.out.printf(Locale.ROOT, "%nprofiled %s (self ms per pass; profiler on, so slower than above):%n",
        label(kind));
    System.out.printf(Locale.ROOT, "  %-62s %8s %8s %6s%n", "operator", "DJL", "PyTorch", "ratio");
    Set<String> names = new LinkedHashSet<>(ours.selfMsPerPass().keySet());
    names.addAll(theirs.selfMsPerPass().keySet());
    List<String> ops = names.stream()
        .sorted(Comparator.comparingDouble((String op) -> Math.max(ours.self(op), theirs.self(op))).reversed())
        .limit(OPS_SHOWN).toList();
    double shownOurs = 0;
    double shownTheirs = 0;
    for (String op : ops) {
      shownOurs += ours.self(op);
      shownTheirs += theirs.self(op);
      System.out.printf(Locale.ROOT, "  %-62s %8.3f %8.3f %6s%n", op.length() > 62 ? op.substring(0, 62) : op,
          ours.self(op), theirs.self(op), ratio(ours.self(op), theirs.self(op)));
    }
    System.out.printf(Locale.ROOT, "  %-62s %8.3f %8.3f %6s%n", "all other operators",
        ours.tracedMsPerPass() - shownOurs, theirs.tracedMsPerPass() - shownTheirs,
        ratio(ours.tracedMsPerPass() - shownOurs, theirs.tracedMsPerPass() - shownTheirs));
    System.out.printf(Locale.ROOT, "  %-62s %8.3f %8.3f %6s%n", "traced (all operators)", ours.tracedMsPerPass(),
        theirs.tracedMsPerPass(), ratio(ours.tracedMsPerPass(), theirs.tracedMsPerPass()));
    System.out.printf(Locale.ROOT, "  %-62s %8.3f %8.3f %6s%n", "wall, median pass", oursWall, theirsWall,
        ratio(oursWall, theirsWall));
  }

  private static String ratio(double a, double b) {
    return b > 0.0005 ? String.format(Locale.ROOT, "%.2f", a / b) : "";
  }

  private static String list(double[] values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.1f", v));
    }
    return s.toString();
  }

  /**
   * DJL's passes on one fixed random image: the forward pass as {@link InferenceBatcher}'s workers
   * run it (a {@link BatchTranslator} predictor on the torch thread) and the forward+backward pass
   * as the gradient scheduler runs one attack step ({@link InProcessAttacks#bareStepMs}).
   */
  private static final class Passes {
    private final ClassifierModel model;
    private final float[] x;

    Passes(ClassifierModel model) {
      this.model = model;
      this.x = new float[model.preprocessing().inputSize()];
      Random random = new Random(1);
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextFloat();
      }
    }

    /**
     * The median milliseconds of {@code passes} passes of {@code kind} ({@code fwd} or {@code fb}),
     * after one unmeasured pass (so a profiled figure traces {@code passes + 1}, as engine.py's does).
     */
    double median(String kind, int passes) throws Exception {
      return kind.equals("fwd") ? forwardMs(passes) : InProcessAttacks.bareStepMs(model, x, passes);
    }

    /** {@link #median} with libtorch's profiler on for these passes, its Chrome trace written to {@code trace}. */
    double profiled(String kind, int passes, Path trace) throws Exception {
      TorchThread.get(() -> {
        JniUtils.startProfile(false, false, false);
        return null;
      });
      try {
        return median(kind, passes);
      } finally {
        TorchThread.get(() -> {
          JniUtils.stopProfile(trace.toString());
          return null;
        });
      }
    }

    /** One unmeasured pass, then {@code passes} timed ones, as {@link InProcessAttacks#bareStepMs} times its own. */
    private double forwardMs(int passes) throws Exception {
      double[] ms = new double[passes];
      try (Predictor<float[][], float[][]> predictor =
          model.inference().newPredictor(new BatchTranslator(model.preprocessing()))) {
        TorchThread.call(() -> predictor.predict(new float[][] {x}));
        for (int i = 0; i < passes; i++) {
          long start = System.nanoTime();
          TorchThread.call(() -> predictor.predict(new float[][] {x}));
          ms[i] = (System.nanoTime() - start) / 1e6;
        }
      }
      return Medians.of(ms);
    }
  }
}
