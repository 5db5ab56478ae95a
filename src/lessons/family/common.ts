// Helpers shared by the miniatures of page 7: reading tensors back asynchronously (never a
// synchronous readback: on webgl/webgpu it would stall the page), comparing forms, seeded
// inputs. Plain data out.
import * as tf from "@tensorflow/tfjs";
import {gaussian, mulberry32} from "../../kernels/index.js";

/** The values of the tensors (async reads), then disposes them. */
export async function readAll(ts: readonly tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return (await Promise.all(ts.map((t) => t.data()))) as Float32Array[];
  } finally {
    tf.dispose(ts as tf.Tensor[]);
  }
}

/** Largest |a_i − b_i| (NaN when the lengths differ or a value is not finite). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return NaN;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!Number.isFinite(d)) return NaN;
    if (d > m) m = d;
  }
  return m;
}

/** Largest |a_i|. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** True when every value is finite. */
export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** Column c of a row-major (rows, cols) array. */
export function column(a: ArrayLike<number>, cols: number, c: number): Float64Array {
  const rows = Math.floor(a.length / cols), out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = a[r * cols + c];
  return out;
}

/** 0, 1, …, n − 1 as a Float64Array (the x axis of most figures). */
export function range(n: number): Float64Array {
  return Float64Array.from({length: n}, (_, i) => i);
}

/** A seeded (rows, cols) table of N(0, std²) numbers. */
export function normalTable(rows: number, cols: number, seed: number, std = 1): number[][] {
  const g = gaussian(seed);
  return Array.from({length: rows}, () => Array.from({length: cols}, () => std * g()));
}

/**
 * A smooth seeded signal on l steps: a sum of four sines with random frequencies (1 to 6
 * cycles over the window), phases and amplitudes, scaled to max |u| = 1.
 */
export function smoothSignal(l: number, seed: number): Float64Array {
  const r = mulberry32(seed), u = new Float64Array(l);
  for (let j = 0; j < 4; j++) {
    const f = 1 + 5 * r(), ph = 2 * Math.PI * r(), a = 0.4 + r();
    for (let k = 0; k < l; k++) u[k] += a * Math.sin((2 * Math.PI * f * k) / l + ph);
  }
  const m = maxAbs(u) || 1;
  for (let k = 0; k < l; k++) u[k] /= m;
  return u;
}

/** Milliseconds since an arbitrary origin (performance.now where there is one). */
export function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}

/** softplus(x) = log(1 + eˣ), without overflow for large x. */
export function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

/** The inverse of softplus: x with softplus(x) = y, y > 0. */
export function softplusInverse(y: number): number {
  return y > 20 ? y : Math.log(Math.expm1(y));
}
