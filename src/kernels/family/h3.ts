// H3, the "Hungry Hungry Hippos" layer (Fu, Dao, Saab, Thomas, Rudra & Ré 2023, "Hungry
// Hungry Hippos: Towards Language Modeling with State Space Models"): two SSMs and two
// multiplicative interactions, built so that an SSM layer can compare tokens (recall and copy).
//
//   K̃ = SSM_shift(K),   KV = K̃ ⊙ V,   O = Q ⊙ SSM_diag(KV)          (single head, head dim 1)
//
//   SSM_shift  x_k = Ā x_{k−1} + B̄ u_k, y_k = C x_k + D_shift u_k with Ā the N×N shift matrix
//              (ones below the diagonal: the state is the last N inputs) and B̄ = e_1 at
//              initialisation: a causal convolution with N taps, kernel k_j = Σ_i B_i C_{i+j}
//              (HazyResearch/H3 src/models/ssm/ss_kernel_shift.py). It lets a token see the
//              tokens just before it.
//   SSM_diag   a diagonal complex SSM (S4D), x_k = exp(ΔΛ) x_{k−1} + B̄ u_k, y_k = 2 Re(C x_k)
//              + D u_k, per channel with its own Δ: its long kernel remembers KV.
//
// As in the official forward (src/models/ssm/h3.py, the FFT branch), both SSMs are applied as
// convolutions with their kernels and their D skip terms; with head dim p > 1 the channels are
// grouped (h, p) and the state is the outer product per head,
//   KV_{h, i, j} = K̃_{h,i} V_{h,j},  O_{j·H + h} = Σ_i Q_{h,i} SSM_diag(KV)_{h,i,j},
// channel order as the code's einops patterns ('(h d1)' in, '(d h)' out). The q/k/v and output
// projections are the caller's (h3Init does not make them).
//
// Glossary: l length, d = H·p channels (d_model), H heads, p head dim, N shift taps, m diagonal
// modes (conjugate pairs); q, k, v (l, d) → (l, d).
import * as tf from "@tensorflow/tfjs";
import {gaussian, mulberry32} from "../random.js";
import {assertInteger, assertRank, assertShape, assertValues, fail, shapeString, toTensor, type TensorLike} from "../validate.js";
import {channelArg, complexArg, type ComplexLike} from "./args.js";
import {cmul} from "./complex.js";
import {causalConvRows} from "./conv.js";
import {diagonalKernel} from "./dss.js";

export interface H3Params {
  /** the shift SSM of K: B, C (d, N) (kernel k_j = Σ_i B_i C_{i+j}) and its skip D (d) */
  shift: {B: TensorLike; C: TensorLike; D: TensorLike};
  /** the diagonal SSM of KV, per head: A (m) shared or (H, m), B (H, m) (default 1), C (H, m), Δ (H), skip D (H) */
  diag: {A: ComplexLike; B?: ComplexLike; C: ComplexLike; delta: TensorLike; D: TensorLike};
  /** head dimension p (default 1: H = d heads of width 1) */
  headDim?: number;
}

function checkQKV(fn: string, q: TensorLike, k: TensorLike, v: TensorLike): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  const qt = toTensor(q, fn, "q");
  assertRank(qt, 2, fn, "q", "(l, d)");
  if (qt.shape.some((s) => s < 1)) fail(fn, `q must have shape (l, d) with l, d ≥ 1, but got ${shapeString(qt.shape)}`);
  const kt = toTensor(k, fn, "k"), vt = toTensor(v, fn, "v");
  assertShape(kt, qt.shape, fn, "k", "(l, d)");
  assertShape(vt, qt.shape, fn, "v", "(l, d)");
  assertValues(fn, [[qt, "q", "finite"], [kt, "k", "finite"], [vt, "v", "finite"]]);
  return [qt as tf.Tensor2D, kt as tf.Tensor2D, vt as tf.Tensor2D];
}

const corrIndex = new Map<number, Int32Array>();
/** Gather indices (N·N) into C padded with a zero at N: M[i, j] = C[i + j] or 0. */
function corrIdx(N: number): Int32Array {
  let idx = corrIndex.get(N);
  if (!idx) {
    idx = new Int32Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) idx[i * N + j] = i + j < N ? i + j : N;
    if (corrIndex.size > 16) corrIndex.clear();
    corrIndex.set(N, idx);
  }
  return idx;
}

