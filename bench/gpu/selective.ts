// The selective scan on WebGPU, timed for a real GPU (Node + Dawn, see bench/gpu/selective-main.ts):
// composite tfjs ops vs the fused one-dispatch WGSL kernel, beside the bare readback floor
// (one trivial op on a tensor of y's size, plus its readback) and, where Dawn offers
// timestamp queries through tfjs (tf.time's kernelMs), the GPU time of the dispatch itself.
// Every timing is a median of runs that each end with `await y.data()` (a real readback).
// Before timing, each size's fused result is checked against the plain CPU loop.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import {
  WEBGPU_DEFAULTS, selectiveScanComposite, selectiveScanFused, selectiveScanLoop, type SelectiveScanTuning
} from "../../src/kernels/index.js";

export interface SelectiveBenchOptions {
  /** sizes to time (default: l=4096 d=64, l=4096 d=1536, l=16384 d=64; b=1, n=16) */
  sizes?: {l: number; d: number}[];
  /** timed runs per cell (default 15; at least 10) */
  reps?: number;
  /** extra fused-kernel tunings to time beside the default (workgroup size, items, state group) */
  variants?: SelectiveScanTuning[];
  /** also time the composite ops (default true) */
  composite?: boolean;
}

export const DEFAULT_SIZES = [{l: 4096, d: 64}, {l: 4096, d: 1536}, {l: 16384, d: 64}];
export const DEFAULT_VARIANTS: SelectiveScanTuning[] = [
  {workgroupSize: 128, items: 8, stateGroup: 8},
  {workgroupSize: 256, items: 4, stateGroup: 4},
  {workgroupSize: 32, items: 16, stateGroup: 16},
  {workgroupSize: 64, items: 8, stateGroup: 16},
  {workgroupSize: 64, items: 16, stateGroup: 16}
];

function uniform(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({length: count}, () => lo + (hi - lo) * ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median ms of `run() + await data()` over `reps` runs after one untimed warm-up. */
async function timeRuns(run: () => tf.Tensor, reps: number): Promise<{ms: number; minMs: number; reps: number; firstMs: number}> {
  let t0 = performance.now();
  let y = run();
  await y.data();
  y.dispose();
  const firstMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    t0 = performance.now();
    y = run();
    await y.data();
    y.dispose();
    times.push(performance.now() - t0);
  }
  return {ms: median(times), minMs: Math.min(...times), reps, firstMs};
}

/** Median GPU time (ms) of the programs `run` dispatches, from timestamp queries, or null. */
async function kernelMs(run: () => tf.Tensor, reps: number): Promise<number | null> {
  const be = tf.backend() as unknown as {supportTimestampQuery?: boolean};
  if (!be.supportTimestampQuery) return null;
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    let y: tf.Tensor | null = null;
    const info = await tf.time(() => { y = run(); });
    await y!.data();
    y!.dispose();
    if (typeof info.kernelMs === "number") times.push(info.kernelMs);
  }
  return times.length ? median(times) : null;
}

/** Progress on stderr (stdout carries only the JSON). */
function log(msg: string): void {
  if (typeof process !== "undefined") process.stderr.write(`selective: ${msg}\n`);
}

async function errorVsLoop(y: tf.Tensor, want: Float32Array): Promise<{maxAbsError: number; scale: number}> {
  const got = (await y.data()) as Float32Array;
  let maxAbsError = 0;
  let scale = 1;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    const e = Math.abs(got[i] - want[i]);
    maxAbsError = Math.max(maxAbsError, Number.isNaN(e) ? Infinity : e);
  }
  return {maxAbsError, scale};
}

