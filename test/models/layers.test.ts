// Equivalences the models rely on: each batched, differentiable piece against the site's
// kernels (src/kernels) or a plain loop, values and gradients, on cpu and wasm.
import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {linearAttention, s4dKernel, selectiveScanComposite, softmaxAttention} from "../../src/kernels/index.js";
import {causalDepthwiseConv, matmul, matmulBT} from "../../src/models/layers.js";
import {scanLoop, selectiveScanTrainable} from "../../src/models/scan.js";
import {S4D, causalConvChannels} from "../../src/models/s4d.js";
import {attentionHeads} from "../../src/models/transformer.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, useBackend} from "../kernels/helpers.js";

const rnd = (seed: number, shape: number[], lo = -1, hi = 1) => {
  const r = lcg(seed);
  return tf.tensor(Float32Array.from({length: shape.reduce((a, b) => a * b, 1)}, () => lo + (hi - lo) * r()), shape);
};

/** Does the kernel contract's linearAttention take normalize "groupnorm" yet (branch linattn)? */
function kernelHasGroupnorm(): boolean {
  try {
    tf.tidy(() => linearAttention([[1]], [[1]], [[1]], {normalize: "groupnorm" as any}));
    return true;
  } catch {
    return false;
  }
}

describe.each(BACKENDS)("model layers on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  it("scanLoop with its hand-written gradient equals selectiveScanComposite in value and in every gradient", () => {
    const [b, l, d, n] = [2, 9, 3, 4];
    const u = rnd(1, [b, l, d]), delta = rnd(2, [b, l, d], -2, 1), A = rnd(3, [d, n], -3, -0.2), B = rnd(4, [b, l, n]), C = rnd(5, [b, l, n]);
    const D = rnd(6, [d]), z = rnd(7, [b, l, d]), bias = rnd(8, [d], -1, 0);
    const w = rnd(9, [b, l, d]); // a random cotangent
    const f = (impl: "loop" | "composite") => (u: tf.Tensor, delta: tf.Tensor, A: tf.Tensor, B: tf.Tensor, C: tf.Tensor, D: tf.Tensor, z: tf.Tensor, bias: tf.Tensor) =>
      tf.sum(tf.mul(selectiveScanTrainable(u, delta, A, B, C, D, {z, deltaBias: bias, deltaSoftplus: true, impl}), w));
    const args = [u, delta, A, B, C, D, z, bias];
    const yl = tf.tidy(() => selectiveScanTrainable(u, delta, A, B, C, D, {z, deltaBias: bias, deltaSoftplus: true, impl: "loop"}));
    const yc = selectiveScanComposite(u, delta, A, B, C, D, {z, deltaBias: bias, deltaSoftplus: true});
    assertClose(yl, yc, {atol: 1e-5, rtol: 1e-4, label: "y: "});
    const gl = tf.grads(f("loop"))(args), gc = tf.grads(f("composite"))(args);
    ["u", "delta", "A", "B", "C", "D", "z", "deltaBias"].forEach((name, i) => assertClose(gl[i], gc[i], {atol: 1e-4, rtol: 1e-3, label: `∂/∂${name}: `}));
    expectNoLeak(() => tf.tidy(() => { tf.grads(f("loop"))(args); }));
    tf.dispose([...args, w, yl, yc, ...gl, ...gc]);
  });

  it("scanLoop(u, Δ, A, B, C) with l = 1 is C·(Δ B u)", () => {
    const y = scanLoop(tf.tensor3d([[[2]]]), tf.tensor3d([[[0.5]]]), tf.tensor2d([[-1, -2]]), tf.tensor3d([[[1, 3]]]), tf.tensor3d([[[4, -1]]]));
    assertClose(y, [0.5 * 2 * (1 * 4 + 3 * -1)]);
    y.dispose();
  });

  it("matmul and matmulBT have tf.matMul's values and gradients (rank 2 and batched)", () => {
    for (const [sa, sb] of [[[5, 3], [3, 4]], [[2, 5, 3], [2, 3, 4]]]) {
      const a = rnd(1, sa), bb = rnd(2, sb), bt = tf.tidy(() => tf.transpose(bb, sb.length === 2 ? [1, 0] : [0, 2, 1]));
      const w = rnd(3, [...sa.slice(0, -1), sb[sb.length - 1]]);
      assertClose(matmul(a, bb), tf.matMul(a, bb));
      assertClose(matmulBT(a, bt), tf.matMul(a, bb));
      const g1 = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matmul(x, y), w)))([a, bb]);
      const g2 = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y), w)))([a, bb]);
      g1.forEach((g, i) => assertClose(g, g2[i], {atol: 1e-5}));
      tf.dispose([a, bb, bt, w, ...g1, ...g2]);
    }
  });

  it("causalDepthwiseConv(x, w, bias) equals the loop y_t = bias + Σ_j w_j x_{t−(k−1)+j}", () => {
    const [b, l, c, k] = [2, 7, 3, 4];
    const x = rnd(1, [b, l, c]), w = rnd(2, [c, k]), bias = rnd(3, [c]);
    const xv = x.dataSync(), wv = w.dataSync(), bv = bias.dataSync();
    const expected = new Float32Array(b * l * c);
    for (let i = 0; i < b; i++) for (let t = 0; t < l; t++) for (let ch = 0; ch < c; ch++) {
      let s = bv[ch];
      for (let j = 0; j < k; j++) { const src = t - (k - 1) + j; if (src >= 0) s += wv[ch * k + j] * xv[(i * l + src) * c + ch]; }
      expected[(i * l + t) * c + ch] = s;
    }
    const y = causalDepthwiseConv(x, w, bias);
    assertClose(y, expected);
    tf.dispose([x, w, bias, y]);
  });

  it("causalConvChannels(u, K) equals the causal convolution loop per channel, for l = 1 too", () => {
    for (const [b, l, H] of [[2, 11, 3], [1, 1, 2]]) {
      const u = rnd(1, [b, l, H]), K = rnd(2, [H, l]);
      const uv = u.dataSync(), Kv = K.dataSync();
      const expected = new Float32Array(b * l * H);
      for (let i = 0; i < b; i++) for (let t = 0; t < l; t++) for (let h = 0; h < H; h++) {
        let s = 0;
        for (let j = 0; j <= t; j++) s += Kv[h * l + (t - j)] * uv[(i * l + j) * H + h];
        expected[(i * l + t) * H + h] = s;
      }
      assertClose(causalConvChannels(u, K), expected, {atol: 1e-5});
      tf.dispose([u, K]);
    }
  });

  it("S4D.kernel(i, l) equals the site's s4dKernel for the layer's Δ, A, C (ZOH, B = 1, conjugate pairs)", () => {
    const m = new S4D({vocab: 4, dModel: 3, nLayers: 1, dState: 8, seed: 4});
    const p = m.params;
    // move A and C off their initial values
    tf.tidy(() => {
      p.get("layers.0.log_A_re").assign(tf.add(p.get("layers.0.log_A_re"), rnd(1, [3, 4], -0.5, 0.5)));
      p.get("layers.0.A_im").assign(tf.add(p.get("layers.0.A_im"), rnd(2, [3, 4])));
    });
    const rows = (t: tf.Tensor) => (t.arraySync() as number[][]);
    const dt = Array.from(tf.tidy(() => tf.exp(p.get("layers.0.log_dt"))).dataSync());
    const Are = tf.tidy(() => tf.neg(tf.exp(p.get("layers.0.log_A_re"))));
    const K1 = tf.tidy(() => m.kernel(0, 40));
    const K2 = s4dKernel({re: rows(Are), im: rows(p.get("layers.0.A_im"))}, {re: [[1, 1, 1, 1]], im: [[0, 0, 0, 0]]},
      {re: rows(p.get("layers.0.C_re")), im: rows(p.get("layers.0.C_im"))}, dt, 40);
    assertClose(K1, K2, {atol: 2e-5, rtol: 1e-3});
    tf.dispose([Are, K1, K2]);
    p.dispose();
  });

  it("attentionHeads softmax equals softmaxAttention on every (batch, head)", () => {
    const [b, h, l, dk, dv] = [2, 2, 6, 3, 4];
    const q = rnd(1, [b, h, l, dk]), k = rnd(2, [b, h, l, dk]), v = rnd(3, [b, h, l, dv]);
    const o = attentionHeads(q, k, v, "softmax");
    for (let i = 0; i < b; i++) for (let j = 0; j < h; j++) {
      const pick = (t: tf.Tensor) => tf.tidy(() => tf.reshape(tf.slice(t, [i, j, 0, 0], [1, 1, l, t.shape[3] as number]), [l, t.shape[3] as number]));
      const [qi, ki, vi, oi] = [q, k, v, o].map(pick);
      const ref = softmaxAttention(qi, ki, vi);
      assertClose(oi, ref, {atol: 1e-5});
      tf.dispose([qi, ki, vi, oi, ref]);
    }
    tf.dispose([q, k, v, o]);
  });

  it.each([["sum", 1], ["sum", 0.8], ["none", 0.9]] as const)("attentionHeads linear (elu1, normalize %s, decay %s) equals linearAttention on every (batch, head)", (normalize, decay) => {
    const [b, h, l, dk, dv] = [2, 2, 6, 3, 4];
    const q = rnd(1, [b, h, l, dk]), k = rnd(2, [b, h, l, dk]), v = rnd(3, [b, h, l, dv]);
    const phi = (x: tf.Tensor) => tf.add(tf.elu(x), 1);
    const o = attentionHeads(q, k, v, "linear", {phi, gammas: [decay, decay], normalize});
    for (let i = 0; i < b; i++) for (let j = 0; j < h; j++) {
      const pick = (t: tf.Tensor) => tf.tidy(() => tf.reshape(tf.slice(t, [i, j, 0, 0], [1, 1, l, t.shape[3] as number]), [l, t.shape[3] as number]));
      const [qi, ki, vi, oi] = [q, k, v, o].map(pick);
      const ref = linearAttention(qi, ki, vi, {featureMap: "elu1", decay, normalize});
      assertClose(oi, ref, {atol: 1e-5, rtol: 1e-4});
      tf.dispose([qi, ki, vi, oi, ref]);
    }
    tf.dispose([q, k, v, o]);
  });

  it("attentionHeads linear with normalize groupnorm equals the recurrence S_t = γ_h S_{t−1} + φ(k_t)ᵀv_t, o_t = GN(φ(q_t)S_t)", () => {
    const [b, h, l, dk, dv] = [1, 2, 7, 3, 4];
    const gammas = [0.9, 0.6];
    const q = rnd(1, [b, h, l, dk]), k = rnd(2, [b, h, l, dk]), v = rnd(3, [b, h, l, dv]);
    const phi = (x: tf.Tensor) => tf.relu(x);
    const o = attentionHeads(q, k, v, "linear", {phi, gammas, normalize: "groupnorm"});
    const [fq, fk] = [q, k].map((t) => tf.tidy(() => phi(t)).dataSync()), vv = v.dataSync();
    const expected = new Float32Array(b * h * l * dv);
    for (let j = 0; j < h; j++) {
      const S = new Float64Array(dk * dv);
      for (let t = 0; t < l; t++) {
        const off = (j * l + t);
        for (let a = 0; a < dk; a++) for (let c = 0; c < dv; c++) S[a * dv + c] = gammas[j] * S[a * dv + c] + fk[off * dk + a] * vv[off * dv + c];
        const y = Array.from({length: dv}, (_, c) => { let s = 0; for (let a = 0; a < dk; a++) s += fq[off * dk + a] * S[a * dv + c]; return s; });
        const mean = y.reduce((x, z) => x + z) / dv, vr = y.reduce((x, z) => x + (z - mean) ** 2, 0) / dv;
        y.forEach((z, c) => (expected[off * dv + c] = (z - mean) / Math.sqrt(vr + 1e-5)));
      }
    }
    assertClose(o, expected, {atol: 1e-4, rtol: 1e-3});
    if (kernelHasGroupnorm()) {
      for (let j = 0; j < h; j++) {
        const pick = (t: tf.Tensor) => tf.tidy(() => tf.reshape(tf.slice(t, [0, j, 0, 0], [1, 1, l, t.shape[3] as number]), [l, t.shape[3] as number]));
        const [qi, ki, vi, oi] = [q, k, v, o].map(pick);
        const ref = linearAttention(qi, ki, vi, {featureMap: "relu", decay: gammas[j], normalize: "groupnorm" as any});
        assertClose(oi, ref, {atol: 1e-4, rtol: 1e-3, label: "kernel linearAttention groupnorm: "});
        tf.dispose([qi, ki, vi, oi, ref]);
      }
    }
    tf.dispose([q, k, v, o]);
  });

  it("attentionHeads linear with normalize sum has a finite gradient where ReLU features vanish", () => {
    const q = tf.zeros([1, 1, 4, 2]), k = rnd(2, [1, 1, 4, 2]), v = rnd(3, [1, 1, 4, 2]);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(attentionHeads(a, b, v, "linear", {phi: (x) => tf.relu(x), normalize: "sum"})))([q, k]);
    expect(g.every((t) => Array.from(t.dataSync()).every(Number.isFinite))).toBe(true);
    tf.dispose([q, k, v, ...g]);
  });
});
