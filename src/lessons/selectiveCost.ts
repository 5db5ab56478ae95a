// The hardware-aware figure of page 5 (/selective): the selective scan timed on the reader's
// own backend three ways, beside the bytes each moves (Gu & Dao 2023, §3.3.2):
//   fused      selectiveScan: the backend's fused kernel (one loop on cpu/wasm, one WGSL dispatch
//              on webgpu, a few GLSL passes on webgl); Δ, exp(ΔA), ΔBu and h stay on chip
//   composite  selectiveScanComposite: tfjs ops; exp(ΔA), ΔBu and every level of the log-depth
//              scan are (b, l, d, n) tensors written to memory
//   loop       selectiveScanLoop: a plain JavaScript loop over t on typed arrays (the CPU baseline)
// Every timed call ends with a readback (await y.data(): a GPU backend only finishes when its
// result is read), through the same measuring loop as page 4 (viewsCost.ts): best of a few
// calls, a method dropped once its next point would take too long, stoppable at any point.
import * as tf from "@tensorflow/tfjs";
import {mulberry32, selectiveScan, selectiveScanBytes, selectiveScanComposite, selectiveScanLoop, selectiveScanPath, type SelectiveScanBytes} from "../kernels/index.js";
import {measureCost, type CostMethod, type CostPoint} from "./viewsCost.js";

export interface ScanInputs {
  l: number; d: number; n: number;
  u: Float32Array; delta: Float32Array; A: Float32Array; B: Float32Array; C: Float32Array; D: Float32Array; bias: Float32Array;
}

/** Seeded inputs drawn as Mamba's are at initialisation: A = −(1 … n), Δ = softplus(δ + bias) in about [1e-3, 1e-1]. */
export function scanInputs(l: number, d: number, n: number, seed = 1): ScanInputs {
  const r = mulberry32(seed * 7919 + l);
  const uni = (count: number, lo: number, hi: number) => Float32Array.from({length: count}, () => lo + (hi - lo) * r());
  const bias = Float32Array.from({length: d}, () => {
    const dt = Math.exp(Math.log(1e-3) + r() * (Math.log(1e-1) - Math.log(1e-3)));
    return dt + Math.log(-Math.expm1(-dt)); // softplus⁻¹(dt)
  });
  return {
    l, d, n, u: uni(l * d, -1, 1), delta: uni(l * d, -0.5, 0.5), A: Float32Array.from({length: d * n}, (_, i) => -(1 + (i % n))),
    B: uni(l * n, -1, 1), C: uni(l * n, -1, 1), D: new Float32Array(d).fill(1), bias
  };
}

export interface CostSetup {
  methods: CostMethod[];
  /** frees the inputs made so far */
  dispose: () => void;
  /** the bytes of each method at length l */
  bytes: (l: number) => SelectiveScanBytes;
}

