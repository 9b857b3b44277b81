package io.advlab.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.advlab.model.TorchThread;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The state of an L∞ PGD or FGSM attack: the clean image x, the float perturbation δ, and the
 * 8-bit iterate the network sees next, {@code snap(x + δ)} inside the eps-ball
 * ({@link Pixels.Ball}). It starts on the host; once the attack hands it to a pass
 * ({@link #row}), it lives on the model's device, where the {@link GradientScheduler} evaluates
 * it ({@link #point}) and steps it with its gradient ({@link #stepAll}) inside the pass, so no image
 * crosses between the JVM and the device per step.
 *
 * <p>Why: on a GPU, copying 600 KB in and out of the JVM for every 224x224 image and every step,
 * and updating it in Java loops, cost a third of a PGD step (wall-clock profile on an H100:
 * creating the input 12 % of the pass, reading the gradient back 15 %, slicing it 5 %, and 3 ms
 * per step on the request thread), and PGD-10 took 2.6 times plain PyTorch's loop.
 *
 * <p>Both places compute the same floats. A step is {@code δ += s·sign(g)} (components within
 * {@link PgdAttack#SIGN_DEADBAND} of the largest left alone), then {@code δ = clip01(x + clamp(δ,
 * ±eps)) − x}, then the iterate {@code level(clamp(gray(x + δ), lo, hi))}. Each is a single IEEE
 * float operation on both sides, except {@code gray}'s {@code + 0.5}, which the device adds in
 * float64 and Java as the floor of the double sum ({@link Pixels.Ball#roundedLevel}), so the images are
 * bitwise those of the host loop (the deadband compares in float on the device and as in double on
 * the host: only a component within a float ulp of it could differ).
 *
 * <p>Threads and release: {@link DeviceIterate}; {@link #row} hands the iterate over.
 */
final class LinfIterate extends DeviceIterate {

  private final float[] x;
  private final Pixels.Ball ball;
  private final float eps;
  private final float stepSize;
  /** δ while on the host; null once the device holds it. */
  private float[] delta;
  private State state;

  /**
   * The iterate's constant tensors on the device (its perturbation and point are the base class's);
   * the scalars are tensors made once ({@link DevicePixels#on}).
   */
  private record State(NDArray x, NDArray lowest, NDArray highest, NDArray eps, NDArray stepSize,
      DevicePixels scalars) {}

  /**
   * @param x the clean image
   * @param delta the starting perturbation, inside the ball and [0,1] (it is taken over)
   */
  LinfIterate(float[] x, float[] delta, double eps, double stepSize) {
    this.x = x;
    this.delta = delta;
    this.ball = new Pixels.Ball(x, eps);
    this.eps = (float) eps;
    this.stepSize = (float) stepSize;
  }

  /** The row that evaluates this iterate in a pass, which steps it unless {@code endsAt} holds. */
  GradientRow row(Objective objective, Predicate<float[]> endsAt) {
    handOver();
    return GradientRow.on(this, objective, endsAt);
  }

  /** A step from a gradient the JVM holds (the first one, taken at the clean input). */
  void step(float[] gradient) {
    if (!handedOver()) {
      hostStep(gradient);
      return;
    }
    TorchThread.get(() -> {
      if (!isReleased() && state == null) {
        hostStep(gradient);
      } else if (!isReleased()) {
        try (NDManager scratch = scratch()) {
          stepAll(List.of(this), List.of(scratch.create(gradient, state.x().getShape())));
        }
      }
      return null;
    });
  }

  /**
   * {@code δ += s·sign(g)} outside the deadband, then the projection. Why no branch and a float
   * deadband: the signs of a gradient are a coin toss for the branch predictor, and comparing a
   * float with a double converts every value; this loop took 7 ns a value, 2 ns now. A float g
   * exceeds the double deadband exactly when it exceeds the largest float not above it
   * ({@link Pixels#floatBelow}), and {@code δ + 1·s}, {@code δ + (−1)·s} and {@code δ + 0·s} are the
   * branches' sums (up to the sign of a zero δ, which the projection's {@code x + δ} does not see).
   */
  private void hostStep(float[] g) {
    float deadband = Pixels.floatBelow(PgdAttack.SIGN_DEADBAND * Pixels.linf(g));
    for (int i = 0; i < delta.length; i++) {
      float gi = g[i];
      int direction = (gi > deadband ? 1 : 0) - (gi < -deadband ? 1 : 0);
      delta[i] += direction * stepSize;
    }
    Pixels.project(delta, x, eps, Norm.LINF);
  }

  @Override
  NDArray point(NDManager pass, Shape shape) {
    if (isReleased()) {
      return releasedPoint(pass, shape);
    }
    if (state == null) {
      NDManager manager = manager(pass);
      NDArray start = pass.create(delta, shape);
      state = new State(manager.create(x, shape), manager.create(ball.lowest(), shape),
          manager.create(ball.highest(), shape), manager.create(eps), manager.create(stepSize),
          DevicePixels.on(manager));
      moveTo(start, snap(start, state.x(), state.lowest(), state.highest(), state.scalars()));
      delta = null;
    }
    return devicePoint();
  }

  /**
   * Steps {@code iterates} with their {@code gradients} (C x H x W each, in a pass's manager) as one
   * batch: a dozen tensor operations for the whole pass, whatever the number of attacks in it
   * (stepping each on its own made an evaluation of 32x32 digits on an H200 slower than the host
   * loop: 14.6 against 9.0 s). Each iterate keeps its row of the results. On the torch thread.
   */
  static void stepAll(List<LinfIterate> iterates, List<NDArray> gradients) {
    List<LinfIterate> live = new ArrayList<>();
    NDList g = new NDList();
    for (int i = 0; i < iterates.size(); i++) {
      if (!iterates.get(i).isReleased()) {
        live.add(iterates.get(i));
        g.add(gradients.get(i));
      }
    }
    if (live.isEmpty()) {
      return;
    }
    // Every expression starts from the gradients' tensors, so its temporaries belong to their (the pass's) manager.
    NDArray grad = DeviceIterate.stack(g, g.head().getManager());
    DevicePixels c = live.get(0).state.scalars();
    NDArray xs = stacked(grad, live, i -> i.state.x());
    NDArray deltas = stacked(grad, live, LinfIterate::perturbation);
    NDArray eps = stacked(grad, live, i -> i.state.eps()).reshape(live.size(), 1, 1, 1);
    NDArray steps = stacked(grad, live, i -> i.state.stepSize()).reshape(live.size(), 1, 1, 1);
    NDArray deadband = grad.abs().reshape(live.size(), -1).max(new int[] {1}, true).reshape(live.size(), 1, 1, 1)
        .mul(c.deadband());
    NDArray up = grad.gt(deadband).toType(DataType.FLOAT32, false);
    NDArray down = grad.lt(deadband.neg()).toType(DataType.FLOAT32, false);
    NDArray moved = up.sub(down).mul(steps).add(deltas).maximum(eps.neg()).minimum(eps);
    NDArray projected = c.clip01(moved.add(xs)).sub(xs);
    NDArray points = snap(projected, xs, stacked(grad, live, i -> i.state.lowest()), stacked(grad, live, i -> i.state.highest()), c);
    for (int i = 0; i < live.size(); i++) {
      live.get(i).moveTo(projected.get(i), points.get(i));
    }
  }

  /** {@code level(clamp(gray(x + δ), lo, hi))}, with temporaries in δ's manager. */
  private static NDArray snap(NDArray delta, NDArray x, NDArray lowest, NDArray highest, DevicePixels c) {
    return c.gray(delta.add(x)).maximum(lowest).minimum(highest).div(c.levels());
  }

  @Override
  float[] hostImage() {
    return ball.snapSum(x, delta);
  }
}
