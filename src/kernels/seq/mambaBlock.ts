// The Mamba block (Gu & Dao 2023, Figure 3 and Section 3.4) with the semantics of `Mamba.forward`
// in state-spaces/mamba (mamba_ssm/modules/mamba_simple.py, its path without fused CUDA kernels),
// in the (b, l, ·) layout:
//
//   xz    = x Wᵢₙᵀ                                   (b, l, 2E)    in_proj (no bias)
//   x, z  = xz[…, :E], xz[…, E:]                      (b, l, E) each
//   x     = SiLU(causal depthwise conv1d(x) + c)      (b, l, E)     kernel d_conv (4), per channel
//   xDbl  = x Wₓᵀ                                     (b, l, R + 2N) x_proj (no bias)
//   δ, B, C = xDbl[…, :R], xDbl[…, R:R+N], xDbl[…, R+N:]
//   Δ     = δ W_Δᵀ                                    (b, l, E)     dt_proj's weight; its bias
//   y     = selectiveScan(x, Δ, A = −exp(A_log), B, C, D, {z, deltaBias: dt_proj.bias, deltaSoftplus: true})
//   out   = y Wₒᵤₜᵀ                                   (b, l, M)     out_proj (no bias)
//
// Glossary: M = d_model, E = d_inner = expand·M, N = d_state, R = dt_rank = ceil(M/16),
// K = d_conv. Weights are stored as torch's nn.Linear keeps them, (out, in), so a checkpoint's
// tensors load as they are (conv1d.weight (E, 1, K) flattened to (E, K)).
// Initialisation as Mamba.__init__: nn.Linear's default U(±1/√fan_in) for in_proj, x_proj and
// out_proj, conv1d U(±1/√K) for weight and bias, dt_proj.weight U(±R^−½), dt_proj.bias the
// inverse softplus of Δ drawn log-uniformly in [dt_min, dt_max] = [1e-3, 1e-1] (floored at
// 1e-4), A_log = log(1…N) for every channel (S4D-real), D = 1.
import * as tf from "@tensorflow/tfjs";
import {assertShape, assertRank, fail, toTensor, type TensorLike} from "../validate.js";
import {mulberry32} from "../random.js";
import {selectiveScan, selectiveScanComposite} from "./selectiveScan.js";

export interface MambaConfig {
  /** M, the block's input and output width */
  dModel: number;
  /** N, the state size per channel (16) */
  dState: number;
  /** K, the causal convolution's width (4) */
  dConv: number;
  /** E / M (2) */
  expand: number;
  /** E = expand · M */
  dInner: number;
  /** R, the rank of Δ's projection: ceil(M / 16) by default */
  dtRank: number;
}

/** Mamba's defaults: d_state 16, d_conv 4, expand 2, dt_rank "auto" = ceil(d_model / 16). */
export function mambaConfig(dModel: number, {dState = 16, dConv = 4, expand = 2, dtRank}: Partial<Omit<MambaConfig, "dModel" | "dInner">> = {}): MambaConfig {
  const fn = "mambaConfig";
  const int = (v: unknown, name: string, min = 1) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) fail(fn, `${name} must be an integer ≥ ${min}, got ${String(v)}`);
    return v;
  };
  int(dModel, "dModel");
  int(dState, "dState");
  int(dConv, "dConv");
  if (typeof expand !== "number" || !(expand > 0) || !Number.isInteger(expand * dModel)) fail(fn, `expand must be > 0 with expand·dModel an integer, got ${String(expand)}`);
  const rank = dtRank ?? Math.ceil(dModel / 16);
  int(rank, "dtRank");
  return {dModel, dState, dConv, expand, dInner: expand * dModel, dtRank: rank};
}

/** The block's parameters (float32), shapes as in torch: see MAMBA_PARAM_SHAPES. */
export interface MambaParams<T = tf.Tensor | Float32Array> {
  /** in_proj.weight (2E, M) */
  inProjW: T;
  /** conv1d.weight (E, K) (torch's (E, 1, K)) */
  convW: T;
  /** conv1d.bias (E) */
  convB: T;
  /** x_proj.weight (R + 2N, E) */
  xProjW: T;
  /** dt_proj.weight (E, R) */
  dtProjW: T;
  /** dt_proj.bias (E): enters the scan as deltaBias, before the softplus */
  dtProjB: T;
  /** A_log (E, N): A = −exp(A_log) */
  ALog: T;
  /** D (E): the skip connection */
  D: T;
  /** out_proj.weight (M, E) */
  outProjW: T;
}

export const MAMBA_PARAM_NAMES = ["inProjW", "convW", "convB", "xProjW", "dtProjW", "dtProjB", "ALog", "D", "outProjW"] as const;

