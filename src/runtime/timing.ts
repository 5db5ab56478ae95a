// Timing on the reader's device: wall time with a real readback (a GPU backend only finishes
// when its result is read), best of a few calls (noise on a shared machine only adds time).
import type * as tf from "@tensorflow/tfjs";

const pause = () => new Promise<void>((r) => setTimeout(r, 0));

/** Milliseconds since an arbitrary origin (performance.now where there is one). */
export function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}

/** Runs fn and returns its value with the wall time it took (ms). */
export function timed<T>(fn: () => T): {value: T; ms: number} {
  const t0 = now();
  const value = fn();
  return {value, ms: now() - t0};
}

/**
 * Best (minimum) wall time (ms) of `fn` over `reps` calls with a readback, after one warm-up
 * call; one timed call when slow (> slowMs).
 */
export async function timeCall(fn: () => tf.Tensor, reps = 3, slowMs = 150): Promise<{ms: number; reps: number}> {
  const warm = fn();
  await warm.data();
  warm.dispose();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    await pause();
    const t0 = now();
    const y = fn();
    await y.data();
    times.push(now() - t0);
    y.dispose();
    if (times[0] > slowMs) break;
  }
  return {ms: Math.min(...times), reps: times.length};
}
