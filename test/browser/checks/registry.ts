// Shared by the browser kernel checks: the registry of named checks and seeded inputs.
import type * as tf from "@tensorflow/tfjs";

/**
 * A check returns the kernel's result (a tensor) and the reference it must match: numbers,
 * or a tensor computed on the same backend (e.g. the composite form of a fused kernel),
 * which is read back asynchronously.
 */
export type Check = () => {actual: tf.Tensor; expected: ArrayLike<number> | tf.Tensor};

/** Every check, by name (each checks/*.ts file adds its own). */
export const checks = new Map<string, Check>();

/** Seeded uniform numbers in [lo, hi). */
export function uniform(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({length: count}, () => lo + (hi - lo) * ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296));
}
