// Mamba's selective scan (S6): Algorithm 2 of Gu & Dao (2023), with the interface and
// semantics of `selective_scan_ref` in state-spaces/mamba (mamba_ssm/ops/selective_scan_interface.py),
// in the (b, l, d) layout of johnma2006/mamba-minimal instead of the reference's (b, d, l).
//
// Glossary: b batch, l length, d channels (d_inner), n state size per channel;
// u input, delta Δ (step size), A (d, n) diagonal continuous-time state matrix (one row of n
// entries per channel, negative for a stable system), B, C (b, l, n) input-dependent input and
// output maps, D (d) skip connection, z (b, l, d) gate, deltaBias (d) added to Δ.
//
//   Δ ← Δ + deltaBias;  Δ ← softplus(Δ) if deltaSoftplus           (b, l, d)
//   Ā_t = exp(Δ_t A)                                                (b, l, d, n)  ZOH for A
//   B̄_t u_t = Δ_t B_t u_t                                            (b, l, d, n)  Euler for B
//   h_t = Ā_t ⊙ h_{t−1} + B̄_t u_t,  h_{−1} = 0
//   y_t = C_t · h_t + D u_t                                          (b, l, d)
//   y ← y · silu(z)                                                  if z is given
import * as tf from "@tensorflow/tfjs";
import {assertShape, assertRank, assertValues, fail, toTensor, type TensorLike} from "../validate.js";
import {scanPairs} from "./linearScan.js";

export interface SelectiveScanOptions {
  /** (b, l, d): the output is multiplied by silu(z) */
  z?: TensorLike | null;
  /** (d): added to Δ before the softplus */
  deltaBias?: TensorLike | null;
  /** apply softplus(Δ + deltaBias) (Mamba does); otherwise Δ + deltaBias must be > 0 */
  deltaSoftplus?: boolean;
  /** also return the state after the last step, (b, d, n) */
  returnLastState?: boolean;
}

export type SelectiveScanResult = tf.Tensor | {y: tf.Tensor; lastState: tf.Tensor};

/** The validated inputs of a selective scan, as float32 tensors, and its sizes. */
export interface SelectiveScanArgs {
  u: tf.Tensor; delta: tf.Tensor; A: tf.Tensor; B: tf.Tensor; C: tf.Tensor;
  D: tf.Tensor | null; z: tf.Tensor | null; deltaBias: tf.Tensor | null;
  deltaSoftplus: boolean; returnLastState: boolean;
  nb: number; l: number; d: number; n: number;
}

/**
 * Converts and validates selective-scan arguments (shapes always; values where they are on the
 * CPU). Call inside a tidy: the tensors it makes belong to the caller's scope.
 */
export function selectiveScanArgs(
  fn: string, u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D: TensorLike | null | undefined, opts: SelectiveScanOptions = {}
): SelectiveScanArgs {
  if (opts != null && typeof opts !== "object") fail(fn, `opts must be an object, got ${typeof opts}`);
  const {z = null, deltaBias = null, deltaSoftplus = false, returnLastState = false} = opts ?? {};
  const ut = toTensor(u, fn, "u");
  assertRank(ut, 3, fn, "u", "(b,l,d)");
  const [nb, l, d] = ut.shape as number[];
  if (l < 1 || d < 1 || nb < 1) fail(fn, `u must have b, l, d ≥ 1, but got shape (${ut.shape.join(",")})`);
  const deltat = toTensor(delta, fn, "delta");
  assertShape(deltat, [nb, l, d], fn, "delta", "(b,l,d)");
  const At = toTensor(A, fn, "A");
  assertRank(At, 2, fn, "A", "(d,n)");
  assertShape(At, [d, null], fn, "A", "(d,n)");
  const n = At.shape[1] as number;
  if (n < 1) fail(fn, `A must have n ≥ 1 state entries per channel, but got shape (${At.shape.join(",")})`);
  const Bt = toTensor(B, fn, "B");
  assertShape(Bt, [nb, l, n], fn, "B", "(b,l,n)");
  const Ct = toTensor(C, fn, "C");
  assertShape(Ct, [nb, l, n], fn, "C", "(b,l,n)");
  const Dt = D == null ? null : toTensor(D, fn, "D");
  if (Dt) assertShape(Dt, [d], fn, "D", "(d)");
  const zt = z == null ? null : toTensor(z, fn, "z");
  if (zt) assertShape(zt, [nb, l, d], fn, "z", "(b,l,d)");
  const biast = deltaBias == null ? null : toTensor(deltaBias, fn, "deltaBias");
  if (biast) assertShape(biast, [d], fn, "deltaBias", "(d)");
  // Without softplus Δ itself is the step and must be > 0; with it (or with a bias, checked
  // below) any finite Δ is allowed.
  const deltaRule = deltaSoftplus || biast ? "finite" : "positive";
  const opt = (t: tf.Tensor | null, name: string) => (t ? [[t, name, "finite"] as [tf.Tensor, string, "finite"]] : []);
  assertValues(fn, [
    [ut, "u", "finite"], [deltat, "delta", deltaRule], [At, "A", "finite"], [Bt, "B", "finite"], [Ct, "C", "finite"],
    ...opt(Dt, "D"), ...opt(zt, "z"), ...opt(biast, "deltaBias")
  ]);
  return {u: ut, delta: deltat, A: At, B: Bt, C: Ct, D: Dt, z: zt, deltaBias: biast,
    deltaSoftplus: Boolean(deltaSoftplus), returnLastState: Boolean(returnLastState), nb, l, d, n};
}

