// Benchmark cases shared by the Node runner (cpu, wasm: bench/node.ts), the browser bundle
// (webgl, webgpu: bench/browser-entry.ts), the Node + Dawn entry (bench/gpu/lti.ts) and the
// /lab page (src/lessons/lab.ts), which runs them on a reader's device: one definition of
// every case, so `npm run bench` and the page time the same thing. Each case prepares its
// inputs once per size L, then times `run()` with a real readback (await y.data()) and,
// beside it, a plain JavaScript Float32Array loop computing the same thing (`js()`) in the
// same process. Timing yields to the event loop between calls (a page stays responsive and
// can be stopped); the yield is outside the timed span.
import * as tf from "@tensorflow/tfjs";
import {peakTensorBytes} from "../runtime/timing.js";
import {
  linearScan, linearScanLoop, selectiveScan, selectiveScanComposite, selectiveScanLoop, linearAttention, linearAttentionLoop, linearAttentionRecurrent,
  softmaxAttention, softmaxAttentionLoop, ssmKernel, ssmRecurrent, causalConvFFT, causalConvDirect,
  causalConv, causalConvFFTComposite, ssmRecurrentFused, ssmRecurrentComposite, softmaxAttentionFused, softmaxAttentionComposite,
  linearAttentionChunked, linearAttentionHeads, ssd, ssdRecurrent, ssdFused, ssdLoop, FUSED_BACKENDS,
  discretizeF64, dplrCtilde, dplrHippo, dplrKernel, dplrKernelF64, ssmKernelLoop
} from "../kernels/index.js";

export const SIZES = [256, 1024, 4096, 16384];
export const SHAPES = {
  linearScan: "a, b (L, 64)",
  selectiveScan: "b=1, d=64, n=16 (fused kernel)",
  selectiveScanComposite: "b=1, d=64, n=16 (composite ops)",
  selectiveScan1536: "b=1, d=1536, n=16 (fused kernel)",
  selectiveScanComposite1536: "b=1, d=1536, n=16 (composite ops)",
  ssmRecurrent: "n=16, fastest path",
  ssmRecurrentFused: "n=16, GPU program",
  ssmRecurrentComposite: "n=16, tfjs ops",
  ssmKernel: "n=16",
  ssmConvolution: "n=16, kernel K̄ then FFT convolution",
  causalConv: "u, K (L), fastest path",
  causalConvFFT: "u, K (L), fused on GPU",
  causalConvFFTComposite: "u, K (L), tfjs ops",
  causalConvDirect: "u, K (L)",
  softmaxAttention: "causal, d_k=d_v=16, fastest path",
  softmaxAttentionFused: "causal, d_k=d_v=16, GPU program",
  softmaxAttentionComposite: "causal, d_k=d_v=16, tfjs ops",
  linearAttention: "parallel, elu1, d_k=d_v=16",
  linearAttentionRecurrent: "scan, elu1, d_k=d_v=16",
  linearAttentionChunked: "SSD chunks of 64, elu1, d_k=d_v=16",
  linearAttentionFused: "fused (WebGPU scan; loop on cpu/wasm), elu1, d_k=d_v=16",
  ssd: "chunk 64, b=1, h=1, p=n=16",
  ssdRecurrent: "scan, b=1, h=1, p=n=16",
  ssdFused: "fused (WebGPU scan; loop on cpu/wasm), b=1, h=1, p=n=16",
  dplrKernel: "LegS N=64, Δ=0.01 (JS: dplrKernelF64)",
  ssmKernelLegS: "LegS N=64, Δ=0.01 (JS: float64 loop)"
};
/** Kernels whose work grows as L² (attention matrices, direct convolution). */
export const QUADRATIC = ["softmaxAttention", "softmaxAttentionFused", "softmaxAttentionComposite", "linearAttention", "causalConvDirect"];
/**
 * Skip rule shared by the runners: after a cell at prevL took ms per call (and firstMs for
 * the first call), the next size L is skipped when the measured time already exceeds capMs,
 * or the first call 4·capMs, or the predicted time ms·(L/prevL)^(1 or 2) exceeds 8 s.
 * Returns the reason, or "" to run it.
 */
export function skipReason(kernel: string, prevL: number, ms: number, firstMs: number, L: number, capMs: number): string {
  const predicted = ms * (L / prevL) ** (QUADRATIC.includes(kernel) ? 2 : 1);
  if (ms > capMs || firstMs > 4 * capMs || predicted > 8000) {
    return `skipped: L=${prevL} took ${(ms / 1000).toFixed(1)} s per call (first ${(firstMs / 1000).toFixed(1)} s), L=${L} predicted ${(predicted / 1000).toFixed(0)} s`;
  }
  return "";
}

