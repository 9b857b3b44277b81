package io.advlab.defence;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The randomization defence's transform written with NDArray operations, so that the same code
 * prepares inference batches and runs inside the gradient graph (gradients flow back through the
 * bilinear resize, the flip and the zero padding to every input value; {@code NOTES-DJL.md}).
 */
public final class Randomization {

  private Randomization() {}

  /**
   * {@code images} (N x 3 x H x W) each transformed by every draw: N·draws x 3 x H' x W' (the
   * draws' canvas, which they share), image-major.
   */
  public static NDArray apply(NDArray images, List<Draw> draws) {
    long n = images.getShape().get(0);
    NDList out = new NDList();
    for (long i = 0; i < n; i++) {
      NDArray image = images.get(i).expandDims(0);
      for (Draw draw : draws) {
        out.add(apply(image, draw));
      }
    }
    // NDArrays.concat copies a lone array without its graph: a single result is returned as it is.
    return out.size() == 1 ? out.head() : NDArrays.concat(out, 0);
  }

  /** One image (1 x 3 x H x W) resized, flipped and zero-padded onto the draw's canvas. */
  public static NDArray apply(NDArray image, Draw draw) {
    int height = draw.canvasHeight();
    int width = draw.canvasWidth();
    NDArray resized = NDImageUtils.resize(image.transpose(0, 2, 3, 1), draw.width(), draw.height(),
        Image.Interpolation.BILINEAR).transpose(0, 3, 1, 2);
    if (draw.flip()) {
      resized = resized.flip(3);
    }
    NDArray rows = pad(resized, 2, draw.top(), height - draw.height() - draw.top());
    return pad(rows, 3, draw.left(), width - draw.width() - draw.left());
  }

  /** Zeros before and after {@code x} along {@code axis}, joined with concat so gradients flow. */
  private static NDArray pad(NDArray x, int axis, int before, int after) {
    if (before < 0 || after < 0) {
      throw new IllegalArgumentException("a draw does not fit the canvas: " + before + " / " + after);
    }
    NDList parts = new NDList();
    if (before > 0) {
      parts.add(zeros(x, axis, before));
    }
    parts.add(x);
    if (after > 0) {
      parts.add(zeros(x, axis, after));
    }
    return parts.size() == 1 ? x : NDArrays.concat(parts, axis);
  }

  private static NDArray zeros(NDArray like, int axis, int length) {
    long[] dims = like.getShape().getShape().clone();
    dims[axis] = length;
    return like.getManager().zeros(new Shape(dims), DataType.FLOAT32, like.getDevice());
  }
}
