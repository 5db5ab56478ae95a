// Page 6's Mamba-2 section (Dao & Gu 2024, "Transformers are SSMs"): a selective SSM whose Ā_t
// is a scalar times the identity, written as masked attention. One channel u, state size n:
//
//   Δ_t = softplus(softplus⁻¹(Δ) + spread · z_t)        (z_t seeded: a selective Δ; spread 0 = LTI)
//   a_t = Δ_t A (≤ 0),  x_t = Δ_t u_t,  B_t, C_t ∈ ℝⁿ (seeded, one per token)
//   S_t = exp(a_t) S_{t−1} + x_t B_tᵀ,  y_t = S_t C_t                         (recurrent)
//   y = (L ∘ C Bᵀ) x,  L_ts = exp(a_{s+1} + … + a_t) for s ≤ t                 (quadratic)
//   and the chunked algorithm between them (ssdSteps).
//
// L is 1-semiseparable: every block of it on or below the diagonal has rank 1. With spread = 0,
// exp(a_t) = γ for every t and L is RetNet's decay mask γ^{t−s}. Plain data out.
import * as tf from "@tensorflow/tfjs";
import {gaussian, selectiveScan, semiseparableMask, ssdMatrix, ssdQuadratic, ssdRecurrent, ssdSteps} from "../kernels/index.js";

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

export interface SsdParams {
  l: number;
  chunk: number;
  /** A < 0 (one scalar) */
  A: number;
  /** the step Δ at z = 0 */
  delta: number;
  /** how much Δ_t varies with the token (0: Δ_t = Δ for all t) */
  spread: number;
  /** state size n */
  n: number;
  seed: number;
}

export interface SsdSystem {
  params: SsdParams;
  /** (l): u, Δ_t, a_t = Δ_t A */
  u: Float32Array; delta: Float32Array; a: Float32Array;
  /** (l, n) row-major */
  B: Float32Array; C: Float32Array;
}

/** softplus(x) = log(1 + exp(x)), without overflow. */
export function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

/** softplus⁻¹(y) = log(exp(y) − 1), for y > 0. */
export function softplusInverse(y: number): number {
  return y > 20 ? y : Math.log(Math.expm1(y));
}

/** The seeded selective system of the section. */
export function ssdSystem(p: SsdParams): SsdSystem {
  const {l, n, A, delta, spread, seed} = p;
  if (!(A < 0) || !Number.isFinite(A)) throw new Error(`ssdSystem: A must be a finite number < 0, got ${A}`);
  if (!(delta > 0) || !Number.isFinite(delta)) throw new Error(`ssdSystem: delta must be a finite number > 0, got ${delta}`);
  const g = gaussian(seed * 6151 + 3);
  const u = Float32Array.from({length: l}, () => g());
  const z = Array.from({length: l}, () => g());
  const B = Float32Array.from({length: l * n}, () => g());
  const C = Float32Array.from({length: l * n}, () => g());
  const base = softplusInverse(delta);
  const d = Float32Array.from(z, (zt) => softplus(base + spread * zt));
  return {params: {...p}, u, delta: d, a: Float32Array.from(d, (dt) => dt * A), B, C};
}

