package io.advlab.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.advlab.model.Predictions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The state of a DeepFool attack on the model's device: the clean image x, the accumulated
 * perturbation r and the point the network sees next, {@code quantize(x + (1 + overshoot) · r)}.
 * A pass evaluates the point once per candidate class and hands each candidate's gradient, still
 * on the device, to {@link #stepAll}, which brings back one length per candidate, picks the
 * candidate as the host loop does ({@link DeepFoolAttack#choose}) and moves r and the point there.
 *
 * <p>Why: on a GPU the host loop copied every candidate's gradient to the JVM (nine 224x224
 * gradients, 5.4 MB, per iteration), copied the point in once per candidate, and summed the
 * gradients' lengths and the step in Java loops.
 *
 * <p>Both places compute the same floats, in the host loop's order: the mean over EOT draws is
 * summed in row order and scaled by {@code 1f / draws} ({@link Eot#mean}); the L2 step is
 * {@code (float) (scale · w / ‖w‖)} in float64, the L∞ step {@code (float) scale · sign(w)} where
 * {@code |w|} exceeds the deadband (compared in float64, as Java does); the point is
 * {@link DevicePixels#quantize}. The lengths are float64 sums in another order than Java's, so a
 * length may differ in its last bit of 53, which changes an image only where a step lands exactly
 * on a float's rounding boundary.
 *
 * <p>Threads and release: {@link DeviceIterate}; {@link #rows} hands the iterate over.
 */
final class DeepFoolIterate extends DeviceIterate {

  private final float[] x;
  private final int source;
  private final int[] others;
  private final Norm norm;
  private final float factor;
  private volatile boolean stalled;
  private State state;

  /** The constant tensors on the device; r (the perturbation) and the point are the base class's. */
  private record State(NDArray x, DevicePixels scalars) {}

  /**
   * One iterate's rows in a pass: their logits and their gradients on the device, in row order
   * (each candidate's draws together, candidates in the order of {@link #rows}).
   */
  record Evaluated(DeepFoolIterate iterate, List<float[]> logits, List<NDArray> gradients) {}

  /** An iterate that steps in this pass, with the mean logits it decides on. */
  private record Pending(DeepFoolIterate iterate, float[] logits, int firstNormal) {}

  /**
   * @param x the clean image
   * @param source the class DeepFool moves away from
   * @param others the candidate classes
   * @param norm the norm the perturbation is minimal in
   * @param factor {@code 1 + overshoot}
   */
  DeepFoolIterate(float[] x, int source, int[] others, Norm norm, float factor) {
    this.x = x;
    this.source = source;
    this.others = others;
    this.norm = norm;
    this.factor = factor;
  }

  /**
   * The rows of one iteration, one per candidate ({@code logit[k] - logit[source]}); the pass
   * evaluates them at the point and steps the iterate unless {@code endsAt} holds.
   */
  List<GradientRow> rows(Predicate<float[]> endsAt) {
    handOver();
    List<GradientRow> rows = new ArrayList<>(others.length);
    for (int k : others) {
      rows.add(GradientRow.on(this, Objective.margin(k, source), endsAt));
    }
    return rows;
  }

  /** Whether the last pass found no candidate with a normal to step along: the attack is over. */
  boolean stalled() {
    return stalled;
  }

  @Override
  NDArray point(NDManager pass, Shape shape) {
    if (isReleased()) {
      return releasedPoint(pass, shape);
    }
    if (state == null) {
      NDManager manager = manager(pass);
      state = new State(manager.create(x, shape), DevicePixels.on(manager));
      moveTo(manager.zeros(shape), manager.create(Pixels.quantize(x), shape));
    }
    return devicePoint();
  }

  /**
   * Steps the iterates of one pass as one batch: one copy of every candidate's length to the JVM,
   * then a dozen tensor operations per norm for all of them. An iterate whose point is already
   * adversarial (by its mean logits) takes no step. On the torch thread; the temporaries belong to
   * the gradients' (the pass's) manager.
   */
  static void stepAll(List<Evaluated> evaluated) {
    List<Pending> pending = new ArrayList<>();
    NDList normals = new NDList();
    for (Evaluated e : evaluated) {
      DeepFoolIterate iterate = e.iterate();
      if (iterate.isReleased() || iterate.state == null) {
        continue;
      }
      int draws = e.logits().size() / iterate.others.length;
      float[] logits = draws == 1 ? e.logits().get(0) : Eot.mean(e.logits().subList(0, draws));
      if (Predictions.argmax(logits) != iterate.source) {
        continue;
      }
      pending.add(new Pending(iterate, logits, normals.size()));
      for (int j = 0; j < iterate.others.length; j++) {
        normals.add(mean(e.gradients().subList(j * draws, (j + 1) * draws)));
      }
    }
    if (pending.isEmpty()) {
      return;
    }
    NDArray flat = DeviceIterate.stack(normals, normals.head().getManager()).reshape(normals.size(), -1)
        .toType(DataType.FLOAT64, false);
    double[] lengths = NDArrays.concat(new NDList(flat.square().sum(new int[] {1}).sqrt(),
        flat.abs().sum(new int[] {1}))).toDoubleArray();
    List<Pending> l2 = new ArrayList<>();
    List<Pending> linf = new ArrayList<>();
    List<DeepFoolAttack.Choice> l2Choices = new ArrayList<>();
    List<DeepFoolAttack.Choice> linfChoices = new ArrayList<>();
    for (Pending p : pending) {
      DeepFoolIterate iterate = p.iterate();
      int k = iterate.others.length;
      double[] own = new double[k];
      System.arraycopy(lengths, (iterate.norm == Norm.L2 ? 0 : normals.size()) + p.firstNormal(), own, 0, k);
      DeepFoolAttack.Choice choice = DeepFoolAttack.choose(p.logits(), iterate.source, iterate.others, own);
      if (choice == null) {
        iterate.stalled = true;
      } else if (iterate.norm == Norm.L2) {
        l2.add(p);
        l2Choices.add(choice);
      } else {
        linf.add(p);
        linfChoices.add(choice);
      }
    }
    step(l2, l2Choices, normals);
    step(linf, linfChoices, normals);
  }

  /**
   * The mean of one candidate's gradients over its draws, as {@link Eot#mean} takes it: summed in
   * order, then scaled by {@code 1f / draws}.
   */
  private static NDArray mean(List<NDArray> draws) {
    NDArray sum = draws.get(0);
    if (draws.size() == 1) {
      return sum;
    }
    for (int i = 1; i < draws.size(); i++) {
      sum = sum.add(draws.get(i));
    }
    return sum.mul(sum.getManager().create(1f / draws.size()));
  }

  /** Moves the iterates of one norm along their chosen candidates' normals. */
  private static void step(List<Pending> pending, List<DeepFoolAttack.Choice> choices, NDList normals) {
    if (pending.isEmpty()) {
      return;
    }
    int n = pending.size();
    NDList chosen = new NDList(n);
    double[] scales = new double[n];
    double[] lengths = new double[n];
    float[] factors = new float[n];
    for (int i = 0; i < n; i++) {
      chosen.add(normals.get(pending.get(i).firstNormal() + choices.get(i).candidate()));
      scales[i] = choices.get(i).scale();
      lengths[i] = choices.get(i).length();
      factors[i] = pending.get(i).iterate().factor;
    }
    List<DeepFoolIterate> live = pending.stream().map(Pending::iterate).toList();
    NDArray w = DeviceIterate.stack(chosen, chosen.head().getManager());
    NDManager temporaries = w.getManager();
    Shape perImage = new Shape(n, 1, 1, 1);
    DevicePixels c = live.get(0).state.scalars();
    NDArray move;
    if (live.get(0).norm == Norm.L2) {
      move = w.toType(DataType.FLOAT64, false).mul(temporaries.create(scales, perImage))
          .div(temporaries.create(lengths, perImage)).toType(DataType.FLOAT32, false);
    } else {
      float[] steps = new float[n];
      for (int i = 0; i < n; i++) {
        steps[i] = (float) scales[i];
      }
      NDArray magnitude = w.abs();
      NDArray deadband = magnitude.reshape(n, -1).max(new int[] {1}, true).reshape(perImage)
          .toType(DataType.FLOAT64, false).mul(c.deadband64());
      NDArray beyond = magnitude.toType(DataType.FLOAT64, false).gt(deadband).toType(DataType.FLOAT32, false);
      move = w.sign().mul(beyond).mul(temporaries.create(steps, perImage));
    }
    NDArray totals = stacked(w, live, DeepFoolIterate::perturbation).add(move);
    NDArray points = c.quantize(totals.mul(temporaries.create(factors, perImage)).add(stacked(w, live, i -> i.state.x())));
    for (int i = 0; i < n; i++) {
      live.get(i).moveTo(totals.get(i), points.get(i));
    }
  }

  @Override
  float[] hostImage() {
    return Pixels.quantize(x);
  }
}
