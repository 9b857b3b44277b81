package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.advlab.model.TorchThread;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * DeepFool with its state on the device (here the CPU engine) against the same attack with its
 * state in the JVM, iteration by iteration, fed the same logits and gradients: the 8-bit images
 * must be the same bit for bit, with and without EOT draws, for either norm, alone and stepped
 * together with other iterates in one pass, since the host loop is what the accuracy figures were
 * checked with.
 */
class DeepFoolIterateTests {

  private static final Shape SHAPE = new Shape(3, 16, 16);
  private static final int SIZE = (int) SHAPE.size();
  private static final int CLASSES = 10;
  private static final int SOURCE = 3;

  @Test
  void iterationsOnTheDeviceGiveTheHostLoopsImagesBitForBit() {
    Random random = new Random(5);
    for (String norm : List.of("l2", "linf")) {
      for (int draws : new int[] {1, 3}) {
        float[] x = image(random);
        DeepFoolAttack host = attack(x, norm, false);
        DeepFoolAttack device = attack(x, norm, true);
        for (int iteration = 0; iteration < 8; iteration++) {
          List<GradientRow> hostRows = host.next();
          List<GradientRow> deviceRows = device.next();
          assertThat(deviceRows).hasSameSizeAs(hostRows).allMatch(r -> r.input() == null);
          Step step = Step.random(random, hostRows.size(), draws, 0.01 * (iteration + 1));
          List<float[]> points = pass(List.of((DeepFoolIterate) deviceRows.get(0).iterate()), List.of(step));
          assertThat(points.get(0)).as("%s, %d draws, point of iteration %d", norm, draws, iteration)
              .isEqualTo(hostRows.get(0).input());
          host.accept(step.hostResults());
          device.accept(step.deviceResults());
          assertThat(device.iterations()).isEqualTo(host.iterations()).isEqualTo(iteration + 1);
          assertThat(device.adversarial()).as("%s, %d draws, after iteration %d", norm, draws, iteration)
              .isEqualTo(host.adversarial());
        }
        assertThat(Pixels.l2(Pixels.sub(device.adversarial(), x))).as("it moved").isGreaterThan(0);
        device.release();
        assertThat(device.adversarial()).isEqualTo(host.adversarial());
      }
    }
  }

  @Test
  void iteratesSteppedTogetherGetWhatEachGetsAlone() {
    Random random = new Random(9);
    String[] norms = {"l2", "linf", "l2", "linf"};
    int[] draws = {1, 1, 2, 3};
    List<DeepFoolAttack> together = new ArrayList<>();
    List<DeepFoolAttack> alone = new ArrayList<>();
    for (String norm : norms) {
      float[] x = image(random);
      together.add(attack(x, norm, true));
      alone.add(attack(x, norm, true));
    }
    for (int iteration = 0; iteration < 5; iteration++) {
      List<Step> steps = new ArrayList<>();
      for (int i = 0; i < norms.length; i++) {
        int candidates = together.get(i).next().size();
        alone.get(i).next();
        steps.add(Step.random(random, candidates, draws[i], 0.02));
      }
      List<DeepFoolIterate> iterates = together.stream().map(DeepFoolIterateTests::iterate).toList();
      List<float[]> batched = pass(iterates, steps);
      for (int i = 0; i < norms.length; i++) {
        assertThat(batched.get(i)).isEqualTo(pass(List.of(iterate(alone.get(i))), List.of(steps.get(i))).get(0));
        together.get(i).accept(steps.get(i).deviceResults());
        alone.get(i).accept(steps.get(i).deviceResults());
        assertThat(together.get(i).adversarial()).as("iterate %d after iteration %d", i, iteration)
            .isEqualTo(alone.get(i).adversarial());
      }
    }
    together.forEach(DeepFoolAttack::release);
    alone.forEach(DeepFoolAttack::release);
  }

  @Test
  void anAdversarialPointTakesNoStepAndNoNormalEndsTheAttackAsOnTheHost() {
    Random random = new Random(13);
    float[] x = image(random);
    DeepFoolAttack host = attack(x, "l2", false);
    DeepFoolAttack device = attack(x, "l2", true);
    int candidates = device.next().size();
    host.next();
    Step adversarial = Step.random(random, candidates, 1, 0.05).withTop((SOURCE + 1) % CLASSES);
    pass(List.of(iterate(device)), List.of(adversarial));
    host.accept(adversarial.hostResults());
    device.accept(adversarial.deviceResults());
    assertThat(device.iterations()).isEqualTo(host.iterations()).isZero();
    assertThat(device.next()).isEqualTo(host.next()).isEmpty();
    assertThat(device.adversarial()).isEqualTo(host.adversarial()).isEqualTo(Pixels.quantize(x));

    DeepFoolAttack stuck = attack(x, "linf", true);
    DeepFoolAttack stuckHost = attack(x, "linf", false);
    stuck.next();
    stuckHost.next();
    Step flat = Step.random(random, candidates, 1, 0).withoutGradients();
    pass(List.of(iterate(stuck)), List.of(flat));
    stuck.accept(flat.deviceResults());
    stuckHost.accept(flat.hostResults());
    assertThat(stuck.iterations()).isEqualTo(stuckHost.iterations()).isZero();
    assertThat(stuck.next()).isEqualTo(stuckHost.next()).isEmpty();
    device.release();
    stuck.release();
  }