/** The composite selective scan writes ~90 (l, d, n) tensors: at d = 1536, l = 4096 each is 403 MB. */
const COMPOSITE_1536_MAX_L = 1024;

/** l² attention matrices: 16384² float32 is 1 GiB per matrix, several alive at once. */
const ATTENTION_MAX_L = 4096;

export interface Prepared {run(): tf.Tensor; js(): unknown; dispose(): void}
/** Where the site's own webgl/webgpu programs (the *Fused kernels of the LTI and softmax paths) run. */
const GPU_BACKENDS = ["webgl", "webgpu"];
/** backends: where the case runs at all (a fused WebGPU program runs on webgpu only). */
export interface CaseDef {kernel: string; maxL?: number; backends?: string[]; prepare(L: number): Prepared}

function uniform(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({length: count}, () => lo + (hi - lo) * ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296));
}

/** A stable 16-state LTI system: rotations with radius 0.95…0.99 (blocks), B̄, C random. */
function system(n = 16): {Ab: Float32Array; Bb: Float32Array; C: Float32Array; n: number} {
  const Ab = new Float32Array(n * n);
  for (let i = 0; i < n; i += 2) {
    const r = 0.95 + 0.04 * (i / n);
    const th = 0.1 + i / n;
    Ab[i * n + i] = r * Math.cos(th); Ab[i * n + i + 1] = -r * Math.sin(th);
    Ab[(i + 1) * n + i] = r * Math.sin(th); Ab[(i + 1) * n + i + 1] = r * Math.cos(th);
  }
  return {Ab, Bb: uniform(n, 91), C: uniform(n, 92), n};
}

function ltiKernelLoop(Ab: Float32Array, Bb: Float32Array, C: Float32Array, n: number, L: number): Float32Array {
  const K = new Float32Array(L);
  let x = Float32Array.from(Bb);
  let x2 = new Float32Array(n);
  for (let k = 0; k < L; k++) {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += C[i] * x[i];
    K[k] = acc;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Ab[i * n + j] * x[j];
      x2[i] = s;
    }
    [x, x2] = [x2, x];
  }
  return K;
}

function ltiRecurrentLoop(Ab: Float32Array, Bb: Float32Array, C: Float32Array, n: number, u: Float32Array): Float32Array {
  const y = new Float32Array(u.length);
  let x = new Float32Array(n);
  let x2 = new Float32Array(n);
  for (let k = 0; k < u.length; k++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      let s = Bb[i] * u[k];
      for (let j = 0; j < n; j++) s += Ab[i * n + j] * x[j];
      x2[i] = s;
      acc += C[i] * s;
    }
    y[k] = acc;
    [x, x2] = [x2, x];
  }
  return y;
}

function convLoop(u: Float32Array, K: Float32Array): Float32Array {
  const y = new Float32Array(u.length);
  for (let k = 0; k < u.length; k++) {
    let acc = 0;
    for (let j = 0; j <= k; j++) acc += K[j] * u[k - j];
    y[k] = acc;
  }
  return y;
}

const elu1 = (x: Float32Array) => x.map((v) => (v > 0 ? v + 1 : Math.exp(v)));

/** Wraps a set of input tensors: run(), the JS baseline, and dispose(). */
function prepared(inputs: tf.Tensor[], run: () => tf.Tensor, js: () => unknown): Prepared {
  return {run, js, dispose: () => tf.dispose(inputs)};
}

/** S4's DPLR kernel and the naive kernel of the same system: HiPPO-LegS N = 64, bilinear Δ = 0.01. */
function dplrCases(): CaseDef[] {
  const N = 64, delta = 0.01;
  let sys: ReturnType<typeof dplrHippo> | null = null; // O(N³) once, on first use
  const legs = () => (sys ??= dplrHippo(N));
  const C = Array.from(uniform(N, 93), (v) => v / Math.sqrt(N));
  return [
    {kernel: "dplrKernel", prepare(L) {
      const Ct = dplrCtilde(legs(), C, delta, L); // S4 trains C̃: setup, not timed
      return prepared([], () => dplrKernel(legs(), Ct, delta, L), () => dplrKernelF64(legs(), Ct, delta, L));
    }},
    {kernel: "ssmKernelLegS", prepare(L) {
      const {Ab, Bb} = discretizeF64(legs().real.A, legs().real.B, delta, "bilinear");
      const ts = [tf.tensor2d(Ab), tf.tensor2d(Bb), tf.tensor2d([C])];
      const Ab64 = Ab.flat(), Bb64 = Bb.flat();
      return prepared(ts, () => ssmKernel(ts[0], ts[1], ts[2], L), () => ssmKernelLoop(Ab64, Bb64, C, L));
    }}
  ];
}

