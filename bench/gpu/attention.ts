// Real-GPU benchmark of page 6's kernels on tfjs-backend-webgpu (Dawn in Node; see
// bench/gpu/attention-main.ts for the entry, bench/gpu/attention_torch.py for PyTorch's peer
// numbers at the same sizes). Softmax attention against linear attention (parallel, scan,
// SSD chunks, fused WebGPU scan) against SSD (chunked, scan, fused) as L grows, for d = 16 and
// 64: one head, d_k = d_v = d for attention and p = n = d for SSD, so linear attention with
// decay and SSD with scalar decay do the same arithmetic.
//
// Each cell: one untimed warm-up call (pipeline compiles), then the median of `reps` calls,
// each timed from the call to the end of `await y.data()` (a real readback, as PyTorch's
// synchronize + .cpu()). Before timing, every kernel is checked against a plain-JS loop at a
// small size; the JSON says how far off it was, and `ok` is false if any check failed. Every
// timed cell is also compared with a plain-JS loop at its own size (softmax up to L = 4096),
// so a cell that silently computed garbage (a GPU validation error, a buffer over the
// binding limit) shows as a large maxAbsErr instead of a fast time.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import {
  linearAttention, linearAttentionChunked, linearAttentionHeads, linearAttentionLoop, linearAttentionRecurrent, softmaxAttention,
  softmaxAttentionLoop, ssd, ssdFused, ssdLoop, ssdRecurrent, fusedChunk
} from "../../src/kernels/index.js";

export interface AttentionBenchOptions {
  sizes?: number[];
  dims?: number[];
  reps?: number;
  /** cells predicted (from the previous L) to take longer than this are skipped */
  capMs?: number;
  kernels?: string[];
  /** progress lines (stderr in the entry) */
  log?: (line: string) => void;
}

type Inputs = {q: tf.Tensor; k: tf.Tensor; v: tf.Tensor; x: tf.Tensor; a: tf.Tensor; B: tf.Tensor; C: tf.Tensor};

/** name → [run(inputs) → y, grows as L² (memory and time)] */
const KERNELS: Record<string, [(t: Inputs, L: number) => tf.Tensor, boolean]> = {
  softmax: [(t) => softmaxAttention(t.q, t.k, t.v), true],
  linearParallel: [(t) => linearAttention(t.q, t.k, t.v, {decay: 0.99}), true],
  linearScan: [(t) => linearAttentionRecurrent(t.q, t.k, t.v, {decay: 0.99}), false],
  linearChunked: [(t) => linearAttentionChunked(t.q, t.k, t.v, {decay: 0.99, chunk: 64}), false],
  linearFused: [(t, L) => tf.tidy(() => {
    const d = t.q.shape[1] as number;
    return linearAttentionHeads(tf.reshape(t.q, [L, 1, d]), tf.reshape(t.k, [L, 1, d]), tf.reshape(t.v, [L, 1, d]), {decay: 0.99, form: "fused"});
  }), false],
  ssdChunked: [(t) => first(ssd(t.x, t.a, t.B, t.C, {chunk: 64})), false],
  ssdScan: [(t) => first(ssdRecurrent(t.x, t.a, t.B, t.C)), false],
  ssdFused: [(t) => first(ssdFused(t.x, t.a, t.B, t.C)), false]
};

function first(r: {y: tf.Tensor; finalState: tf.Tensor}): tf.Tensor {
  r.finalState.dispose();
  return r.y;
}

function uniform(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({length: count}, () => lo + (hi - lo) * ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296));
}

function arrays(L: number, d: number) {
  return {q: uniform(L * d, 1), k: uniform(L * d, 2), v: uniform(L * d, 3), a: uniform(L, 4, -0.05, 0), B: uniform(L * d, 5), C: uniform(L * d, 6)};
}

function inputs(L: number, d: number): Inputs {
  const r = arrays(L, d);
  return {
    q: tf.tensor(r.q, [L, d]), k: tf.tensor(r.k, [L, d]), v: tf.tensor(r.v, [L, d]),
    x: tf.tensor(r.v, [1, L, 1, d]), a: tf.tensor(r.a, [1, L, 1]), B: tf.tensor(r.B, [1, L, 1, d]), C: tf.tensor(r.C, [1, L, 1, d])
  };
}

const elu1 = (x: Float32Array) => x.map((t) => (t > 0 ? t + 1 : Math.exp(t)));