  @Test
  void aReleasedIterateKeepsItsImageAndAPassThatStillHoldsItTakesNoStep() {
    Random random = new Random(17);
    DeepFoolAttack device = attack(image(random), "l2", true);
    int candidates = device.next().size();
    Step step = Step.random(random, candidates, 1, 0.05);
    pass(List.of(iterate(device)), List.of(step));
    device.accept(step.deviceResults());
    float[] before = device.adversarial();
    device.release();
    assertThat(device.adversarial()).isEqualTo(before);
    assertThat(pass(List.of(iterate(device)), List.of(Step.random(random, candidates, 1, 0.05))).get(0))
        .isEqualTo(before);
    assertThat(device.adversarial()).isEqualTo(before);
  }

  /**
   * One iteration's fabricated network answers: per candidate and draw, logits (the source on top
   * unless {@link #withTop}) and a gradient.
   */
  private record Step(int candidates, int draws, List<float[]> logits, List<float[]> gradients) {

    static Step random(Random random, int candidates, int draws, double margin) {
      List<float[]> logits = new ArrayList<>();
      List<float[]> gradients = new ArrayList<>();
      float[][] perDraw = new float[draws][];
      for (int t = 0; t < draws; t++) {
        perDraw[t] = new float[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
          perDraw[t][c] = (float) random.nextGaussian();
        }
        perDraw[t][SOURCE] = 4 + (float) (margin * random.nextDouble());
      }
      for (int j = 0; j < candidates; j++) {
        double size = Math.pow(10, -random.nextInt(4));
        for (int t = 0; t < draws; t++) {
          logits.add(perDraw[t]);
          float[] g = new float[SIZE];
          for (int i = 0; i < SIZE; i++) {
            g[i] = i % 11 == 0 ? 0f : (float) (random.nextGaussian() * size);
          }
          gradients.add(g);
        }
      }
      return new Step(candidates, draws, logits, gradients);
    }

    /** The same step with {@code top} above the source in every draw: the point is adversarial. */
    Step withTop(int top) {
      List<float[]> raised = logits.stream().map(l -> {
        float[] copy = l.clone();
        copy[top] = copy[SOURCE] + 1;
        return copy;
      }).toList();
      return new Step(candidates, draws, raised, gradients);
    }

    /** The same step with every gradient zero: no candidate has a normal. */
    Step withoutGradients() {
      return new Step(candidates, draws, logits, gradients.stream().map(g -> new float[g.length]).toList());
    }

    /** What a host attack's rows get: each candidate's mean over its draws ({@link Eot#fold}). */
    List<GradientResult> hostResults() {
      List<GradientResult> out = new ArrayList<>();
      for (int j = 0; j < candidates; j++) {
        List<float[]> l = logits.subList(j * draws, (j + 1) * draws);
        List<float[]> g = gradients.subList(j * draws, (j + 1) * draws);
        out.add(new GradientResult(Eot.mean(l), Eot.mean(g)));
      }
      return out;
    }

    /** What rows on the device get: the mean logits, no gradient. */
    List<GradientResult> deviceResults() {
      return hostResults().stream().map(r -> new GradientResult(r.logits(), null)).toList();
    }
  }

  /**
   * What a pass does with DeepFool rows: evaluates each iterate's point, then steps them all with
   * their rows' logits and gradients; returns the points evaluated.
   */
  private static List<float[]> pass(List<DeepFoolIterate> iterates, List<Step> steps) {
    return TorchThread.get(() -> {
      try (NDManager pass = NDManager.newBaseManager()) {
        List<float[]> points = new ArrayList<>();
        List<DeepFoolIterate.Evaluated> evaluated = new ArrayList<>();
        for (int i = 0; i < iterates.size(); i++) {
          points.add(iterates.get(i).point(pass, SHAPE).toFloatArray());
          List<NDArray> g = new ArrayList<>();
          steps.get(i).gradients().forEach(v -> g.add(pass.create(v, SHAPE)));
          evaluated.add(new DeepFoolIterate.Evaluated(iterates.get(i), steps.get(i).logits(), g));
        }
        DeepFoolIterate.stepAll(evaluated);
        return points;
      }
    });
  }

  private static DeepFoolAttack attack(float[] x, String norm, boolean onDevice) {
    float[] logits = new float[CLASSES];
    for (int c = 0; c < CLASSES; c++) {
      logits[c] = c == SOURCE ? 5 : c * 0.1f;
    }
    AttackContext context = new AttackContext(x, logits, SOURCE, null, CLASSES, onDevice);
    return (DeepFoolAttack) PgdAttackTests.prepare("deepfool", new ModelShape(CLASSES, SIZE), Map.of("norm", norm))
        .factory().apply(context);
  }

  /** The iterate behind a device attack's rows. */
  private static DeepFoolIterate iterate(DeepFoolAttack attack) {
    return (DeepFoolIterate) attack.next().get(0).iterate();
  }

  private static float[] image(Random random) {
    return LinfIterateTests.image(random);
  }
}