/** The shape of every parameter for a config. */
export function mambaParamShapes(c: MambaConfig): Record<keyof MambaParams, number[]> {
  const {dModel: M, dInner: E, dState: N, dtRank: R, dConv: K} = c;
  return {inProjW: [2 * E, M], convW: [E, K], convB: [E], xProjW: [R + 2 * N, E], dtProjW: [E, R], dtProjB: [E], ALog: [E, N], D: [E], outProjW: [M, E]};
}

export interface MambaInitOptions {
  dtMin?: number;
  dtMax?: number;
  dtInitFloor?: number;
  dtScale?: number;
  /** "random" (Mamba's default): dt_proj.weight U(±dtScale·R^−½); "constant": all dtScale·R^−½ */
  dtInit?: "random" | "constant";
}

/** Seeded parameters following Mamba's __init__ (see the header), as Float32Arrays. */
export function mambaInit(c: MambaConfig, seed = 0, {dtMin = 1e-3, dtMax = 1e-1, dtInitFloor = 1e-4, dtScale = 1, dtInit = "random"}: MambaInitOptions = {}): MambaParams<Float32Array> {
  const fn = "mambaInit";
  if (!(dtMin > 0 && dtMax >= dtMin)) fail(fn, `dtMin and dtMax must satisfy 0 < dtMin ≤ dtMax, got ${dtMin} and ${dtMax}`);
  const rand = mulberry32(seed);
  const {dModel: M, dInner: E, dState: N, dtRank: R, dConv: K} = c;
  const uniform = (count: number, bound: number) => Float32Array.from({length: count}, () => (2 * rand() - 1) * bound);
  const dtStd = dtScale * R ** -0.5;
  const dtProjB = Float32Array.from({length: E}, () => {
    const dt = Math.max(dtInitFloor, Math.exp(rand() * (Math.log(dtMax) - Math.log(dtMin)) + Math.log(dtMin)));
    return dt + Math.log(-Math.expm1(-dt)); // softplus⁻¹(dt)
  });
  return {
    inProjW: uniform(2 * E * M, 1 / Math.sqrt(M)),
    convW: uniform(E * K, 1 / Math.sqrt(K)),
    convB: uniform(E, 1 / Math.sqrt(K)),
    xProjW: uniform((R + 2 * N) * E, 1 / Math.sqrt(E)),
    dtProjW: dtInit === "constant" ? new Float32Array(E * R).fill(dtStd) : uniform(E * R, dtStd),
    dtProjB,
    ALog: Float32Array.from({length: E * N}, (_, i) => Math.log(1 + (i % N))),
    D: new Float32Array(E).fill(1),
    outProjW: uniform(M * E, 1 / Math.sqrt(E))
  };
}

export interface MambaBlockOptions {
  /** "fused" (default): selectiveScan, the active backend's fused kernel (differentiable by
   * recomputation); "composite": selectiveScanComposite, differentiable op by op */
  scan?: "fused" | "composite";
  /** also return the intermediates (shapes in mambaBlockShapes) */
  intermediates?: boolean;
  /** also return the scan's last state (b, E, N) (no gradient through the fused path) */
  returnLastState?: boolean;
}

/** The block's intermediate tensors, named as in the header. */
export interface MambaIntermediates {
  xz: tf.Tensor; x: tf.Tensor; z: tf.Tensor; xConv: tf.Tensor; xAct: tf.Tensor; xDbl: tf.Tensor;
  dtLow: tf.Tensor; B: tf.Tensor; C: tf.Tensor; delta: tf.Tensor; A: tf.Tensor; y: tf.Tensor;
}

export interface MambaBlockResult {
  /** (b, l, M) */
  out: tf.Tensor;
  /** (b, E, N) when returnLastState */
  lastState?: tf.Tensor;
  /** when intermediates */
  intermediates?: MambaIntermediates;
}

/** Shapes of the block's input, intermediates and output for a config and (b, l): for diagrams. */
export function mambaBlockShapes(c: MambaConfig, b: number, l: number): Record<"input" | keyof MambaIntermediates | "out" | "lastState", number[]> {
  const {dModel: M, dInner: E, dState: N, dtRank: R} = c;
  return {
    input: [b, l, M], xz: [b, l, 2 * E], x: [b, l, E], z: [b, l, E], xConv: [b, l, E], xAct: [b, l, E],
    xDbl: [b, l, R + 2 * N], dtLow: [b, l, R], B: [b, l, N], C: [b, l, N], delta: [b, l, E], A: [E, N],
    y: [b, l, E], out: [b, l, M], lastState: [b, E, N]
  };
}

/** x (b, l, K₁) times W (K₂, K₁) transposed → (b, l, K₂). */
function linear(x: tf.Tensor, W: tf.Tensor): tf.Tensor {
  const [b, l, k] = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(x, [b * l, k]), W, false, true), [b, l, W.shape[0]]);
}

