package io.advlab.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.advlab.model.TorchThread;
import java.util.SplittableRandom;

/**
 * The rows a method trains on, made from a batch's clean pixels with the network in eval mode:
 * L∞ PGD from a random start ({@code pgd}, and {@code fgsm-rs}, which is one step of 1.25·eps),
 * or negative images ({@code semantic}). Random starts come from a seeded generator, so a batch
 * gets the same start in a rerun.
 */
final class Examples {

  private Examples() {}

  /** The method's rows for clean pixels {@code x} (N x 3 x H x W) with labels {@code y}. */
  static NDArray craft(TrainableNetwork net, Method method, double eps, double stepSize, int steps, NDArray x,
      NDArray y, long seed) throws InterruptedException {
    return switch (method) {
      case SEMANTIC -> negative(x);
      case CLEAN -> x;
      case PGD, FGSM_RS -> pgd(net, x, y, eps, stepSize, steps, seed);
    };
  }

  static NDArray negative(NDArray x) {
    return TorchThread.get(() -> x.neg().add(1f));
  }

  /** PGD-k in L∞ from a uniform random start in the eps-ball, every iterate inside [0,1]. */
  static NDArray pgd(TrainableNetwork net, NDArray x, NDArray y, double eps, double stepSize, int steps, long seed)
      throws InterruptedException {
    NDManager manager = x.getManager();
    float[] noise = new float[Math.toIntExact(x.size())];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) ((random.nextDouble() * 2 - 1) * eps);
    }
    NDArray lower = TorchThread.get(() -> x.sub((float) eps).clip(0f, 1f));
    NDArray upper = TorchThread.get(() -> x.add((float) eps).clip(0f, 1f));
    NDArray adv = TorchThread.get(() -> x.add(manager.create(noise, x.getShape())).clip(0f, 1f));
    for (int k = 0; k < steps; k++) {
      NDArray sign = net.gradientSign(adv, y);
      NDArray from = adv;
      adv = TorchThread.get(() -> from.add(sign.mul((float) stepSize)).maximum(lower).minimum(upper));
    }
    return adv;
  }
}
