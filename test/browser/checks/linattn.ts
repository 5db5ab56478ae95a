// Browser checks of page 6's kernels (linear attention with GroupNorm and heads, Performer
// features, SSD in its forms and fused): numpy fixtures (reference/ref_linattn.py) and plain
// loops, on every backend. ssdFused has no webgl path (test/browser/kernels.test.mjs reports
// those checks as skips there).
import * as tf from "@tensorflow/tfjs";
import {
  linearAttention, linearAttentionChunked, linearAttentionHeads, linearAttentionLoop, linearAttentionRecurrent, positiveRandomFeatures,
  selectiveScanLoop, selectiveToSsd, semiseparableMask, ssd, ssdFused, ssdLoop, ssdQuadratic, ssdRecurrent, ssdSteps,
  type AttentionForm, type Normalize
} from "../../../src/kernels/index.js";
import fx from "../../../reference/fixtures/linattn.json";
import {checks, uniform} from "./registry.js";

type SsdFx = {b: number; l: number; h: number; p: number; n: number; x: number[]; a: number[]; B: number[]; C: number[]; initialState: number[] | null};
const ssdInputs = (c: SsdFx) => [tf.tensor(c.x, [c.b, c.l, c.h, c.p]), tf.tensor(c.a, [c.b, c.l, c.h]),
  tf.tensor(c.B, [c.b, c.l, c.h, c.n]), tf.tensor(c.C, [c.b, c.l, c.h, c.n])] as const;
const s0Of = (c: SsdFx) => (c.initialState ? tf.tensor(c.initialState, [c.b, c.h, c.p, c.n]) : null);

// ---- SSD fixtures (numpy loop, checked against the numpy port of ssd_minimal_discrete). Kept
// few: on webgl every new shape compiles new shaders (seconds each on SwiftShader); the vitest
// specs cover every chunk length on cpu and wasm.
for (const c of fx.ssd) {
  const full = c.initialState != null && c.l > 1; // the cases with an initial state and more than one step
  for (const chunk of c.l === 13 ? [1, 3] : [3]) {
    checks.set(`ssd fixture ${c.name} chunk ${chunk}`, () => ({actual: ssd(...ssdInputs(c), {chunk, initialState: s0Of(c)}).y, expected: c.y}));
  }
  if (full) {
    checks.set(`ssd fixture ${c.name} finalState`, () => ({actual: ssd(...ssdInputs(c), {chunk: 5, initialState: s0Of(c)}).finalState, expected: c.finalState}));
    checks.set(`ssdQuadratic fixture ${c.name}`, () => ({actual: ssdQuadratic(...ssdInputs(c), {initialState: s0Of(c)}).y, expected: c.y}));
    checks.set(`ssdRecurrent fixture ${c.name}`, () => ({actual: ssdRecurrent(...ssdInputs(c), {initialState: s0Of(c)}).y, expected: c.y}));
  }
  checks.set(`ssdFused fixture ${c.name} chunk 3`, () => ({actual: ssdFused(...ssdInputs(c), {chunk: 3, initialState: s0Of(c)}).y, expected: c.y}));
  checks.set(`ssdFused fixture ${c.name} finalState`, () => ({actual: ssdFused(...ssdInputs(c), {initialState: s0Of(c)}).finalState, expected: c.finalState}));
}
{
  const c = fx.ssdSteps;
  const steps = () => ssdSteps(...ssdInputs(c), {chunk: c.chunk, initialState: s0Of(c)});
  checks.set("ssdSteps fixture yDiag", () => ({actual: steps().yDiag, expected: c.yDiag}));
  checks.set("ssdSteps fixture startStates", () => ({actual: steps().startStates, expected: c.startStates}));
}
checks.set("semiseparableMask fixture", () => ({actual: semiseparableMask(fx.semiseparable.a), expected: fx.semiseparable.L}));

// ---- larger sizes against the plain loop (chunk boundaries, padding, many dispatches)
function ssdProblem(nb: number, l: number, h: number, p: number, n: number, seed: number) {
  const x = uniform(nb * l * h * p, seed), B = uniform(nb * l * h * n, seed + 1), C = uniform(nb * l * h * n, seed + 2);
  const a = uniform(nb * l * h, seed + 3, -0.2, 0);
  const S0 = uniform(nb * h * p * n, seed + 4);
  const args = () => [tf.tensor(x, [nb, l, h, p]), tf.tensor(a, [nb, l, h]), tf.tensor(B, [nb, l, h, n]), tf.tensor(C, [nb, l, h, n])] as const;
  return {args, S0: () => tf.tensor(S0, [nb, h, p, n]), ref: ssdLoop(x, a, B, C, nb, l, h, p, n, S0)};
}
const big = ssdProblem(1, 300, 2, 16, 16, 40);
checks.set("ssd b=1 l=300 h=2 p=16 n=16 chunk 64 = loop", () => ({actual: ssd(...big.args(), {initialState: big.S0()}).y, expected: big.ref.y}));
checks.set("ssdFused b=1 l=300 h=2 p=16 n=16 = loop", () => ({actual: ssdFused(...big.args(), {initialState: big.S0()}).y, expected: big.ref.y}));
checks.set("ssdFused b=1 l=300 h=2 p=16 n=16 finalState = loop", () => ({actual: ssdFused(...big.args(), {initialState: big.S0()}).finalState, expected: big.ref.finalState}));
const odd = ssdProblem(2, 1001, 1, 4, 8, 50);
checks.set("ssd b=2 l=1001 chunk 7 = loop", () => ({actual: ssd(...odd.args(), {chunk: 7, initialState: odd.S0()}).y, expected: odd.ref.y}));
checks.set("ssdFused b=2 l=1001 chunk 1 = loop", () => ({actual: ssdFused(...odd.args(), {chunk: 1, initialState: odd.S0()}).y, expected: odd.ref.y}));
checks.set("ssdFused b=2 l=1001 one chunk (sequential) = loop", () => ({actual: ssdFused(...odd.args(), {chunk: 2000, initialState: odd.S0()}).y, expected: odd.ref.y}));