export function cases(): CaseDef[] {
  const sys = system();
  const lti = {ssmKernel, ssmRecurrent, ssmRecurrentFused, ssmRecurrentComposite, causalConv, causalConvFFT, causalConvFFTComposite, causalConvDirect} as const;
  const ltiCase = (kernel: keyof typeof lti, prepare: (f: any, L: number) => Prepared): CaseDef =>
    ({kernel, prepare: (L) => prepare(lti[kernel], L)});
  return [
    {kernel: "linearScan", prepare(L) {
      const m = 64;
      const a = uniform(L * m, 1, 0.5, 1);
      const b = uniform(L * m, 2);
      const at = tf.tensor(a, [L, m]);
      const bt = tf.tensor(b, [L, m]);
      return prepared([at, bt], () => linearScan(at, bt), () => linearScanLoop(a, b, L));
    }},
    ...([["selectiveScan", 64, selectiveScan], ["selectiveScanComposite", 64, selectiveScanComposite],
      ["selectiveScan1536", 1536, selectiveScan], ["selectiveScanComposite1536", 1536, selectiveScanComposite]] as const).map(([kernel, d, f]): CaseDef => ({
      kernel, maxL: kernel === "selectiveScanComposite1536" ? COMPOSITE_1536_MAX_L : undefined, prepare(L) {
        const [nb, n] = [1, 16];
        const u = uniform(nb * L * d, 3);
        const delta = uniform(nb * L * d, 4, 0.001, 0.1);
        const A = Float32Array.from({length: d * n}, (_, i) => -(1 + (i % n)));
        const B = uniform(nb * L * n, 5);
        const C = uniform(nb * L * n, 6);
        const D = uniform(d, 7);
        const ts = [tf.tensor(u, [nb, L, d]), tf.tensor(delta, [nb, L, d]), tf.tensor(A, [d, n]), tf.tensor(B, [nb, L, n]), tf.tensor(C, [nb, L, n]), tf.tensor(D)];
        return prepared(ts, () => f(ts[0], ts[1], ts[2], ts[3], ts[4], ts[5]) as tf.Tensor,
          () => selectiveScanLoop(u, delta, A, B, C, D, nb, L, d, n));
      }
    })),
    ...(["ssmRecurrent", "ssmRecurrentFused", "ssmRecurrentComposite"] as const).map((kernel) => ({...ltiCase(kernel, (f, L) => {
      const u = uniform(L, 8);
      const ts = [tf.tensor(sys.Ab, [sys.n, sys.n]), tf.tensor(sys.Bb, [sys.n, 1]), tf.tensor(sys.C, [1, sys.n]), tf.tensor(u)];
      return prepared(ts, () => f(ts[0], ts[1], ts[2], ts[3]), () => ltiRecurrentLoop(sys.Ab, sys.Bb, sys.C, sys.n, u));
    }), backends: kernel === "ssmRecurrentFused" ? GPU_BACKENDS : undefined})),
    // the convolutional view end to end: the same y as ssmRecurrent, from the same Ā, B̄, C, u
    {kernel: "ssmConvolution", prepare(L) {
      const u = uniform(L, 8);
      const ts = [tf.tensor(sys.Ab, [sys.n, sys.n]), tf.tensor(sys.Bb, [sys.n, 1]), tf.tensor(sys.C, [1, sys.n]), tf.tensor(u)];
      return prepared(ts, () => tf.tidy(() => causalConvFFT(ts[3], ssmKernel(ts[0], ts[1], ts[2], L))),
        () => ltiRecurrentLoop(sys.Ab, sys.Bb, sys.C, sys.n, u));
    }},
    ltiCase("ssmKernel", (f, L) => {
      const ts = [tf.tensor(sys.Ab, [sys.n, sys.n]), tf.tensor(sys.Bb, [sys.n, 1]), tf.tensor(sys.C, [1, sys.n])];
      return prepared(ts, () => f(ts[0], ts[1], ts[2], L), () => ltiKernelLoop(sys.Ab, sys.Bb, sys.C, sys.n, L));
    }),
    ...(["causalConv", "causalConvFFT", "causalConvFFTComposite", "causalConvDirect"] as const).map((kernel) => ltiCase(kernel, (f, L) => {
      const u = uniform(L, 9);
      const K = ltiKernelLoop(sys.Ab, sys.Bb, sys.C, sys.n, L);
      const ts = [tf.tensor(u), tf.tensor(K)];
      return prepared(ts, () => f(ts[0], ts[1]), () => convLoop(u, K));
    })),
    ...([["softmaxAttention", softmaxAttention], ["softmaxAttentionFused", softmaxAttentionFused], ["softmaxAttentionComposite", softmaxAttentionComposite]] as const)
      .map(([kernel, f]): CaseDef => ({kernel, maxL: kernel === "softmaxAttentionFused" ? undefined : ATTENTION_MAX_L,
        backends: kernel === "softmaxAttentionFused" ? GPU_BACKENDS : undefined, prepare(L) {
        const d = 16;
        const [q, k, v] = [uniform(L * d, 10), uniform(L * d, 11), uniform(L * d, 12)];
        const ts = [tf.tensor(q, [L, d]), tf.tensor(k, [L, d]), tf.tensor(v, [L, d])];
        return prepared(ts, () => f(ts[0], ts[1], ts[2]), () => softmaxAttentionLoop(q, k, v, L, d, d));
      }})),
    ...(["linearAttention", "linearAttentionRecurrent"] as const).map((kernel): CaseDef => ({
      kernel, maxL: kernel === "linearAttention" ? ATTENTION_MAX_L : undefined, prepare(L) {
        const d = 16;
        const [q, k, v] = [uniform(L * d, 13), uniform(L * d, 14), uniform(L * d, 15)];
        const ts = [tf.tensor(q, [L, d]), tf.tensor(k, [L, d]), tf.tensor(v, [L, d])];
        const f = kernel === "linearAttention" ? linearAttention : linearAttentionRecurrent;
        return prepared(ts, () => f(ts[0], ts[1], ts[2], {decay: 0.99}),
          () => linearAttentionLoop(elu1(q), elu1(k), v, L, d, d, 0.99, "sum"));
      }
    })),
    // page 6: linear attention in chunks and fused, SSD (x = v, B = φ(k), C = φ(q): the same sizes)
    ...(["linearAttentionChunked", "linearAttentionFused"] as const).map((kernel): CaseDef => ({
      kernel, backends: kernel === "linearAttentionFused" ? FUSED_BACKENDS : undefined, prepare(L) {
        const d = 16;
        const [q, k, v] = [uniform(L * d, 13), uniform(L * d, 14), uniform(L * d, 15)];
        const ts = kernel === "linearAttentionChunked"
          ? [tf.tensor(q, [L, d]), tf.tensor(k, [L, d]), tf.tensor(v, [L, d])]
          : [tf.tensor(q, [L, 1, d]), tf.tensor(k, [L, 1, d]), tf.tensor(v, [L, 1, d])];
        const run = kernel === "linearAttentionChunked"
          ? () => linearAttentionChunked(ts[0], ts[1], ts[2], {decay: 0.99, chunk: 64})
          : () => linearAttentionHeads(ts[0], ts[1], ts[2], {decay: 0.99, form: "fused"});
        return prepared(ts, run, () => linearAttentionLoop(elu1(q), elu1(k), v, L, d, d, 0.99, "sum"));
      }
    })),
    ...(["ssd", "ssdRecurrent", "ssdFused"] as const).map((kernel): CaseDef => ({
      kernel, backends: kernel === "ssdFused" ? FUSED_BACKENDS : undefined, prepare(L) {
        const [h, p, n] = [1, 16, 16];
        const x = uniform(L * h * p, 16), a = uniform(L * h, 17, -0.05, 0), B = uniform(L * h * n, 18), C = uniform(L * h * n, 19);
        const ts = [tf.tensor(x, [1, L, h, p]), tf.tensor(a, [1, L, h]), tf.tensor(B, [1, L, h, n]), tf.tensor(C, [1, L, h, n])];
        const f = kernel === "ssd" ? (...t: tf.Tensor[]) => ssd(t[0], t[1], t[2], t[3], {chunk: 64})
          : kernel === "ssdRecurrent" ? (...t: tf.Tensor[]) => ssdRecurrent(t[0], t[1], t[2], t[3]) : (...t: tf.Tensor[]) => ssdFused(t[0], t[1], t[2], t[3]);
        return prepared(ts, () => {
          const r = f(...ts);
          r.finalState.dispose();
          return r.y;
        }, () => ssdLoop(x, a, B, C, 1, L, h, p, n));
      }
    })),
    ...dplrCases()
  ];
}

