package io.advlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.FloatBuffer;

/**
 * Feeds a batch of preprocessed images (CHW floats in [0,1]) to the network and copies the
 * logits out; tensors live in DJL's per-call context manager and are freed after each batch.
 */
final class BatchTranslator implements NoBatchifyTranslator<float[][], float[][]> {

  private final Preprocessing spec;

  BatchTranslator(Preprocessing spec) {
    this.spec = spec;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, float[][] batch) {
    int size = spec.inputSize();
    FloatBuffer buffer = FloatBuffer.allocate(batch.length * size);
    for (float[] image : batch) {
      buffer.put(image);
    }
    buffer.flip();
    NDArray pixels = ctx.getNDManager().create(buffer, new Shape(batch.length, 3, spec.height(), spec.width()));
    return new NDList(spec.normalize(pixels));
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList list) {
    NDArray logits = list.head();
    int n = Math.toIntExact(logits.getShape().get(0));
    int classes = Math.toIntExact(logits.getShape().get(1));
    float[] flat = logits.toFloatArray();
    float[][] out = new float[n][classes];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * classes, out[i], 0, classes);
    }
    return out;
  }
}
