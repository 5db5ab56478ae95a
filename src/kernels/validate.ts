// Input checks shared by every kernel: convert, then validate, with messages that name the
// function and the argument, e.g. "discretize: delta must be a finite number > 0, got -1".
import * as tf from "@tensorflow/tfjs";

/** A tensor or the same data as (nested) plain arrays. */
export type TensorLike = tf.Tensor | number | number[] | number[][] | number[][][] | Float32Array;

export function fail(fn: string, message: string): never {
  throw new Error(`${fn}: ${message}`);
}

/** Converts `x` to a float32 tensor (inside the caller's tidy), naming fn/arg on failure. */
export function toTensor(x: TensorLike, fn: string, arg: string): tf.Tensor {
  if (x instanceof tf.Tensor) return x.dtype === "float32" ? x : tf.cast(x, "float32");
  if (x == null) fail(fn, `${arg} is missing`);
  try {
    return tf.tensor(x as number[], undefined, "float32");
  } catch (e) {
    fail(fn, `${arg} is not a tensor or a rectangular array of numbers (${(e as Error).message})`);
  }
}

export function shapeString(shape: number[]): string {
  return `(${shape.join(",")})`;
}

export function assertRank(t: tf.Tensor, rank: number, fn: string, arg: string, dims = ""): void {
  if (t.rank !== rank) {
    fail(fn, `${arg} must be rank ${rank}${dims ? ` ${dims}` : ""}, but got rank ${t.rank} with shape ${shapeString(t.shape)}`);
  }
}

export function assertShape(t: tf.Tensor, shape: (number | null)[], fn: string, arg: string, dims = ""): void {
  const ok = t.rank === shape.length && shape.every((s, i) => s === null || s === t.shape[i]);
  if (!ok) {
    const want = `(${shape.map((s) => (s === null ? "any" : s)).join(",")})`;
    fail(fn, `${arg} must have shape ${dims || want}${dims ? ` = ${want}` : ""}, but got ${shapeString(t.shape)}`);
  }
}

/** Throws unless every entry of `t` is finite. Reads the data back (small tensors only). */
export function assertFinite(t: tf.Tensor, fn: string, arg: string): void {
  const data = t.dataSync();
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) fail(fn, `${arg} must be finite, but entry ${i} is ${data[i]}`);
  }
}

export function assertPositiveNumber(x: unknown, fn: string, arg: string): number {
  if (typeof x !== "number" || !Number.isFinite(x) || x <= 0) {
    fail(fn, `${arg} must be a finite number > 0, got ${String(x)}`);
  }
  return x;
}

export function assertInteger(x: unknown, fn: string, arg: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) {
    fail(fn, `${arg} must be an integer in [${min}, ${max}], got ${String(x)}`);
  }
  return x;
}