/**
 * Causal depthwise convolution along l with bias, as torch's Conv1d(E, E, K, groups=E,
 * padding=K−1)[…, :l]: out_t = c + Σ_k w_k · x_{t+k−(K−1)} (zeros before t = 0). x (b, l, E),
 * w (E, K), bias (E). K shifted multiply-adds (pad, slice, mul, add: differentiable on every
 * backend; wasm has no gradient kernel for tf.depthwiseConv2d).
 */
export function causalDepthwiseConv(x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const [b, l, E] = x.shape;
  const K = w.shape[1] as number;
  const xp = tf.pad(x, [[0, 0], [K - 1, 0], [0, 0]]); // (b, l + K − 1, E)
  const wT = tf.transpose(w); // (K, E)
  let y: tf.Tensor = bias;
  for (let k = 0; k < K; k++) {
    const wk = tf.reshape(tf.slice(wT, [k, 0], [1, E]), [E]);
    y = tf.add(y, tf.mul(tf.slice(xp, [0, k, 0], [b, l, E]), wk));
  }
  return y;
}

/**
 * One Mamba block's forward pass. x (b, l, M); params as MambaParams (tensors or Float32Arrays
 * of the shapes in mambaParamShapes); returns {out (b, l, M)}, plus the last state and the
 * intermediates on request. All returned tensors belong to the caller.
 */
export function mambaBlock(x: TensorLike, config: MambaConfig, params: MambaParams, opts: MambaBlockOptions = {}): MambaBlockResult {
  const fn = "mambaBlock";
  const {scan = "fused", intermediates = false, returnLastState = false} = opts;
  if (scan !== "fused" && scan !== "composite") fail(fn, `opts.scan must be "fused" or "composite", got ${String(scan)}`);
  return tf.tidy(() => {
    const xt = toTensor(x, fn, "x");
    assertRank(xt, 3, fn, "x", "(b,l,d_model)");
    assertShape(xt, [null, null, config.dModel], fn, "x", "(b,l,d_model)");
    const [b, l] = xt.shape;
    if (b < 1 || l < 1) fail(fn, `x must have b, l ≥ 1, but got shape (${xt.shape.join(",")})`);
    const shapes = mambaParamShapes(config);
    const p = {} as MambaParams<tf.Tensor>;
    for (const name of MAMBA_PARAM_NAMES) {
      const v = params?.[name];
      if (v == null) fail(fn, `params.${name} is missing`);
      const size = shapes[name].reduce((a, s) => a * s, 1);
      if (!(v instanceof tf.Tensor) && !(v instanceof Float32Array)) fail(fn, `params.${name} must be a tensor or a Float32Array`);
      if (v instanceof Float32Array && v.length !== size) fail(fn, `params.${name} must have ${size} entries for shape (${shapes[name].join(",")}), got ${v.length}`);
      const t = v instanceof tf.Tensor ? toTensor(v, fn, `params.${name}`) : tf.tensor(v, shapes[name]);
      assertShape(t, shapes[name], fn, `params.${name}`);
      p[name] = t;
    }
    const {dInner: E, dState: N, dtRank: R} = config;
    const xz = linear(xt, p.inProjW); // (b, l, 2E)
    const [xIn, z] = tf.split(xz, [E, E], 2); // (b, l, E) each
    const xConv = causalDepthwiseConv(xIn, p.convW, p.convB); // (b, l, E)
    const xAct = tf.mul(xConv, tf.sigmoid(xConv)); // SiLU
    const xDbl = linear(xAct, p.xProjW); // (b, l, R + 2N)
    const [dtLow, B, C] = tf.split(xDbl, [R, N, N], 2);
    const delta = linear(dtLow, p.dtProjW); // (b, l, E), bias added inside the scan
    const A = tf.neg(tf.exp(p.ALog)); // (E, N)
    const scanOpts = {z, deltaBias: p.dtProjB, deltaSoftplus: true, returnLastState};
    const run = scan === "fused" ? selectiveScan : selectiveScanComposite;
    const res = run(xAct, delta, A, B, C, p.D, scanOpts);
    const y = res instanceof tf.Tensor ? res : res.y; // (b, l, E)
    const out = linear(y, p.outProjW); // (b, l, M)
    const result: MambaBlockResult = {out};
    if (!(res instanceof tf.Tensor)) result.lastState = res.lastState;
    if (intermediates) result.intermediates = {xz, x: xIn, z, xConv, xAct, xDbl, dtLow, B, C, delta, A, y};
    return result as unknown as tf.TensorContainer;
  }) as unknown as MambaBlockResult;
}