// ---- the duality: SSD with one head per channel, p = 1, equals the selective scan's loop
checks.set("ssd(selectiveToSsd(u, Δ, A, B, C)) = selectiveScan loop b=2 l=64 d=4 n=8", () => {
  const [nb, l, d, n] = [2, 64, 4, 8];
  const u = uniform(nb * l * d, 60), delta = uniform(nb * l * d, 61, 0.01, 0.3);
  const Ad = [-0.5, -1, -2, -3.5];
  const B = uniform(nb * l * n, 62), C = uniform(nb * l * n, 63);
  const m = selectiveToSsd(tf.tensor(u, [nb, l, d]), tf.tensor(delta, [nb, l, d]), Ad, tf.tensor(B, [nb, l, n]), tf.tensor(C, [nb, l, n]));
  const A = Float32Array.from({length: d * n}, (_, i) => Ad[Math.floor(i / n)]);
  return {actual: ssd(m.x, m.a, m.B, m.C, {chunk: 16}).y, expected: selectiveScanLoop(u, delta, A, B, C, null, nb, l, d, n)};
});

// ---- linear attention: GroupNorm fixtures in every form, heads with per-head decay, Performer
for (const c of fx.groupnorm.filter((c) => c.decay !== 1 && c.featureMap !== "identity")) {
  const qkv = () => [tf.tensor(c.q, [c.l, c.dk]), tf.tensor(c.k, [c.l, c.dk]), tf.tensor(c.v, [c.l, c.dv])] as const;
  const opts = {featureMap: c.featureMap as "elu1", decay: c.decay, normalize: c.normalize as Normalize};
  checks.set(`linearAttention fixture ${c.name}`, () => ({actual: linearAttention(...qkv(), opts), expected: c.o}));
  checks.set(`linearAttentionRecurrent fixture ${c.name}`, () => ({actual: linearAttentionRecurrent(...qkv(), opts), expected: c.o}));
  checks.set(`linearAttentionChunked fixture ${c.name} chunk 3`, () => ({actual: linearAttentionChunked(...qkv(), {...opts, chunk: 3}), expected: c.o}));
}
for (const [i, c] of fx.heads.entries()) {
  const qkv = () => [tf.tensor(c.q, [c.b, c.l, c.h, c.dk]), tf.tensor(c.k, [c.b, c.l, c.h, c.dk]), tf.tensor(c.v, [c.b, c.l, c.h, c.dv])] as const;
  for (const form of (i % 2 === 0 ? ["parallel", "recurrent", "chunked", "fused"] : ["chunked", "fused"]) as AttentionForm[]) {
    const name = form === "fused" ? `linearAttentionHeads fused fixture ${c.name}` : `linearAttentionHeads fixture ${c.name} ${form}`;
    checks.set(name, () => ({actual: linearAttentionHeads(...qkv(), {featureMap: c.featureMap as "elu1", decay: c.decay, normalize: c.normalize as Normalize, form, chunk: 4}), expected: c.o}));
  }
}
{
  const c = fx.performer[0];
  const W = () => tf.tensor(c.W, [c.m, c.dk]);
  checks.set("positiveRandomFeatures fixture", () => ({actual: positiveRandomFeatures(tf.tensor(c.q, [c.l, c.dk]), W()), expected: c.phiQ}));
  checks.set("linearAttention Performer features fixture", () => {
    const w = W();
    return {actual: linearAttention(tf.tensor(c.q, [c.l, c.dk]), tf.tensor(c.k, [c.l, c.dk]), tf.tensor(c.v, [c.l, c.dv]), {featureMap: (x) => positiveRandomFeatures(x, w)}), expected: c.o};
  });
}
{
  const [l, d] = [256, 16];
  const [q, k, v] = [uniform(l * d, 70), uniform(l * d, 71), uniform(l * d, 72)];
  const elu1 = (x: Float32Array) => x.map((t) => (t > 0 ? t + 1 : Math.exp(t)));
  const expected = linearAttentionLoop(elu1(q), elu1(k), v, l, d, d, 0.99, "sum");
  const qkv = () => [tf.tensor(q, [l, 1, d]), tf.tensor(k, [l, 1, d]), tf.tensor(v, [l, 1, d])] as const;
  checks.set("linearAttentionHeads l=256 d=16 chunked = loop", () => ({actual: linearAttentionHeads(...qkv(), {decay: 0.99, form: "chunked"}), expected}));
  checks.set("linearAttentionHeads fused l=256 d=16 = loop", () => ({actual: linearAttentionHeads(...qkv(), {decay: 0.99, form: "fused"}), expected}));
}