/** The shift SSM's kernel (d, N): k_j = Σ_i B_i C_{i+j}. Call inside tf.tidy. */
function shiftKernelOf(B: tf.Tensor2D, C: tf.Tensor2D): tf.Tensor2D {
  const [d, N] = B.shape;
  const M = tf.reshape(tf.gather(tf.pad(C, [[0, 0], [0, 1]]), tf.tensor1d(corrIdx(N), "int32"), 1), [d, N, N]);
  return tf.reshape(tf.matMul(tf.reshape(B, [d, 1, N]), M), [d, N]) as tf.Tensor2D;
}

/** Validated shift-SSM arguments. Call inside tf.tidy. */
function checkShift(fn: string, shift: H3Params["shift"], d: number | null): {B: tf.Tensor2D; C: tf.Tensor2D; D: tf.Tensor1D} {
  if (shift == null || typeof shift !== "object") fail(fn, `shift must be {B, C, D}, got ${shift === null ? "null" : typeof shift}`);
  const C = toTensor(shift.C, fn, "shift.C");
  assertRank(C, 2, fn, "shift.C", "(d, N)");
  if (d !== null && C.shape[0] !== d) fail(fn, `shift.C must have shape (d, N) with d = ${d}, but got ${shapeString(C.shape)}`);
  if ((C.shape as number[])[1] < 1) fail(fn, `shift.C must have N ≥ 1 taps, but got ${shapeString(C.shape)}`);
  const B = toTensor(shift.B, fn, "shift.B");
  assertShape(B, C.shape, fn, "shift.B", "(d, N)");
  assertValues(fn, [[B, "shift.B", "finite"], [C, "shift.C", "finite"]]);
  return {B: B as tf.Tensor2D, C: C as tf.Tensor2D, D: channelArg(shift.D, C.shape[0], fn, "shift.D")};
}

/**
 * The kernel of H3's shift SSM, k_j = Σ_i B_i C_{i+j}, j = 0 … N−1 (= C for B = e_1).
 * B, C (d, N) → (d, N).
 */
export function h3ShiftKernel(B: TensorLike, C: TensorLike): tf.Tensor2D {
  const fn = "h3ShiftKernel";
  return tf.tidy(() => {
    const s = checkShift(fn, {B, C, D: 0}, null);
    return shiftKernelOf(s.B, s.C);
  });
}

/**
 * The H3 layer between its projections: O = Q ⊙ SSM_diag(SSM_shift(K) ⊙ V) (head dim 1), or
 * the outer-product form per head for headDim p > 1 (see the header). q, k, v (l, d) → (l, d).
 */