export interface Timing {ms: number; reps: number; firstMs: number}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Lets the event loop run (a macrotask: input events, paints), outside any timed span. */
const pause = () => new Promise<void>((r) => setTimeout(r, 0));

/** Set `aborted` to stop a measurement between calls (the /lab page's Stop button). */
export interface StopSignal {aborted: boolean}

export interface TimingOptions {budgetMs?: number; maxReps?: number; signal?: StopSignal}

/**
 * Median time of run() + await data(), after one untimed warm-up call (shader compiles,
 * uploads). Repeats up to maxReps times or until budgetMs is spent (at least once), or
 * until `signal` is aborted (then with what it has).
 */
export async function timeKernel(p: Prepared, {budgetMs = 1500, maxReps = 7, signal}: TimingOptions = {}): Promise<Timing> {
  let t0 = performance.now();
  let y = p.run();
  await y.data();
  y.dispose();
  const firstMs = performance.now() - t0;
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxReps && (times.length === 0 || (performance.now() - start < budgetMs && !signal?.aborted))) {
    await pause();
    t0 = performance.now();
    y = p.run();
    await y.data();
    y.dispose();
    times.push(performance.now() - t0);
  }
  return {ms: median(times), reps: times.length, firstMs};
}

/** Median time of the plain JavaScript loop, same budget rules (no warm-up beyond the first). */
export async function timeJs(p: Prepared, {budgetMs = 1000, maxReps = 5, signal}: TimingOptions = {}): Promise<Timing> {
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxReps && (times.length === 0 || (performance.now() - start < budgetMs && !signal?.aborted))) {
    await pause();
    const t0 = performance.now();
    p.js();
    times.push(performance.now() - t0);
  }
  return {ms: median(times), reps: times.length, firstMs: times[0]};
}