/** Known answers at L = 200, d = 8 (chunk boundaries included): max abs error per kernel. */
async function knownAnswers(): Promise<Record<string, number>> {
  const [L, d] = [200, 8];
  const r = arrays(L, d);
  const want: Record<string, Float32Array> = {
    softmax: softmaxAttentionLoop(r.q, r.k, r.v, L, d, d),
    linear: linearAttentionLoop(elu1(r.q), elu1(r.k), r.v, L, d, d, 0.99, "sum"),
    ssd: ssdLoop(r.v, r.a, r.B, r.C, 1, L, 1, d, d).y
  };
  const t = inputs(L, d);
  const out: Record<string, number> = {};
  for (const [name, [f]] of Object.entries(KERNELS)) {
    const y = f(t, L);
    const got = (await y.data()) as Float32Array;
    y.dispose();
    const ref = want[name === "softmax" ? "softmax" : name.startsWith("linear") ? "linear" : "ssd"];
    let err = 0;
    for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(got[i] - ref[i]));
    out[name] = Number.isNaN(err) || got.length !== ref.length ? Infinity : err;
  }
  tf.dispose(Object.values(t));
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Softmax attention's last `rows` rows only (each row needs all earlier keys: O(rows·L·d)). */
function softmaxLastRows(q: Float32Array, k: Float32Array, v: Float32Array, L: number, d: number, rows: number): Float32Array {
  const out = new Float32Array(L * d).fill(NaN); // NaN: not checked
  const w = new Float64Array(L);
  for (let t = L - rows; t < L; t++) {
    let max = -Infinity;
    for (let s = 0; s <= t; s++) {
      let acc = 0;
      for (let i = 0; i < d; i++) acc += q[t * d + i] * k[s * d + i];
      w[s] = acc / Math.sqrt(d);
      max = Math.max(max, w[s]);
    }
    let sum = 0;
    for (let s = 0; s <= t; s++) sum += (w[s] = Math.exp(w[s] - max));
    for (let j = 0; j < d; j++) {
      let acc = 0;
      for (let s = 0; s <= t; s++) acc += w[s] * v[s * d + j];
      out[t * d + j] = acc / sum;
    }
  }
  return out;
}

/** Plain-JS references at (L, d), computed once and shared by the kernels of a family. */
const refCache = new Map<string, Float32Array>();
function reference(kernel: string, L: number, d: number): Float32Array {
  const family = kernel === "softmax" ? "softmax" : kernel.startsWith("linear") ? "linear" : "ssd";
  const key = `${family} ${L} ${d}`;
  if (!refCache.has(key)) {
    const r = arrays(L, d);
    refCache.set(key, family === "softmax" ? softmaxLastRows(r.q, r.k, r.v, L, d, Math.min(16, L))
      : family === "linear" ? linearAttentionLoop(elu1(r.q), elu1(r.k), r.v, L, d, d, 0.99, "sum")
      : ssdLoop(r.v, r.a, r.B, r.C, 1, L, 1, d, d).y);
  }
  return refCache.get(key)!;
}

