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
//
// Two implementations, one result:
// - selectiveScan runs the active backend's fused kernel (registered with tfjs under the
//   name "SelectiveScan", see selective/): cpu and wasm, one typed-array loop on the
//   tensors' own memory (selective/loop.ts); webgpu, one WGSL dispatch (selective/webgpu.ts;
//   a second, tiny one packs D and deltaBias when both are given);
//   webgl, a few GLSL passes over chunks of l (selective/webgl.ts). Where no fused kernel
//   applies it falls back to the composite ops.
// - selectiveScanComposite builds the same from tfjs ops: differentiable, and the reference.
//
// What stays on chip, and what goes to memory (Gu & Dao 2023, Section 3.3.2, "hardware-aware
// state expansion"): the state h has b·l·d·n entries over the whole sequence, n times the
// input. An unfused implementation materialises tensors of that size in memory: this file's
// composite version writes exp(ΔA), ΔBu and, for each of its ceil(log2 l) scan levels, the
// shifted and combined pairs — about (4 + 7·ceil(log2 l)) (b, l, d, n) float32 tensors, i.e.
// 4·b·l·d·n bytes each (b=1, l=4096, d=1536, n=16: 403 MB per tensor, ~35 GB written in all).
// The fused kernels keep Δ, exp(ΔA), ΔBu and the state in registers (webgpu: plus the
// chunk's scanned maps in workgroup memory; webgl: 2·b·d·n·⌈l/T⌉ chunk maps per pass) and
// write only y (b, l, d) (and the last state (b, d, n) when asked): for the sizes above,
// 4·(3·l·d + 2·l·n) bytes read and 4·l·d written, ~100 MB in all. selectiveScanBytes computes
// these counts for any sizes.
//
// Gradients: selectiveScanComposite is differentiable op by op. selectiveScan on a fused
// kernel is differentiable too when it returns y alone: its gradient recomputes the forward
// with the composite ops and differentiates that (recomputation, as Mamba's backward pass
// does), so tf.grad works through both; with returnLastState the fused path has no gradient
// (use selectiveScanComposite).
import * as tf from "@tensorflow/tfjs";
import {assertShape, assertRank, assertValues, fail, toTensor, type TensorLike} from "../validate.js";
import {scanPairs} from "./linearScan.js";
import {SELECTIVE_SCAN, type SelectiveScanTuning} from "./selective/names.js";
import {fusedUnsupported} from "./selective/register.js";

export type {SelectiveScanTuning} from "./selective/names.js";

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
 * selectiveScanComposite, computed by the active backend's fused kernel (see the header),
 * or by the composite ops where no fused kernel applies (selectiveScanPath says which).
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
  return tf.tidy(() => {
    const a = selectiveScanArgs("selectiveScan", u, delta, A, B, C, D, opts);
    return fusedUnsupported(a.nb, a.l, a.d, a.n) ? selectiveScanCompositeOf(a) : selectiveScanFusedOf(a);
  });
}

/**
 * The fused kernel of the active backend, never the composite fallback: throws
 * "selectiveScanFused: …" where there is none for these sizes. For tests and benchmarks;
 * `tuning` sets the GPU kernels' knobs (workgroup size, items, state group; WebGL chunk).
 */
export function selectiveScanFused(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D?: TensorLike | null, opts?: SelectiveScanOptions & {returnLastState?: false}, tuning?: SelectiveScanTuning
): tf.Tensor;
export function selectiveScanFused(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D: TensorLike | null | undefined, opts: SelectiveScanOptions & {returnLastState: true}, tuning?: SelectiveScanTuning
): {y: tf.Tensor; lastState: tf.Tensor};
export function selectiveScanFused(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D?: TensorLike | null, opts?: SelectiveScanOptions, tuning?: SelectiveScanTuning
): SelectiveScanResult;
export function selectiveScanFused(
  u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike,
  D?: TensorLike | null, opts: SelectiveScanOptions = {}, tuning: SelectiveScanTuning = {}
): SelectiveScanResult {
  const fn = "selectiveScanFused";
  return tf.tidy(() => {
    const a = selectiveScanArgs(fn, u, delta, A, B, C, D, opts);
    const why = fusedUnsupported(a.nb, a.l, a.d, a.n);
    if (why) fail(fn, why);
    return selectiveScanFusedOf(a, tuning);
  });
}

/** Which implementation selectiveScan uses on the active backend for these sizes, and why. */
export function selectiveScanPath(nb: number, l: number, d: number, n: number): {path: "fused" | "composite"; backend: string; reason: string} {
  const why = fusedUnsupported(nb, l, d, n);
  return {path: why ? "composite" : "fused", backend: tf.getBackend(), reason: why || `fused ${tf.getBackend()} kernel`};
}