/** The three methods at b = 1 and the given d, n (inputs made once per l, as tensors and arrays). */
export function selectiveCostMethods(d: number, n: number): CostSetup {
  const cache = new Map<number, {s: ScanInputs; t: tf.Tensor[]}>();
  const get = (l: number) => {
    let x = cache.get(l);
    if (!x) {
      const s = scanInputs(l, d, n);
      x = {s, t: [tf.tensor3d(s.u, [1, l, d]), tf.tensor3d(s.delta, [1, l, d]), tf.tensor2d(s.A, [d, n]), tf.tensor3d(s.B, [1, l, n]),
        tf.tensor3d(s.C, [1, l, n]), tf.tensor1d(s.D), tf.tensor1d(s.bias)]};
      cache.set(l, x);
    }
    return x;
  };
  const call = (f: typeof selectiveScan) => (l: number) => {
    const [u, delta, A, B, C, D, deltaBias] = get(l).t;
    return f(u, delta, A, B, C, D, {deltaBias, deltaSoftplus: true});
  };
  const path = (l: number) => selectiveScanPath(1, l, d, n);
  const methods: CostMethod[] = [
    {key: "fused", label: `fused kernel (${tf.getBackend()})`, growth: 1.1, unavailable: null, run: call(selectiveScan)},
    {key: "composite", label: "composite tfjs ops", growth: 1.15, unavailable: null, run: call(selectiveScanComposite)},
    {key: "loop", label: "plain JS loop", growth: 1.05, unavailable: null, run: (l) => {
      const {s} = get(l);
      return tf.tensor3d(selectiveScanLoop(s.u, s.delta, s.A, s.B, s.C, s.D, 1, l, d, n, {deltaBias: s.bias, deltaSoftplus: true}), [1, l, d]);
    }}
  ];
  if (path(64).path !== "fused") methods[0].label = `selectiveScan (${path(64).reason}: composite fallback)`;
  const dispose = () => { for (const x of cache.values()) tf.dispose(x.t); cache.clear(); };
  return {methods, dispose, bytes: (l) => selectiveScanBytes({b: 1, l, d, n, D: true, deltaBias: true})};
}

export interface CostRun {
  points: CostPoint[];
  /** bytes per l measured */
  bytes: {l: number; states: number; fusedMoved: number; compositeWritten: number}[];
}

/** The lengths the figure measures. */
export const COST_LENGTHS = [64, 256, 1024, 4096, 16384];

/**
 * Times the three methods at each length on the active backend (see the header), calling
 * onPoint after each point. `signal.aborted` stops it between points. Disposes its inputs.
 */
export async function measureSelectiveCost({d, n}: {d: number; n: number}, {signal, onPoint, lengths = COST_LENGTHS, budgetMs = 800}:
  {signal?: {aborted: boolean}; onPoint?: (p: CostPoint) => void; lengths?: number[]; budgetMs?: number} = {}): Promise<CostRun> {
  const setup = selectiveCostMethods(d, n);
  try {
    const points = await measureCost(setup.methods, lengths, {budgetMs, reps: 3, signal, onPoint});
    const ls = [...new Set(points.map((p) => p.L))];
    return {points, bytes: ls.map((l) => { const b = setup.bytes(l); return {l, states: b.states, fusedMoved: b.fusedRead + b.fusedWrite, compositeWritten: b.compositeWrite}; })};
  } finally {
    setup.dispose();
  }
}

/** One sentence on the measured points: the fused kernel against the others at the largest common length. */
export function costSentence(points: CostPoint[], backend: string): string {
  const at = (m: string) => new Map(points.filter((p) => p.method === m).map((p) => [p.L, p.ms]));
  const fused = at("fused"), comp = at("composite"), loop = at("loop");
  const common = [...fused.keys()].filter((l) => comp.has(l)).sort((a, b) => b - a)[0];
  const parts: string[] = [];
  if (common != null) parts.push(`at L = ${common} the composite ops took ${(comp.get(common)! / fused.get(common)!).toFixed(1)}× the fused kernel's time`);
  const withLoop = [...fused.keys()].filter((l) => loop.has(l)).sort((a, b) => b - a)[0];
  if (withLoop != null) {
    const r = loop.get(withLoop)! / fused.get(withLoop)!;
    parts.push(`at L = ${withLoop} the JS loop took ${r >= 1 ? `${r.toFixed(1)}×` : `${(1 / r).toFixed(1)}× less than`} the fused kernel's time`);
  }
  return parts.length ? `On ${backend}: ${parts.join("; ")}.` : `On ${backend}: not enough points to compare.`;
}

/** Bytes in words: 1.2 kB, 35 MB, 4.1 GB. */
export function formatBytes(x: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0;
  while (x >= 1000 && i < units.length - 1) { x /= 1000; i++; }
  return `${x >= 100 || i === 0 ? x.toFixed(0) : x.toPrecision(2)} ${units[i]}`;
}