/** Δ after the bias and the softplus, (b, l, d). */
export function effectiveDelta(a: SelectiveScanArgs): tf.Tensor {
  let dt = a.deltaBias ? tf.add(a.delta, a.deltaBias) : a.delta;
  if (a.deltaSoftplus) dt = tf.softplus(dt);
  return dt;
}

/**
 * Selective scan from composite tfjs ops: differentiable (tf.grad runs through it), and the
 * reference the fused per-backend kernels are checked against. The recurrence runs as one
 * log-depth linearScan along l over all b·d·n entries (ceil(log2 l) levels), so it writes
 * several (l, b, d, n) tensors to memory: what the fused kernels avoid.
 *
 * u, delta (b, l, d); A (d, n); B, C (b, l, n); D (d) or null → y (b, l, d), or {y, lastState (b, d, n)}.
 */
export function selectiveScanComposite(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D?: TensorLike | null, opts?: SelectiveScanOptions & {returnLastState?: false}
): tf.Tensor;
export function selectiveScanComposite(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D: TensorLike | null | undefined, opts: SelectiveScanOptions & {returnLastState: true}
): {y: tf.Tensor; lastState: tf.Tensor};
export function selectiveScanComposite(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D?: TensorLike | null, opts?: SelectiveScanOptions
): SelectiveScanResult;
export function selectiveScanComposite(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D?: TensorLike | null, opts: SelectiveScanOptions = {}
): SelectiveScanResult {
  return tf.tidy(() => selectiveScanCompositeOf(selectiveScanArgs("selectiveScanComposite", u, delta, A, B, C, D, opts)));
}

/** The composite computation on validated arguments (call inside a tidy). */
export function selectiveScanCompositeOf(a: SelectiveScanArgs): SelectiveScanResult {
  const {nb, l, d, n} = a;
  const dt = effectiveDelta(a); // (b, l, d)
  // Scan along l: put l first. (l, b, d, 1) and (l, b, 1, n) broadcast to (l, b, d, n).
  const deltaL = tf.expandDims(tf.transpose(dt, [1, 0, 2]), 3); // (l, b, d, 1)
  const uL = tf.expandDims(tf.transpose(a.u, [1, 0, 2]), 3); // (l, b, d, 1)
  const BL = tf.expandDims(tf.transpose(a.B, [1, 0, 2]), 2); // (l, b, 1, n)
  const CL = tf.expandDims(tf.transpose(a.C, [1, 0, 2]), 2); // (l, b, 1, n)
  const Ab = tf.exp(tf.mul(deltaL, tf.reshape(a.A, [1, 1, d, n]))); // (l, b, d, n)
  const Bbu = tf.mul(tf.mul(deltaL, uL), BL); // (l, b, d, n)
  const h = scanPairs(Ab, Bbu); // (l, b, d, n)
  let y = tf.sum(tf.mul(h, CL), 3); // (l, b, d)
  if (a.D) y = tf.add(y, tf.mul(tf.squeeze(uL, [3]), a.D)); // (l, b, d)
  y = tf.transpose(y, [1, 0, 2]); // (b, l, d)
  if (a.z) y = tf.mul(y, tf.mul(a.z, tf.sigmoid(a.z))); // y · silu(z)
  if (!a.returnLastState) return y;
  const lastState = tf.reshape(tf.slice(h, [l - 1, 0, 0, 0], [1, nb, d, n]), [nb, d, n]); // (b, d, n)
  return {y, lastState};
}

/**
 * Selective scan (the kernel contract): the same semantics and result as
 * selectiveScanComposite, computed by the fastest exact path of the active backend.
 */
export function selectiveScan(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D?: TensorLike | null, opts?: SelectiveScanOptions & {returnLastState?: false}
): tf.Tensor;
export function selectiveScan(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D: TensorLike | null | undefined, opts: SelectiveScanOptions & {returnLastState: true}
): {y: tf.Tensor; lastState: tf.Tensor};
export function selectiveScan(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D?: TensorLike | null, opts?: SelectiveScanOptions
): SelectiveScanResult;
export function selectiveScan(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D?: TensorLike | null, opts: SelectiveScanOptions = {}
): SelectiveScanResult {
  return tf.tidy(() => selectiveScanCompositeOf(selectiveScanArgs("selectiveScan", u, delta, A, B, C, D, opts)));
}
