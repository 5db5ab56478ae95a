// Timing on the reader's device: wall time with a real readback (a GPU backend only finishes
// when its result is read), best of a few calls (noise on a shared machine only adds time).
import * as tf from "@tensorflow/tfjs";

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

type Engine = {state: {numBytes: number}; trackTensor: (...args: unknown[]) => void};

/**
 * Runs fn (synchronous) and returns its value with `peakBytes`: tfjs's own count of bytes in
 * live tensors (what tf.memory().numBytes reports) at its highest while fn ran, less the count
 * before it. The count is sampled each time the engine registers a tensor (tfjs has no public
 * hook for it, so the engine's trackTensor is wrapped for the call and restored after), which
 * is when it can rise. It counts tensors, on every backend: a backend's scratch buffers
 * outside tensors (a WebGPU buffer pool, the wasm heap) are not in it; a reshape, which
 * shares its input's data, counts again, as it does in tf.memory().
 */
export function peakTensorBytes<T>(fn: () => T): {value: T; peakBytes: number} {
  const engine = tf.engine() as unknown as Engine;
  const start = engine.state.numBytes;
  let peak = start;
  const own = Object.prototype.hasOwnProperty.call(engine, "trackTensor");
  const original = engine.trackTensor;
  engine.trackTensor = function (this: Engine, ...args: unknown[]) {
    original.apply(this, args);
    if (this.state.numBytes > peak) peak = this.state.numBytes;
  };
  try {
    const value = fn();
    return {value, peakBytes: Math.max(peak, engine.state.numBytes) - start};
  } finally {
    if (own) engine.trackTensor = original;
    else delete (engine as Partial<Engine>).trackTensor;
  }
}
