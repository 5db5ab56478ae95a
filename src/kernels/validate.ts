// Input checks shared by every kernel: convert, then validate, with messages that name the
// function and the argument, e.g. "discretize: delta must be a finite number > 0, got -1".
//
// Value checks never stall a GPU. Values are checked where they are still on the CPU:
//   - plain arrays and typed arrays, in JavaScript, as toTensor converts them;
//   - tensors on the cpu and wasm backends, whose data lives in CPU memory anyway;
// and never by reading a webgl/webgpu tensor back synchronously. A non-finite result on a GPU
// backend shows up in the asynchronous read the caller makes (see readFinite).
import * as tf from "@tensorflow/tfjs";

/** A tensor or the same data as (nested) plain arrays. */
export type TensorLike = tf.Tensor | number | number[] | number[][] | number[][][] | Float32Array;

export function fail(fn: string, message: string): never {
  throw new Error(`${fn}: ${message}`);
}

/** True when tensor data lives in CPU memory (cpu, wasm): reading it back costs no GPU sync. */
export function valuesOnCpu(): boolean {
  const b = tf.getBackend();
  return b === "cpu" || b === "wasm";
}

/** The JS values a tensor was made from by toTensor (flat), so checks need no readback. */
const sources = new WeakMap<tf.Tensor, ArrayLike<number>>();

/**
 * The values of `t` on the CPU: the JS values it was made from by toTensor when there are
 * some (no readback at all), else its data read back — free on cpu/wasm, a synchronous GPU
 * readback on webgl/webgpu (only when a caller hands a kernel a GPU tensor that a float64 CPU
 * algorithm must read: pass plain arrays to avoid it).
 */
export function cpuValues(t: tf.Tensor): ArrayLike<number> {
  return sources.get(t) ?? t.dataSync();
}

/** Converts `x` to a float32 tensor (inside the caller's tidy), naming fn/arg on failure. */
export function toTensor(x: TensorLike, fn: string, arg: string): tf.Tensor {
  if (x instanceof tf.Tensor) return x.dtype === "float32" ? x : tf.cast(x, "float32");
  if (x == null) fail(fn, `${arg} is missing`);
  if (Array.isArray(x)) {
    // tfjs does not check nested arrays for ragged rows by default: do it here.
    const bad = raggedPath(x);
    if (bad) fail(fn, `${arg} is not a tensor or a rectangular array of numbers (${bad})`);
  }
  let t: tf.Tensor;
  try {
    t = tf.tensor(x as number[], undefined, "float32");
  } catch (e) {
    fail(fn, `${arg} is not a tensor or a rectangular array of numbers (${(e as Error).message})`);
  }
  sources.set(t, typeof x === "number" ? [x] : Array.isArray(x) ? (x as unknown[]).flat(Infinity) as number[] : x);
  return t;
}

/** Where a nested array stops being rectangular (or holds a non-number), or "" if it is fine. */
function raggedPath(x: unknown[]): string {
  const shape: number[] = [];
  for (let y: unknown = x; Array.isArray(y); y = y[0]) shape.push(y.length);
  const walk = (y: unknown, depth: number, path: string): string => {
    if (depth === shape.length) return typeof y === "number" ? "" : `entry ${path || "[]"} is ${typeof y}, not a number`;
    if (!Array.isArray(y)) return `entry ${path} is not an array`;
    if (y.length !== shape[depth]) return `row ${path || "[]"} has ${y.length} entries, expected ${shape[depth]}`;
    for (let i = 0; i < y.length; i++) {
      const r = walk(y[i], depth + 1, `${path}[${i}]`);
      if (r) return r;
    }
    return "";
  };
  return walk(x, 0, "");
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

/** Throws unless every entry of `t` is finite (where the values can be seen without a GPU sync). */
export function assertFinite(t: tf.Tensor, fn: string, arg: string): void {
  assertValues(fn, [[t, arg, "finite"]]);
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

export type ValueRule = "finite" | "positive" | "nonpositive";

/**
 * Value checks on several tensors. "finite": every entry finite; "positive": every entry
 * finite and > 0; "nonpositive": every entry finite and ≤ 0. Values made from JS arrays by toTensor are checked in JS; other tensors
 * only on the cpu and wasm backends (their data is in CPU memory); tensors already on a GPU
 * are not read back (see the header). The message names the first bad entry, e.g.
 * "selectiveScan: delta must be finite and > 0, but entry 3 is -0.5".
 */
export function assertValues(fn: string, checks: [tf.Tensor, string, ValueRule][]): void {
  const onCpu = valuesOnCpu();
  for (const [t, arg, rule] of checks) {
    const data = sources.get(t) ?? (onCpu ? t.dataSync() : null);
    if (!data) continue;
    for (let j = 0; j < data.length; j++) {
      const v = data[j];
      if (rule === "finite" && !Number.isFinite(v)) fail(fn, `${arg} must be finite, but entry ${j} is ${v}`);
      if (rule === "positive" && !(Number.isFinite(v) && v > 0)) fail(fn, `${arg} must be finite and > 0, but entry ${j} is ${v}`);
      if (rule === "nonpositive" && !(Number.isFinite(v) && v <= 0)) fail(fn, `${arg} must be finite and ≤ 0, but entry ${j} is ${v}`);
    }
  }
}

/**
 * The asynchronous read a caller makes anyway, with the check a GPU backend could not make
 * up front: resolves to the data, or rejects with "fn: what is not finite (entry i is NaN)".
 */
export async function readFinite(t: tf.Tensor, fn: string, what: string): Promise<Float32Array> {
  const data = (await t.data()) as Float32Array;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) fail(fn, `${what} is not finite (entry ${i} is ${data[i]}): an input was not finite, or the computation overflowed float32`);
  }
  return data;
}