/** Max |got − want| over the entries the reference has (NaN in want: not computed), and that over max(1, max |want|). */
function maxAbsErr(got: Float32Array, want: Float32Array): {abs: number; rel: number} {
  if (got.length !== want.length) return {abs: Infinity, rel: Infinity};
  let e = 0;
  let scale = 1;
  for (let i = 0; i < got.length; i++) {
    if (Number.isNaN(want[i])) continue;
    const x = Math.abs(got[i] - want[i]);
    e = Number.isNaN(x) ? Infinity : Math.max(e, x);
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return {abs: e, rel: e / scale};
}

/** Runs the benchmark on the webgpu backend and returns one JSON-ready object. */
export async function benchAttention(opts: AttentionBenchOptions = {}): Promise<Record<string, unknown>> {
  const {sizes = [1024, 4096, 16384], dims = [16, 64], reps = 7, capMs = 20_000, kernels = Object.keys(KERNELS), log = () => {}} = opts;
  const unknown = kernels.filter((k) => !(k in KERNELS));
  if (unknown.length) throw new Error(`benchAttention: unknown kernels ${unknown.join(", ")} (known: ${Object.keys(KERNELS).join(", ")})`);
  const started = performance.now();
  const ok = await tf.setBackend("webgpu");
  await tf.ready();
  if (!ok || tf.getBackend() !== "webgpu") throw new Error(`benchAttention: webgpu backend unavailable (active: ${tf.getBackend()})`);
  const backend = tf.backend() as unknown as {adapterInfo?: unknown; device?: {limits?: Record<string, number>}};
  const limit = backend.device?.limits?.maxStorageBufferBindingSize ?? 0;
  const checks = await knownAnswers();
  const checksOk = Object.values(checks).every((e) => e < 1e-3);
  log(`known answers (max abs error at L=200, d=8): ${JSON.stringify(checks)}`);
  const cells: Record<string, unknown>[] = [];
  for (const d of dims) {
    for (const kernel of kernels) {
      const [f, quadratic] = KERNELS[kernel];
      let prev: {L: number; ms: number} | null = null;
      for (const L of sizes) {
        const cell: Record<string, unknown> = {kernel, d, L};
        const predicted = prev ? prev.ms * (L / prev.L) ** (quadratic ? 2 : 1) : 0;
        if (predicted > capMs) {
          cells.push({...cell, ms: null, note: `skipped: predicted ${(predicted / 1000).toFixed(1)} s from L=${prev!.L}`});
          continue;
        }
        // the largest buffer the kernel makes: an L×L matrix, or the scan's (L, d·d) states
        const bytes = quadratic ? 4 * L * L : kernel === "linearScan" || kernel === "ssdScan" ? 4 * L * d * d : 0;
        if (limit && bytes > limit) {
          cells.push({...cell, ms: null, note: `skipped: needs a ${(bytes / 2 ** 20).toFixed(0)} MiB buffer, over maxStorageBufferBindingSize ${(limit / 2 ** 20).toFixed(0)} MiB`});
          log(`${kernel.padEnd(15)} d=${String(d).padEnd(3)} L=${String(L).padEnd(6)} ${cells[cells.length - 1].note}`);
          continue;
        }
        const t = inputs(L, d);
        const done = (c: Record<string, unknown>) => {
          cells.push(c);
          log(`${kernel.padEnd(15)} d=${String(d).padEnd(3)} L=${String(L).padEnd(6)} ${c.ms == null ? c.note : `${c.ms} ms (first ${c.firstMs} ms)`}`);
        };
        try {
          let t0 = performance.now();
          let y = f(t, L);
          await y.data();
          y.dispose();
          const firstMs = performance.now() - t0;
          const times: number[] = [];
          let got: Float32Array = new Float32Array(0);
          for (let i = 0; i < reps; i++) {
            t0 = performance.now();
            y = f(t, L);
            got = (await y.data()) as Float32Array;
            y.dispose();
            times.push(performance.now() - t0);
          }
          const ms = median(times);
          const err = maxAbsErr(got, reference(kernel, L, d));
          done({...cell, ms: +ms.toFixed(3), minMs: +Math.min(...times).toFixed(3), firstMs: +firstMs.toFixed(1), reps,
            maxAbsErr: +err.abs.toExponential(2), relErr: +err.rel.toExponential(2),
            ...(kernel.endsWith("Fused") ? {chunk: Math.min(fusedChunk(L), L)} : {})});
          prev = {L, ms};
        } catch (e) {
          done({...cell, ms: null, note: `error: ${String((e as Error).message).split("\n")[0].slice(0, 160)}`});
        } finally {
          tf.dispose(Object.values(t));
        }
      }
    }
  }
  // the floor: one small op + readback, as in the project's GPU notes
  const one = tf.ones([1024]);
  const floor: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    const y = tf.add(one, 1);
    await y.data();
    y.dispose();
    floor.push(performance.now() - t0);
  }
  one.dispose();
  return {
    bench: "attention", backend: tf.getBackend(), tfjs: tf.version_core,
    ok: checksOk && cells.every((c) => c.ms == null || (c.relErr as number) < 1e-3), checks,
    adapter: backend.adapterInfo ?? null, maxStorageBufferBindingSize: limit || null,
    floorMs: +median(floor).toFixed(3), sizes, dims, reps, heads: 1, note: "median ms per call incl. await y.data(); attention d_k = d_v = d, elu1, decay 0.99; SSD b=1, h=1, p=n=d, a in [-0.05, 0]",
    cells, numTensors: tf.memory().numTensors, seconds: +((performance.now() - started) / 1000).toFixed(1)
  };
}
