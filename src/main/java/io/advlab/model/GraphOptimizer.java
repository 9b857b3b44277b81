package io.advlab.model;

/**
 * TorchScript's graph executor optimizer, off for every network the process loads unless the
 * operator set DJL's {@code ai.djl.pytorch.graph_optimizer}: DJL then turns it off on the thread of
 * every forward pass, the {@link TorchThread} (the switch is thread-local in libtorch, so setting it
 * once on some other thread would do nothing). With it on, the profiling executor rewrites the graph
 * after warm-up runs and re-specializes it whenever requires_grad flips (fine-tuning flips it
 * between crafting and updating). On an H100 a bare DJL PGD-10 loop on resnet18 took 62-64 ms with
 * it and 47.7 ms without, plain PyTorch 46.1 ms (bench/gpu/BareLoop.java); in the service, and on
 * the 2-core CPU, the difference stayed within the machines' noise.
 */
public final class GraphOptimizer {

  /** DJL's switch, read by its TorchScript blocks at every forward pass. */
  static final String PROPERTY = "ai.djl.pytorch.graph_optimizer";

  private GraphOptimizer() {}

  /** Before loading a network: off, unless the operator already chose. */
  public static void offUnlessSet() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "false");
    }
  }
}