export interface SsdView {
  sys: SsdSystem;
  /** (l, l): the 1-semiseparable mask L, and M = L ∘ C Bᵀ (y = M x) */
  L: Float32Array; M: Float32Array;
  /** the chunked algorithm: chunk length c, chunks, padded steps */
  chunk: number; chunks: number; padded: number;
  /** (l): step 1 (intra-chunk), step 4 (from the state before the chunk), and y = yDiag + yOff */
  yDiag: Float32Array; yOff: Float32Array; y: Float32Array;
  /** (chunks, n): step 2, each chunk's own state; step 3, the state entering each chunk */
  chunkStates: Float32Array; startStates: Float32Array;
  /** (chunks): exp(Σ a over the chunk), the decay step 3 carries a state across a chunk */
  chunkDecay: Float32Array;
  /** (n) */
  finalState: Float32Array;
  /** the other forms: quadratic, recurrent, and Mamba's selectiveScan with A·1ₙ */
  yQuad: Float32Array; yRec: Float32Array; ySel: Float32Array;
  /** largest differences: chunked − quadratic, chunked − recurrent, selectiveScan − chunked; max |y| */
  diff: {quadratic: number; recurrent: number; selective: number}; maxY: number;
  /** largest |2×2 minor| over the off-diagonal chunk blocks of L, relative to max L² (≈ 0: rank 1) */
  minor: number;
  ms: number;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** Largest |L_ij L_kl − L_il L_kj| over 2×2 minors inside each block below the diagonal blocks. */
export function offDiagonalMinor(L: ArrayLike<number>, l: number, c: number): number {
  let worst = 0, top = 0;
  for (let i = 0; i < L.length; i++) top = Math.max(top, Math.abs(L[i]));
  for (let r0 = c; r0 < l; r0 += c) {
    for (let c0 = 0; c0 < r0; c0 += c) {
      const r1 = Math.min(l, r0 + c), c1 = Math.min(r0, c0 + c);
      for (let i = r0; i < r1; i++) for (let k = i + 1; k < r1; k++) for (let j = c0; j < c1; j++) for (let m = j + 1; m < c1; m++) {
        worst = Math.max(worst, Math.abs(L[i * l + j] * L[k * l + m] - L[i * l + m] * L[k * l + j]));
      }
    }
  }
  return top > 0 ? worst / (top * top) : 0;
}

/** Every form of the section's SSD, and the chunked algorithm's intermediates, as plain arrays. */
export async function ssdView(sys: SsdSystem): Promise<SsdView> {
  const t0 = now();
  const {l, n, chunk, A} = sys.params;
  const ts = tf.tidy(() => {
    const x = tf.reshape(tf.mul(tf.tensor1d(sys.delta), tf.tensor1d(sys.u)), [1, l, 1, 1]); // (b, l, h, p) = (1, l, 1, 1)
    const a = tf.tensor3d(sys.a, [1, l, 1]);
    const B = tf.tensor4d(sys.B, [1, l, 1, n]), C = tf.tensor4d(sys.C, [1, l, 1, n]);
    const st = ssdSteps(x, a, B, C, {chunk});
    const quad = ssdQuadratic(x, a, B, C).y, rec = ssdRecurrent(x, a, B, C).y;
    const sel = selectiveScan(tf.tensor3d(sys.u, [1, l, 1]), tf.tensor3d(sys.delta, [1, l, 1]), tf.fill([1, n], A), tf.tensor3d(sys.B, [1, l, n]), tf.tensor3d(sys.C, [1, l, n]));
    return [semiseparableMask(tf.tensor1d(sys.a)), ssdMatrix(a, B, C), st.yDiag, st.yOff, st.y, st.chunkStates, st.startStates, st.chunkDecay, st.finalState, quad, rec, sel];
  });
  const [L, M, yDiag, yOff, y, chunkStates, startStates, chunkDecay, finalState, yQuad, yRec, ySel] = (await Promise.all(ts.map((t) => t.data()))) as Float32Array[];
  tf.dispose(ts);
  const c = Math.min(chunk, l), chunks = Math.ceil(l / c);
  let maxY = 0;
  for (const v of y) maxY = Math.max(maxY, Math.abs(v));
  return {
    sys, L, M, chunk: c, chunks, padded: chunks * c - l, yDiag, yOff, y, chunkStates, startStates, chunkDecay, finalState,
    yQuad, yRec, ySel, diff: {quadratic: maxAbsDiff(y, yQuad), recurrent: maxAbsDiff(y, yRec), selective: maxAbsDiff(ySel, y)}, maxY,
    minor: offDiagonalMinor(L, l, c), ms: now() - t0
  };
}

/** The rows [t0, t1) and columns of chunk k (for highlighting it). */
export function chunkRange(v: Pick<SsdView, "chunk" | "sys">, k: number): {t0: number; t1: number} {
  const t0 = k * v.chunk;
  return {t0, t1: Math.min(v.sys.params.l, t0 + v.chunk)};
}