export function h3(q: TensorLike, k: TensorLike, v: TensorLike, params: H3Params): tf.Tensor2D {
  const fn = "h3";
  return tf.tidy(() => {
    const [qt, kt, vt] = checkQKV(fn, q, k, v);
    const [l, d] = qt.shape;
    if (params == null || typeof params !== "object") fail(fn, `params must be {shift, diag, headDim?}, got ${params === null ? "null" : typeof params}`);
    const p = params.headDim ?? 1;
    assertInteger(p, fn, "headDim", 1, d);
    if (d % p !== 0) fail(fn, `headDim must divide d = ${d}, got ${p}`);
    const H = d / p;
    // SSM_shift on K: taps (d, N) padded or cut to l, plus D_shift ⊙ K
    const s = checkShift(fn, params.shift, d);
    const N = s.C.shape[1];
    let Ks = shiftKernelOf(s.B, s.C); // (d, N)
    Ks = N >= l ? tf.slice(Ks, [0, 0], [d, l]) as tf.Tensor2D : tf.pad(Ks, [[0, 0], [0, l - N]]) as tf.Tensor2D; // (d, l)
    const kT = tf.transpose(kt) as tf.Tensor2D; // (d, l)
    const kShift = tf.add(causalConvRows(kT, Ks), tf.mul(kT, tf.reshape(s.D, [d, 1]))); // (d, l), channel c = h·p + i
    // SSM_diag on KV: one kernel per head, shared by its p·p state entries
    const dg = params.diag;
    if (dg == null || typeof dg !== "object") fail(fn, `diag must be {A, B?, C, delta, D}, got ${dg === null ? "null" : typeof dg}`);
    const C = complexArg(dg.C, fn, "diag.C");
    assertRank(C.re, 2, fn, "diag.C", "(H, m)");
    if (C.re.shape[0] !== H) fail(fn, `diag.C must have shape (H, m) with H = d / headDim = ${H}, but got ${shapeString(C.re.shape)}`);
    const m = (C.re.shape as number[])[1];
    let W = C;
    if (dg.B !== undefined) {
      const Bd = complexArg(dg.B, fn, "diag.B");
      assertShape(Bd.re, [H, m], fn, "diag.B", "(H, m)");
      W = cmul(C, Bd);
    }
    W = {re: tf.mul(W.re, 2), im: tf.mul(W.im, 2)}; // 2 Re(·): each mode is a conjugate pair
    const Kd = diagonalKernel(fn, {Lambda: "diag.A", W: "diag.C", delta: "diag.delta"}, dg.A, W, dg.delta, l, "exp"); // (H, l): 2 Re Σ C B̄ Ā^k
    const Dd = channelArg(dg.D, H, fn, "diag.D");
    const kv = tf.mul(tf.reshape(kShift, [H, p, 1, l]), tf.reshape(tf.transpose(vt), [H, 1, p, l])); // (H, p_i, p_j, l)
    const rows = tf.reshape(kv, [H * p * p, l]) as tf.Tensor2D;
    const Krows = tf.reshape(tf.broadcastTo(tf.reshape(Kd, [H, 1, l]), [H, p * p, l]), [H * p * p, l]) as tf.Tensor2D;
    const y = tf.add(tf.reshape(causalConvRows(rows, Krows), [H, p, p, l]), tf.mul(kv, tf.reshape(Dd, [H, 1, 1, 1]))); // (H, p_i, p_j, l)
    const o = tf.sum(tf.mul(y, tf.reshape(tf.transpose(qt), [H, p, 1, l])), 1); // (H, p_j, l): Σ_i Q_{h,i} y_{h,i,j}
    return tf.reshape(tf.transpose(o, [2, 1, 0]), [l, d]) as tf.Tensor2D; // (l, p_j·H + h)
  });
}

/** Plain-number H3 parameters (what h3Init returns). */
export interface H3Arrays {
  shift: {B: number[][]; C: number[][]; D: number[]};
  diag: {A: {re: number[]; im: number[]}; B: {re: number[][]; im: number[][]}; C: {re: number[][]; im: number[][]}; delta: number[]; D: number[]};
  headDim: number;
}

/**
 * Seeded H3 parameters as the official initialisation (src/models/ssm/ss_kernel.py): shift
 * SSM B = e_1, C ~ U(−1/√N, 1/√N) (Conv1d's kaiming-uniform bound), D_shift ~ N(0, 1);
 * diagonal SSM S4D-Lin λ_n = −½ + iπn (m = N/2 pairs), B = 1, C complex N(0, 1), Δ log-uniform
 * in [0.001, 0.1] per head, D ~ N(0, 1).
 */
export function h3Init(d: number, {N = 8, m = 4, headDim = 1, seed = 0}: {N?: number; m?: number; headDim?: number; seed?: number} = {}): H3Arrays {
  const fn = "h3Init";
  assertInteger(d, fn, "d", 1, 1 << 12);
  assertInteger(N, fn, "N", 1, 1 << 10);
  assertInteger(m, fn, "m", 1, 1 << 10);
  assertInteger(headDim, fn, "headDim", 1, d);
  if (d % headDim !== 0) fail(fn, `headDim must divide d = ${d}, got ${headDim}`);
  const H = d / headDim, g = gaussian(seed), r = mulberry32(seed + 7);
  const bound = 1 / Math.sqrt(N);
  const rows = (n: number, cols: number, f: (j: number) => number) => Array.from({length: n}, () => Array.from({length: cols}, (_, j) => f(j)));
  return {
    shift: {B: rows(d, N, (j) => (j === 0 ? 1 : 0)), C: rows(d, N, () => bound * (2 * r() - 1)), D: Array.from({length: d}, () => g())},
    diag: {
      A: {re: new Array(m).fill(-0.5), im: Array.from({length: m}, (_, n) => Math.PI * n)},
      B: {re: rows(H, m, () => 1), im: rows(H, m, () => 0)},
      C: {re: rows(H, m, () => g() / Math.SQRT2), im: rows(H, m, () => g() / Math.SQRT2)},
      delta: Array.from({length: H}, () => Math.exp(Math.log(0.001) + r() * (Math.log(0.1) - Math.log(0.001)))),
      D: Array.from({length: H}, () => g())
    },
    headDim
  };
}
