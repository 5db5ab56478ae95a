// Live cost of the two views (page 4, /views, figure 3): time per call against L on the
// reader's own backend. Not a kernel: an async measuring loop around the synchronous kernels.
// Each timed call ends with a real readback (await data()), as docs/toolchain.md asks; between
// calls the loop yields to the event loop so slider drags stay responsive; a method stops at
// the next L when its predicted time (from its measured growth) passes `budgetMs`.
import * as tf from "@tensorflow/tfjs";
import {timeCall} from "../runtime/timing.js";
import {causalConvDirect, causalConvFFT, causalConvTfSpectral, ssmKernel, ssmRecurrent, s4dKernel, type Complex, mulberry32} from "../kernels/index.js";

export interface CostMethod {
  key: string;
  label: string;
  /** growth exponent used to predict the next L's time (2 for O(L²) methods) */
  growth: number;
  /** null if available on this backend, else the reason */
  unavailable: string | null;
  /** one call at length L (synchronous; the caller disposes the result) */
  run: (L: number) => tf.Tensor;
}

export interface CostPoint { method: string; label: string; L: number; ms: number; reps: number }

export interface CostSystem {
  /** Ā (n, n), B̄ (n, 1), C (1, n) of one channel (float32 arrays) */
  Ab: number[][]; Bb: number[][]; C: number[][];
  /** diagonal modes for the Vandermonde kernel, or null */
  modes: {A: Complex<Float64Array>; B: Complex<Float64Array>; C: Complex<Float64Array>; conj: boolean; delta: number} | null;
}

/** Random u, K of length L (seeded), as tensors owned by the caller. */
function inputs(L: number): {u: tf.Tensor1D; K: tf.Tensor1D} {
  const r = mulberry32(L);
  const u = Float32Array.from({length: L}, () => r() * 2 - 1);
  const K = Float32Array.from({length: L}, (_, k) => Math.exp(-k / 50) * (r() * 2 - 1));
  return {u: tf.tensor1d(u), K: tf.tensor1d(K)};
}

/** The methods compared on the page, with the current system plugged in. */
export function costMethods(sys: CostSystem, backend: string): {methods: CostMethod[]; dispose: () => void} {
  const cache = new Map<number, {u: tf.Tensor1D; K: tf.Tensor1D}>();
  const get = (L: number) => { let x = cache.get(L); if (!x) { x = inputs(L); cache.set(L, x); } return x; };
  const gpu = backend === "webgl" || backend === "webgpu";
  const methods: CostMethod[] = [
    {key: "rec", label: `recurrence (parallel scan, n = ${sys.Ab.length})`, growth: 1.1, unavailable: null,
      run: (L) => ssmRecurrent(sys.Ab, sys.Bb, sys.C, get(L).u)},
    {key: "fft", label: "convolution by FFT (site's own)", growth: 1.1, unavailable: null, run: (L) => causalConvFFT(get(L).u, get(L).K)},
    {key: "direct", label: "convolution, direct O(L²)", growth: 2, unavailable: null, run: (L) => causalConvDirect(get(L).u, get(L).K)},
    {key: "spectral", label: gpu ? `convolution by tf.spectral (${backend}: naive DFT)` : "convolution by tf.spectral",
      growth: gpu ? 2 : 1.2, unavailable: backend === "wasm" ? "tf.spectral has no Complex kernel on wasm" : null,
      run: (L) => causalConvTfSpectral(get(L).u, get(L).K)},
    {key: "kdense", label: "kernel K̄ by powers of Ā (dense)", growth: 1.1, unavailable: null, run: (L) => ssmKernel(sys.Ab, sys.Bb, sys.C, L)}
  ];
  if (sys.modes) {
    const md = sys.modes;
    methods.push({key: "kvand", label: "kernel K̄ by Vandermonde (S4D)", growth: 1.1, unavailable: null,
      run: (L) => s4dKernel(md.A, md.B, md.C, md.delta, L, {conj: md.conj})});
  }
  const dispose = () => { for (const x of cache.values()) tf.dispose([x.u, x.K]); cache.clear(); };
  return {methods, dispose};
}

const pause = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Times every available method at each L (ascending), calling `onPoint` after each point.
 * Stops a method once its predicted next time exceeds budgetMs; stops all when `signal`
 * is aborted. The caller disposes the methods' inputs (costMethods(...).dispose()).
 */
export async function measureCost(methods: CostMethod[], Ls: number[], {budgetMs = 700, reps = 3, signal, onPoint}:
  {budgetMs?: number; reps?: number; signal?: {aborted: boolean}; onPoint?: (p: CostPoint) => void} = {}): Promise<CostPoint[]> {
  const points: CostPoint[] = [];
  const stopped = new Set<string>();
  const last = new Map<string, {L: number; ms: number}>();
  {
    for (const L of Ls) {
      for (const m of methods) {
        if (signal?.aborted) return points;
        if (m.unavailable || stopped.has(m.key)) continue;
        const prev = last.get(m.key);
        if (prev && prev.ms * (L / prev.L) ** m.growth > budgetMs) { stopped.add(m.key); continue; }
        await pause();
        let r: {ms: number; reps: number};
        try {
          r = await timeCall(() => m.run(L), reps);
        } catch (e) {
          stopped.add(m.key);
          console.warn(`measureCost: ${m.key} failed at L = ${L}:`, e);
          continue;
        }
        const p = {method: m.key, label: m.label, L, ms: r.ms, reps: r.reps};
        points.push(p);
        last.set(m.key, {L, ms: r.ms});
        onPoint?.(p);
      }
    }
    return points;
  }
}