export interface Cell {
  kernel: string; shape: string; backend: string; L: number;
  ms: number | null; reps: number; firstMs: number | null; jsMs: number | null; note?: string;
  /** tfjs's count of bytes in live tensors at its highest during one call, less what was alive before (only when asked) */
  peakBytes?: number | null;
}

export interface CellOptions {
  /** time the plain JS loop too */
  withJs: boolean;
  /** budgets of the tfjs and JS timings (defaults: those of `npm run bench`) */
  kernel?: TimingOptions;
  js?: TimingOptions;
  /** one more, untimed call that records the peak tensor bytes (runtime/timing.ts) */
  memory?: boolean;
}

/** One (kernel, L) cell on the current backend; the JS loop is timed only when withJs. */
export async function benchCell(def: CaseDef, L: number, backend: string, options: boolean | CellOptions): Promise<Cell> {
  const o: CellOptions = typeof options === "boolean" ? {withJs: options} : options;
  const base = {kernel: def.kernel, shape: SHAPES[def.kernel as keyof typeof SHAPES] ?? "", backend, L};
  if (def.backends && !def.backends.includes(backend)) {
    // not run here, but its plain JS loop still gives the other backends' ratio its baseline
    let jsMs: number | null = null;
    if (o.withJs) {
      const p = def.prepare(L);
      try { jsMs = (await timeJs(p, o.js)).ms; } finally { p.dispose(); }
    }
    return {...base, ms: null, reps: 0, firstMs: null, jsMs, note: `runs on ${def.backends.join(", ")} only`};
  }
  if (def.maxL && L > def.maxL) {
    const why = def.kernel.startsWith("selectiveScanComposite") ? `${((L * 1536 * 16 * 4) / 2 ** 30).toFixed(1)} GiB per (l, d, n) tensor` : `O(L²) memory (${((L * L * 4) / 2 ** 30).toFixed(0)} GiB per l×l matrix)`;
    return {...base, ms: null, reps: 0, firstMs: null, jsMs: null, note: `not run above L=${def.maxL}: ${why}`};
  }
  const p = def.prepare(L);
  try {
    let jsMs: number | null = null;
    if (o.withJs) jsMs = (await timeJs(p, o.js)).ms;
    try {
      const t = await timeKernel(p, o.kernel);
      const cell: Cell = {...base, ms: t.ms, reps: t.reps, firstMs: t.firstMs, jsMs};
      if (o.memory) {
        await pause();
        const {value: y, peakBytes} = peakTensorBytes(() => p.run());
        await y.data();
        y.dispose();
        cell.peakBytes = peakBytes;
      }
      return cell;
    } catch (e) {
      return {...base, ms: null, reps: 0, firstMs: null, jsMs, note: `error: ${(e as Error).message.slice(0, 120)}`};
    }
  } finally {
    p.dispose();
  }
}
