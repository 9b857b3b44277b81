package io.advlab.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * {@link Pixels}' grid arithmetic as tensor operations, for the iterates on the device
 * ({@link DeviceIterate}), computing the same floats as the JVM's loops: each step is the same
 * single IEEE operation, and {@link Pixels#gray}'s {@code + 0.5}, whose double sum's floor Java
 * takes, is added in float64.
 *
 * @param zero 0 (float32)
 * @param one 1 (float32)
 * @param levels 255 (float32)
 * @param half 0.5 (float64)
 * @param deadband {@link PgdAttack#SIGN_DEADBAND} (float32)
 * @param deadband64 {@link PgdAttack#SIGN_DEADBAND} (float64)
 */
record DevicePixels(NDArray zero, NDArray one, NDArray levels, NDArray half, NDArray deadband, NDArray deadband64) {

  /**
   * The constants as tensors made once per iterate: DJL turns an operation with a Java number
   * ({@code mul(255f)}, {@code clip(0, 1)}) into a fresh tensor copied to the device, and on a GPU
   * each copy waits for the stream (a first L∞ version spent 3 ms of a 9 ms PGD pass on an H200
   * there, more than it saved).
   */
  static DevicePixels on(NDManager manager) {
    return new DevicePixels(manager.create(0f), manager.create(1f), manager.create(255f), manager.create(0.5d),
        manager.create((float) PgdAttack.SIGN_DEADBAND), manager.create(PgdAttack.SIGN_DEADBAND));
  }

  /** {@link Pixels#clip01}: the maximum with 0, then the minimum with 1. */
  NDArray clip01(NDArray v) {
    return v.maximum(zero).minimum(one);
  }

  /**
   * {@link Pixels#gray} as float32 levels: {@code floor(clip01(v) · 255 + 0.5)}, the product in
   * float32 and the sum in float64 (in float32 a product just below a half level would round up).
   */
  NDArray gray(NDArray v) {
    return clip01(v).mul(levels).toType(DataType.FLOAT64, false).add(half).floor().toType(DataType.FLOAT32, false);
  }

  /** {@link Pixels#quantize}: each value's nearest gray level, clipped to [0,1]. */
  NDArray quantize(NDArray v) {
    return gray(v).div(levels);
  }
}
