package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.advlab.model.TorchThread;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The L∞ iterate on the device (here the CPU engine) against the same iterate kept on the host,
 * step by step on random images and gradients: the 8-bit images must be bitwise equal, since the
 * host loop is what the accuracy figures and the PNGs were checked with; and iterates stepped
 * together in one pass must each get what they get alone.
 */
class LinfIterateTests {

  private static final Shape SHAPE = new Shape(3, 16, 16);
  private static final int SIZE = (int) SHAPE.size();
  private static final double EPS = 8.0 / 255;
  private static final double STEP = 2.0 / 255;

  @Test
  void stepsOnTheDeviceGiveTheHostLoopsImagesBitForBit() {
    Random random = new Random(7);
    for (int trial = 0; trial < 5; trial++) {
      float[] x = image(random);
      float[] start = start(random, x, EPS);
      LinfIterate host = new LinfIterate(x, start.clone(), EPS, STEP);
      LinfIterate device = new LinfIterate(x, start.clone(), EPS, STEP);
      // The first step of an attack without random start comes as a host gradient, before any pass.
      float[] first = gradient(random);
      host.step(first);
      device.step(first);
      device.row(Objective.raiseLoss(0), null);
      for (int step = 0; step < 12; step++) {
        float[] g = gradient(random);
        float[] seen = pass(List.of(device), List.of(g)).get(0);
        assertThat(seen).as("trial %d, iterate before step %d", trial, step).isEqualTo(host.image());
        host.step(g);
        if (step == 6) {
          // A host gradient once the iterate lives on the device still steps it there.
          float[] again = gradient(random);
          host.step(again);
          device.step(again);
        }
        assertThat(device.image()).as("trial %d, after step %d", trial, step).isEqualTo(host.image());
      }
      device.release();
      host.release();
      assertThat(device.image()).isEqualTo(host.image());
    }
  }

  @Test
  void theHostStepIsTheSignStepWithItsDeadbandComparedInDouble() {
    Random random = new Random(11);
    for (int trial = 0; trial < 20; trial++) {
      float[] x = image(random);
      float[] delta = start(random, x, EPS);
      LinfIterate iterate = new LinfIterate(x, delta.clone(), EPS, STEP);
      float[] expected = delta.clone();
      for (int step = 0; step < 6; step++) {
        float[] g = gradient(random);
        // components on, just inside and just outside the deadband, of both signs, and zeros
        double deadband = PgdAttack.SIGN_DEADBAND * Pixels.linf(g);
        float f = (float) deadband;
        float[] near = {f, Math.nextUp(f), Math.nextDown(f), -f, -Math.nextUp(f), -Math.nextDown(f), 0f, -0f};
        for (int i = 0; i < near.length; i++) {
          g[1 + i * 7] = near[i];
        }
        deadband = PgdAttack.SIGN_DEADBAND * Pixels.linf(g);
        // the loop as it was written first: branches, the deadband in double
        for (int i = 0; i < SIZE; i++) {
          if (g[i] > deadband) {
            expected[i] += (float) STEP;
          } else if (g[i] < -deadband) {
            expected[i] -= (float) STEP;
          }
        }
        Pixels.project(expected, x, EPS, Norm.LINF);
        iterate.step(g);
        assertThat(iterate.image()).as("trial %d step %d", trial, step)
            .isEqualTo(new Pixels.Ball(x, EPS).snapSum(x, expected));
      }
    }
  }

  @Test
  void iteratesSteppedTogetherGetWhatEachGetsAloneAndStayInTheirBalls() {
    Random random = new Random(3);
    int count = 4;
    double[] eps = {2.0 / 255, 8.0 / 255, 16.0 / 255, 0.3};
    List<LinfIterate> together = new ArrayList<>();
    List<LinfIterate> alone = new ArrayList<>();
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] x = image(random);
      float[] start = start(random, x, eps[i]);
      images.add(x);
      together.add(new LinfIterate(x, start.clone(), eps[i], eps[i] / 4));
      alone.add(new LinfIterate(x, start.clone(), eps[i], eps[i] / 4));
    }
    together.forEach(it -> it.row(Objective.raiseLoss(0), null));
    alone.forEach(it -> it.row(Objective.raiseLoss(0), null));
    for (int step = 0; step < 8; step++) {
      List<float[]> g = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        g.add(gradient(random));
      }
      List<float[]> batched = pass(together, g);
      for (int i = 0; i < count; i++) {
        assertThat(batched.get(i)).as("iterate %d before step %d", i, step)
            .isEqualTo(pass(List.of(alone.get(i)), List.of(g.get(i))).get(0));
      }
    }
    for (int i = 0; i < count; i++) {
      assertThat(together.get(i).image()).isEqualTo(alone.get(i).image());
      assertThat(Pixels.linf(Pixels.sub(together.get(i).image(), images.get(i)))).isLessThanOrEqualTo(eps[i] + 1e-6);
      assertThat(Pixels.linf(Pixels.sub(together.get(i).image(), images.get(i)))).as("it moved").isGreaterThan(0);
      together.get(i).release();
      alone.get(i).release();
    }
  }

  @Test
  void aReleasedIterateKeepsItsImageAndAPassThatStillHoldsItTakesNoStep() {
    Random random = new Random(11);
    float[] x = image(random);
    LinfIterate iterate = new LinfIterate(x, start(random, x, EPS), EPS, STEP);
    iterate.row(Objective.raiseLoss(0), null);
    pass(List.of(iterate), List.of(gradient(random)));
    float[] before = iterate.image();
    iterate.release();
    assertThat(iterate.image()).isEqualTo(before);
    assertThat(pass(List.of(iterate), List.of(gradient(random))).get(0)).isEqualTo(before);
    assertThat(iterate.image()).isEqualTo(before);
  }

  /** What a pass does with iterate rows: evaluates each point, then steps them all with their gradients. */
  private static List<float[]> pass(List<LinfIterate> iterates, List<float[]> gradients) {
    return TorchThread.get(() -> {
      try (NDManager pass = NDManager.newBaseManager()) {
        List<float[]> points = new ArrayList<>();
        List<NDArray> g = new ArrayList<>();
        for (int i = 0; i < iterates.size(); i++) {
          points.add(iterates.get(i).point(pass, SHAPE).toFloatArray());
          g.add(pass.create(gradients.get(i), SHAPE));
        }
        LinfIterate.stepAll(iterates, g);
        return points;
      }
    });
  }

  /**
   * Values anywhere in [0,1], with some at 0, 1, on the grid and half-way between two levels (also
   * {@link DeepFoolIterateTests}' images).
   */
  static float[] image(Random random) {
    float[] x = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      x[i] = switch (i % 5) {
        case 0 -> 0f;
        case 1 -> 1f;
        case 2 -> Pixels.level(random.nextInt(256));
        case 3 -> (random.nextInt(255) + 0.5f) / 255f;
        default -> random.nextFloat();
      };
    }
    return x;
  }

  /** A random start inside the ball and [0,1], as {@link PgdAttack} makes it. */
  private static float[] start(Random random, float[] x, double eps) {
    float[] delta = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      delta[i] = (float) (eps * (2 * random.nextDouble() - 1));
    }
    Pixels.project(delta, x, eps, Norm.LINF);
    return delta;
  }

  /** Gradients of both signs and many sizes, with exact zeros. */
  private static float[] gradient(Random random) {
    float[] g = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      g[i] = i % 7 == 0 ? 0f : (float) (random.nextGaussian() * Math.pow(10, -random.nextInt(8)));
    }
    return g;
  }
}