/** Runs the whole benchmark on the webgpu backend and returns one JSON-ready object. */
export async function benchSelective(options: SelectiveBenchOptions = {}): Promise<Record<string, unknown>> {
  const sizes = options.sizes ?? DEFAULT_SIZES;
  const reps = Math.max(10, options.reps ?? 15);
  const variants = options.variants ?? DEFAULT_VARIANTS;
  const started = performance.now();
  if (!(await tf.setBackend("webgpu"))) throw new Error("benchSelective: the webgpu backend is not available (no navigator.gpu?)");
  await tf.ready();
  const be = tf.backend() as unknown as {supportTimestampQuery?: boolean; adapterInfo?: Record<string, unknown>; device: {limits: Record<string, number>}};
  const adapter = be.adapterInfo ? {vendor: be.adapterInfo.vendor, architecture: be.adapterInfo.architecture, description: (be.adapterInfo as {description?: string}).description} : null;

  // Known answer first: a backend can look healthy and return zeros (software adapters).
  const check = await (async () => {
    const [nb, l, d, n] = [2, 300, 5, 6];
    const u = uniform(nb * l * d, 1), delta = uniform(nb * l * d, 2, -2, 1), A = uniform(d * n, 3, -2, -0.2);
    const B = uniform(nb * l * n, 4), C = uniform(nb * l * n, 5), D = uniform(d, 6), z = uniform(nb * l * d, 7, -2, 2), bias = uniform(d, 8);
    const want = selectiveScanLoop(u, delta, A, B, C, D, nb, l, d, n, {z, deltaBias: bias, deltaSoftplus: true});
    const y = tf.tidy(() => selectiveScanFused(tf.tensor(u, [nb, l, d]), tf.tensor(delta, [nb, l, d]), tf.tensor(A, [d, n]),
      tf.tensor(B, [nb, l, n]), tf.tensor(C, [nb, l, n]), D, {z: tf.tensor(z, [nb, l, d]), deltaBias: bias, deltaSoftplus: true}));
    const r = await errorVsLoop(y, want);
    y.dispose();
    return {...r, ok: r.maxAbsError <= 1e-3 * r.scale};
  })();
  log(`known answer: max abs error ${check.maxAbsError.toExponential(2)} (scale ${check.scale.toFixed(2)}); timestamp queries ${be.supportTimestampQuery ? "on" : "off"}`);
  if (!check.ok) throw new Error(`benchSelective: the fused kernel disagrees with the CPU loop (max abs error ${check.maxAbsError}, scale ${check.scale}): is this adapter computing correctly?`);

  const cells: Record<string, unknown>[] = [];
  for (const {l, d} of sizes) {
    const [nb, n] = [1, 16];
    const u = uniform(nb * l * d, 11), delta = uniform(nb * l * d, 12, 0.001, 0.1);
    const A = Float32Array.from({length: d * n}, (_, i) => -(1 + (i % n)));
    const B = uniform(nb * l * n, 13), C = uniform(nb * l * n, 14), D = uniform(d, 15);
    const ts = [tf.tensor(u, [nb, l, d]), tf.tensor(delta, [nb, l, d]), tf.tensor(A, [d, n]), tf.tensor(B, [nb, l, n]), tf.tensor(C, [nb, l, n]), tf.tensor(D)] as const;
    const cell: Record<string, unknown> = {b: nb, l, d, n, outputFloats: nb * l * d};
    const t0 = performance.now();
    const want = selectiveScanLoop(u, delta, A, B, C, D, nb, l, d, n);
    cell.cpuLoopMs = performance.now() - t0;
    const fused = (tuning: SelectiveScanTuning = {}) => () => selectiveScanFused(ts[0], ts[1], ts[2], ts[3], ts[4], ts[5], {}, tuning);
    const y = fused()();
    cell.fusedVsLoop = await errorVsLoop(y, want);
    y.dispose();
    // The floor: one trivial op on a GPU tensor of y's size, plus its readback.
    const x = tf.tidy(() => tf.add(ts[0], 0));
    await x.data();
    log(`l=${l} d=${d}: CPU loop ${(cell.cpuLoopMs as number).toFixed(0)} ms, fused vs loop ${JSON.stringify(cell.fusedVsLoop)}`);
    cell.floor = await timeRuns(() => tf.neg(x), reps);
    cell.fused = {...(await timeRuns(fused(), reps)), tuning: WEBGPU_DEFAULTS, kernelMs: await kernelMs(fused(), reps)};
    cell.floorKernelMs = await kernelMs(() => tf.neg(x), reps);
    log(`l=${l} d=${d}: floor ${(cell.floor as {ms: number}).ms.toFixed(2)} ms, fused ${(cell.fused as {ms: number}).ms.toFixed(2)} ms (kernel ${(cell.fused as {kernelMs: number | null}).kernelMs})`);
    x.dispose();
    const fusedMs = (cell.fused as {ms: number}).ms;
    cell.dispatchEstimateMs = fusedMs - (cell.floor as {ms: number}).ms;
    cell.variants = [];
    for (const v of variants) {
      try {
        const r = {tuning: v, ...(await timeRuns(fused(v), reps)), kernelMs: await kernelMs(fused(v), Math.min(reps, 10))};
        (cell.variants as unknown[]).push(r);
        log(`l=${l} d=${d}: fused ${JSON.stringify(v)} ${r.ms.toFixed(2)} ms (kernel ${r.kernelMs})`);
      } catch (e) {
        (cell.variants as unknown[]).push({tuning: v, error: (e as Error).message.slice(0, 200)});
      }
    }
    if (options.composite ?? true) {
      try {
        const yc = selectiveScanComposite(ts[0], ts[1], ts[2], ts[3], ts[4], ts[5]);
        cell.compositeVsLoop = await errorVsLoop(yc, want);
        yc.dispose();
        cell.composite = {...(await timeRuns(() => selectiveScanComposite(ts[0], ts[1], ts[2], ts[3], ts[4], ts[5]), reps)),
          kernelMs: await kernelMs(() => selectiveScanComposite(ts[0], ts[1], ts[2], ts[3], ts[4], ts[5]), Math.min(reps, 10))};
        log(`l=${l} d=${d}: composite ${(cell.composite as {ms: number}).ms.toFixed(2)} ms`);
      } catch (e) {
        cell.composite = {error: (e as Error).message.slice(0, 200)};
      }
    }
    tf.dispose([...ts]);
    cells.push(cell);
  }
  return {
    bench: "selectiveScan on webgpu (tfjs " + tf.version_core + ")",
    adapter, timestampQuery: Boolean(be.supportTimestampQuery),
    limits: {maxStorageBufferBindingSize: be.device.limits.maxStorageBufferBindingSize, maxComputeWorkgroupStorageSize: be.device.limits.maxComputeWorkgroupStorageSize},
    knownAnswer: check, reps, cells, numTensorsLeft: tf.memory().numTensors, seconds: (performance.now() - started) / 1000
  };
}
