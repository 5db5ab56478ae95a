// A small Mamba language model (Gu & Dao 2023, §3.4 and Fig. 3; the block of
// state-spaces/mamba's mamba_simple.py, written after johnma2006/mamba-minimal):
//
//   x ← embed(tokens)                                        (b, l, D)
//   per layer:  x ← x + Mixer(RMSNorm(x))
//   logits = RMSNorm(x) @ W_head                              (b, l, V)
//
//   Mixer(x):  [x_in, z] = x @ in_proj                        (b, l, E) each, E = expand·D
//              x_c = silu(causal depthwise conv1d(x_in))      kernel d_conv = 4
//              [δ, B, C] = x_c @ x_proj                       (b, l, R), (b, l, N), (b, l, N)
//              Δ = softplus(δ @ dt_proj.w + dt_proj.b)        (b, l, E)
//              A = −exp(A_log)                                (E, N), S4D-real init A_log = log(1..N)
//              y = S6(x_c, Δ, A, B, C, D) · silu(z)           the selective scan
//              out = y @ out_proj                             (b, l, D)
//
// Initialisation as mamba_simple.py: Δ's bias so that softplus(bias) is log-uniform in
// [dt_min, dt_max]; dt_proj.w uniform ±R^−½; D = 1; linear layers uniform ±(fan_in)^−½;
// embeddings normal(0, 0.02); out_proj scaled by 1/√(n_layers) (the prenorm residual rescale).
//
// Glossary: D d_model, E d_inner, N d_state, R dt_rank, V vocabulary.
import * as tf from "@tensorflow/tfjs";
import {Params} from "./params.js";
import {causalDepthwiseConv, embed, linear, rmsNorm, silu, splitLast} from "./layers.js";
import {selectiveScanTrainable, type ScanImpl} from "./scan.js";
import type {SequenceModel} from "./model.js";

export interface MambaConfig {
  vocab: number;
  dModel: number;
  nLayers: number;
  dState: number;
  expand: number;
  dConv: number;
  /** rank of Δ's projection, default ceil(dModel / 16) */
  dtRank: number;
  dtMin: number;
  dtMax: number;
  seed: number;
}

export const MAMBA_DEFAULTS: Omit<MambaConfig, "vocab"> = {
  dModel: 32, nLayers: 2, dState: 8, expand: 2, dConv: 4, dtRank: 2, dtMin: 0.001, dtMax: 0.1, seed: 0
};

export function mambaConfig(c: Partial<MambaConfig> & {vocab: number}): MambaConfig {
  const cfg = {...MAMBA_DEFAULTS, ...c};
  if (c.dtRank == null) cfg.dtRank = Math.ceil(cfg.dModel / 16);
  return cfg;
}

export interface MambaTrace {
  /** per layer: Δ after the softplus, (b, l, E) */
  delta: tf.Tensor[];
}

export class Mamba implements SequenceModel<MambaConfig> {
  readonly kind = "mamba";
  readonly config: MambaConfig;
  readonly params: Params;
  /** how the scan runs in training ("auto": the custom-gradient loop on cpu/wasm) */
  scanImpl: ScanImpl = "auto";

  constructor(config: Partial<MambaConfig> & {vocab: number}) {
    const c = (this.config = mambaConfig(config));
    const p = (this.params = new Params(c.seed));
    const {vocab: V, dModel: D, dState: N, dConv: K, dtRank: R} = c;
    const E = c.expand * D;
    const unif = (fanIn: number, scale = 1) => ({kind: "uniform" as const, low: -scale / Math.sqrt(fanIn), high: scale / Math.sqrt(fanIn)});
    p.add("embedding", [V, D], {kind: "normal", std: 0.02});
    for (let i = 0; i < c.nLayers; i++) {
      const L = `layers.${i}.`;
      p.add(L + "norm", [D], {kind: "const", value: 1});
      p.add(L + "in_proj", [D, 2 * E], unif(D));
      p.add(L + "conv.w", [E, K], unif(K));
      p.add(L + "conv.b", [E], unif(K));
      p.add(L + "x_proj", [E, R + 2 * N], unif(E));
      p.add(L + "dt_proj.w", [R, E], {kind: "uniform", low: -1 / Math.sqrt(R), high: 1 / Math.sqrt(R)});
      const [lo, hi] = [Math.log(c.dtMin), Math.log(c.dtMax)];
      p.add(L + "dt_proj.b", [E], {kind: "fn", fn: (_, r) => {
        const dt = Math.max(Math.exp(lo + (hi - lo) * r()), 1e-4);
        return dt + Math.log(-Math.expm1(-dt)); // softplus⁻¹(dt)
      }});
      p.add(L + "A_log", [E, N], {kind: "fn", fn: (i) => Math.log(1 + (i % N))});
      p.add(L + "D", [E], {kind: "const", value: 1});
      p.add(L + "out_proj", [E, D], unif(E, 1 / Math.sqrt(c.nLayers)));
    }
    p.add("norm_f", [D], {kind: "const", value: 1});
    p.add("head", [D, V], unif(D));
  }

  logits(tokens: tf.Tensor): tf.Tensor {
    return this.forward(tokens).logits;
  }

  /** logits and, when asked, each layer's Δ (for the page's "gate" strip). */
  forward(tokens: tf.Tensor, trace = false): {logits: tf.Tensor; trace?: MambaTrace} {
    const p = this.params, c = this.config;
    const E = c.expand * c.dModel;
    let x = embed(tokens, p.get("embedding")); // (b, l, D)
    const deltas: tf.Tensor[] = [];
    for (let i = 0; i < c.nLayers; i++) {
      const L = `layers.${i}.`;
      const xn = rmsNorm(x, p.get(L + "norm"));
      const [xin, z] = splitLast(linear(xn, p.get(L + "in_proj")), [E, E]); // (b, l, E) each
      const xc = silu(causalDepthwiseConv(xin, p.get(L + "conv.w"), p.get(L + "conv.b"))); // (b, l, E)
      const [dr, B, C] = splitLast(linear(xc, p.get(L + "x_proj")), [c.dtRank, c.dState, c.dState]);
      const delta = linear(dr, p.get(L + "dt_proj.w")); // (b, l, E), before bias and softplus
      const A = tf.neg(tf.exp(p.get(L + "A_log"))); // (E, N)
      if (trace) deltas.push(tf.softplus(tf.add(delta, p.get(L + "dt_proj.b"))));
      const y = selectiveScanTrainable(xc, delta, A, B, C, p.get(L + "D"), {
        z, deltaBias: p.get(L + "dt_proj.b"), deltaSoftplus: true, impl: this.scanImpl
      }); // (b, l, E)
      x = tf.add(x, linear(y, p.get(L + "out_proj")));
    }
    const logits = linear(rmsNorm(x, p.get("norm_f")), p.get("head"));
    return trace ? {logits, trace: {delta: deltas}} : {logits};
  }

  stateSize(): number {
    const c = this.config;
    return c.nLayers * c.expand * c.dModel * (c.dState + c.dConv - 1);
  }
}