/** Runs the registered fused kernel on validated arguments (call inside a tidy). */
export function selectiveScanFusedOf(a: SelectiveScanArgs, tuning: SelectiveScanTuning = {}): SelectiveScanResult {
  const inputs: tf.NamedTensorMap = {u: a.u, delta: a.delta, A: a.A, B: a.B, C: a.C};
  if (a.D) inputs.D = a.D;
  if (a.z) inputs.z = a.z;
  if (a.deltaBias) inputs.deltaBias = a.deltaBias;
  const attrs = {deltaSoftplus: a.deltaSoftplus, returnLastState: a.returnLastState, ...tuning} as unknown as tf.NamedAttrMap;
  if (a.returnLastState) {
    const [y, lastState] = tf.engine().runKernel<tf.Tensor[]>(SELECTIVE_SCAN, inputs, attrs);
    return {y, lastState};
  }
  // y alone: differentiable by recomputing the forward with the composite ops.
  const names = Object.keys(inputs);
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, names.length) as tf.Tensor[];
    (args[names.length] as tf.GradSaveFunc)(xs);
    const byName: tf.NamedTensorMap = Object.fromEntries(names.map((k, i) => [k, xs[i]]));
    return {
      value: tf.engine().runKernel<tf.Tensor>(SELECTIVE_SCAN, byName, attrs),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => nestedGrads((...ys: tf.Tensor[]) => {
        const get = (k: string) => ys[names.indexOf(k)] ?? null;
        return selectiveScanCompositeOf({...a, u: ys[0], delta: ys[1], A: ys[2], B: ys[3], C: ys[4], D: get("D"), z: get("z"), deltaBias: get("deltaBias")}) as tf.Tensor;
      }, saved, dy)
    };
  });
  return run(...names.map((k) => inputs[k]));
}

/**
 * tf.grads(f)(xs, dy) from inside a gradient function. tfjs 4's engine keeps one tape: a
 * gradient computed during another's backward pass starts a fresh tape and, when done,
 * drops it (engine.state.activeTape = null), which breaks the outer pass's cleanup. So the
 * outer tape is put back afterwards. Checked by the selectiveScan gradient tests.
 */
function nestedGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], dy: tf.Tensor): tf.Tensor[] {
  const state = (tf.engine() as unknown as {state: {activeTape: unknown}}).state;
  const outer = state.activeTape;
  try {
    return tf.grads(f)(xs, dy);
  } finally {
    state.activeTape = outer;
  }
}

export interface SelectiveScanBytes {
  /** float32 bytes of one (b, l, d, n) tensor: the states h over the whole sequence */
  states: number;
  /** bytes the fused kernel reads: u, Δ (and z) (b, l, d), B, C (b, l, n), A (d, n), D and bias (d), once each */
  fusedRead: number;
  /** bytes the fused kernel writes: y (b, l, d), plus the last state (b, d, n) when asked */
  fusedWrite: number;
  /** scan levels of the composite version, ceil(log2 l) */
  levels: number;
  /** (b, l, d, n)-sized float32 tensors the composite version writes (slices counted by their length) */
  compositeStateTensors: number;
  /** bytes of those writes (the composite's smaller (b, l, d) tensors are not counted) */
  compositeWrite: number;
}

/**
 * Bytes moved by the selective scan at these sizes: the fused kernels' reads and writes
 * against the (b, l, d, n) tensors the unfused composite version writes (see the header).
 * `D`, `z`, `deltaBias`, `lastState` say which optional inputs and outputs are present.
 */
export function selectiveScanBytes({b, l, d, n, D = true, z = false, deltaBias = false, lastState = false}:
  {b: number; l: number; d: number; n: number; D?: boolean; z?: boolean; deltaBias?: boolean; lastState?: boolean}): SelectiveScanBytes {
  for (const [k, v] of Object.entries({b, l, d, n})) {
    if (!Number.isInteger(v) || v < 1) fail("selectiveScanBytes", `${k} must be an integer ≥ 1, got ${v}`);
  }
  const F = 4;
  const bdn = b * d * n;
  let levels = 0;
  let steps = 0; // length-units of the scan's writes: per level slice+pad of A and B, two muls, one add
  for (let s = 1; s < l; s *= 2, levels++) steps += 5 * l + 2 * (l - s);
  // exp(ΔA) (mul and exp), ΔBu (the broadcast mul), the scan, h·C (mul before the sum)
  const compositeSteps = 2 * l + l + steps + l;
  return {
    states: F * bdn * l,
    fusedRead: F * (b * l * d * (2 + (z ? 1 : 0)) + 2 * b * l * n + d * n + d * ((D ? 1 : 0) + (deltaBias ? 1 : 0))),
    fusedWrite: F * (b * l * d + (lastState ? bdn : 0)),
    levels,
    compositeStateTensors: compositeSteps / l,
    compositeWrite: F * bdn * compositeSteps
  };
}
