// Shared helpers for kernel tests: backend setup (cpu and wasm in Node), fixtures, and a
// recursive closeness check that reports the worst entry and the max error.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";

/** Backends every kernel spec runs on in Node. */
export const BACKENDS = ["cpu", "wasm"] as const;
export type Backend = (typeof BACKENDS)[number];

/** Selects `name` and waits for it; throws if tfjs refuses it (never silently falls back). */
export async function useBackend(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`backend ${name} is not available (got ${tf.getBackend()})`);
}

/** Reads data/fixtures/<name>.json. */
export function loadFixture<T = any>(name: string): T {
  const path = fileURLToPath(new URL(`../../reference/fixtures/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

type Numeric = number | ArrayLike<number> | NumericNested[] | tf.Tensor;
type NumericNested = number | ArrayLike<number> | NumericNested[];

function flatten(x: Numeric): number[] {
  if (x instanceof tf.Tensor) return Array.from(x.dataSync());
  if (typeof x === "number") return [x];
  const out: number[] = [];
  const walk = (y: any) => {
    if (typeof y === "number") out.push(y);
    else for (let i = 0; i < y.length; i++) walk(y[i]);
  };
  walk(x);
  return out;
}

export interface CloseOptions {
  /** absolute tolerance (default 1e-5) */
  atol?: number;
  /** relative tolerance, times |expected| (default 1e-5) */
  rtol?: number;
  /** prefix for the error message */
  label?: string;
}

export interface CloseReport {
  maxAbsError: number;
  maxRelError: number;
  worst: number;
}

/**
 * Throws unless |actual − expected| ≤ atol + rtol·|expected| entry-wise (NaN only matches
 * NaN, ±Infinity only itself). Accepts tensors, typed arrays and nested arrays; shapes are
 * compared by flattened length. The message names the worst entry and the max error.
 * Returns the max absolute and relative errors so tests can log measured accuracy.
 */
export function assertClose(actual: Numeric, expected: Numeric, {atol = 1e-5, rtol = 1e-5, label = ""}: CloseOptions = {}): CloseReport {
  if (actual instanceof tf.Tensor && expected instanceof tf.Tensor && actual.shape.join() !== expected.shape.join()) {
    throw new Error(`${label}shape (${actual.shape}) differs from expected (${expected.shape})`);
  }
  const a = flatten(actual);
  const e = flatten(expected);
  if (a.length !== e.length) throw new Error(`${label}length ${a.length} differs from expected ${e.length}`);
  let maxAbs = 0;
  let maxRel = 0;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = e[i];
    if (Number.isNaN(y) || !Number.isFinite(y)) {
      if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y))) {
        throw new Error(`${label}entry ${i}: got ${x}, expected ${y}`);
      }
      continue;
    }
    const err = Math.abs(x - y);
    maxAbs = Math.max(maxAbs, Number.isNaN(err) ? Infinity : err);
    if (y !== 0) maxRel = Math.max(maxRel, err / Math.abs(y));
    const excess = Number.isNaN(err) ? Infinity : err - (atol + rtol * Math.abs(y));
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    throw new Error(`${label}not close: entry ${worst} is ${a[worst]}, expected ${e[worst]} ` +
      `(max abs error ${maxAbs.toExponential(3)}, max rel error ${maxRel.toExponential(3)}, atol ${atol}, rtol ${rtol}, n = ${a.length})`);
  }
  return {maxAbsError: maxAbs, maxRelError: maxRel, worst};
}

/** Max |x| over a flat array (for tolerances scaled to the data). */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/** Seeded uniform generator (LCG) for reproducible test data. */
export function lcg(seed = 1): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** Runs fn and asserts it leaves tf.memory().numTensors as it found it (except returned). */
export function expectNoLeak(fn: () => tf.Tensor | tf.Tensor[] | void): void {
  const before = tf.memory().numTensors;
  const out = fn();
  const outs = out == null ? [] : Array.isArray(out) ? out : [out];
  const after = tf.memory().numTensors;
  outs.forEach((t) => t.dispose());
  if (after - outs.length !== before) {
    throw new Error(`leak: ${after - outs.length - before} tensors left behind (before ${before}, after ${after}, returned ${outs.length})`);
  }
}

/** The log of measured accuracy: tests append, and print it at the end with printAccuracy. */
export const accuracy: {kernel: string; backend: string; case: string; maxAbsError: number; maxRelError: number}[] = [];
export function recordAccuracy(kernel: string, backend: string, name: string, r: CloseReport): void {
  accuracy.push({kernel, backend, case: name, maxAbsError: r.maxAbsError, maxRelError: r.maxRelError});
}
export function printAccuracy(kernel: string): void {
  const rows = accuracy.filter((r) => r.kernel === kernel);
  const byBackend = new Map<string, number>();
  for (const r of rows) byBackend.set(r.backend, Math.max(byBackend.get(r.backend) ?? 0, r.maxAbsError));
  if (rows.length) console.log(`${kernel} max abs error vs fixtures: ` + [...byBackend].map(([b, e]) => `${b} ${e.toExponential(2)}`).join(", "));
}
