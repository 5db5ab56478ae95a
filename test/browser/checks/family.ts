// Browser checks of the family kernels (WKV, Mega EMA, retention, cross-scan, S5, DSS, H3, GSS):
// numpy fixtures (reference/ref_family.py) and the plain loops of src/kernels/reference/family.ts,
// at a few sizes (every new shape compiles new webgl programs).
import * as tf from "@tensorflow/tfjs";
import {
  crossScan2d, crossScanDecayLoop, crossScanMerge2d, decayScan, dssKernel, ema, emaLoop, emaRecurrent, gss, gssInit, gssLoop, h3, h3Init, h3Loop,
  megaEmaInit, retention, retentionChunked, retentionLoop, retentionRecurrent, retentionGammas, s5, s5Init, s5Loop, sinCos, wkv, wkvClosed, wkvLoop
} from "../../../src/kernels/index.js";
import fam from "../../../reference/fixtures/family.json";
import {checks, uniform} from "./registry.js";

const rows = (x: number[], r: number, c: number) => Array.from({length: r}, (_, i) => x.slice(i * c, (i + 1) * c));
const pick = <T extends {name: string}>(cases: T[], names: string[]) => cases.filter((c) => names.includes(c.name));

// ---- the family's sin/cos (webgl and webgpu sin/cos on SwiftShader are off by 1.9e−4 on [−π, π])
{
  const x = Float32Array.from({length: 1001}, (_, i) => -Math.PI + (2 * Math.PI * i) / 1000);
  checks.set("sinCos [−π, π] = Math.sin, Math.cos", () => ({actual: tf.concat(sinCos(tf.tensor1d(x))), expected: [...Array.from(x, Math.sin), ...Array.from(x, Math.cos)]}));
}

// ---- RWKV-4 WKV: both forms against the CUDA-kernel loop (numpy), incl. k ≈ 40 ± 60
for (const c of pick(fam.wkv, ["l=33 d=4", "large k l=20 d=2"])) {
  const args = () => [c.w, c.u, tf.tensor2d(c.k, [c.l, c.d]), tf.tensor2d(c.v, [c.l, c.d])] as const;
  checks.set(`wkv fixture ${c.name}`, () => ({actual: wkv(...args()), expected: c.y}));
  checks.set(`wkvClosed fixture ${c.name}`, () => ({actual: wkvClosed(...args()), expected: c.y}));
}
{
  const [l, d] = [256, 8];
  const w = uniform(d, 40, 0.05, 2), u = uniform(d, 41), k = uniform(l * d, 42, -3, 3), v = uniform(l * d, 43);
  checks.set(`wkv l=${l} d=${d} = loop`, () => ({actual: wkv(w, u, tf.tensor2d(k, [l, d]), tf.tensor2d(v, [l, d])), expected: wkvLoop(w, u, k, v, l, d)}));
  checks.set(`wkvClosed l=${l} d=${d} = loop`, () => ({actual: wkvClosed(w, u, tf.tensor2d(k, [l, d]), tf.tensor2d(v, [l, d])), expected: wkvLoop(w, u, k, v, l, d)}));
}

// ---- Mega EMA: convolution and recurrence
for (const c of pick(fam.ema, ["l=50 d=2 h=4"])) {
  const p = () => ({alpha: rows(c.alpha, c.d, c.h), delta: rows(c.delta, c.d, c.h), beta: rows(c.beta, c.d, c.h), eta: rows(c.eta, c.d, c.h)});
  checks.set(`ema fixture ${c.name}`, () => ({actual: ema(tf.tensor2d(c.x, [c.l, c.d]), p()), expected: c.y}));
  checks.set(`emaRecurrent fixture ${c.name} silu`, () => ({actual: emaRecurrent(tf.tensor2d(c.x, [c.l, c.d]), p(), {omega: c.omega}), expected: c.ySilu}));
}
{
  const [l, d, h] = [300, 2, 2], p = megaEmaInit(d, h, 5), x = uniform(l * d, 44);
  const ref = emaLoop(x, p.alpha.flat(), p.delta.flat(), p.beta.flat(), p.eta.flat(), l, d, h);
  checks.set(`ema l=${l} d=${d} h=${h} = loop`, () => ({actual: ema(tf.tensor2d(x, [l, d]), p), expected: ref}));
  checks.set(`emaRecurrent l=${l} d=${d} h=${h} = loop`, () => ({actual: emaRecurrent(tf.tensor2d(x, [l, d]), p), expected: ref}));
}

// ---- RetNet retention: parallel, recurrent, chunked
for (const c of pick(fam.retention, ["h=3 l=37"])) {
  const qkv = () => [tf.tensor3d(c.q, [c.h, c.l, c.dk]), tf.tensor3d(c.k, [c.h, c.l, c.dk]), tf.tensor3d(c.v, [c.h, c.l, c.dv])] as const;
  checks.set(`retention fixture ${c.name}`, () => ({actual: retention(...qkv(), c.gamma), expected: c.o}));
  checks.set(`retentionRecurrent fixture ${c.name}`, () => ({actual: retentionRecurrent(...qkv(), c.gamma), expected: c.o}));
  checks.set(`retentionChunked fixture ${c.name} chunk 8`, () => ({actual: retentionChunked(...qkv(), c.gamma, {chunk: 8}), expected: c.o}));
}
{
  const [h, l, dk, dv] = [4, 128, 8, 8], g = retentionGammas(h);
  const q = uniform(h * l * dk, 45), k = uniform(h * l * dk, 46), v = uniform(h * l * dv, 47);
  checks.set(`retentionChunked h=${h} l=${l} chunk 32 = loop`, () => ({
    actual: retentionChunked(tf.tensor3d(q, [h, l, dk]), tf.tensor3d(k, [h, l, dk]), tf.tensor3d(v, [h, l, dv]), g, {chunk: 32}),
    expected: retentionLoop(q, k, v, g, h, l, dk, dv)
  }));
}

// ---- VMamba cross-scan
for (const c of pick(fam.crossScan, ["5x2x3"])) {
  checks.set(`crossScan2d fixture ${c.name}`, () => ({actual: crossScan2d(tf.tensor3d(c.x, [c.H, c.W, c.C])), expected: c.seqs}));
  checks.set(`crossScanMerge2d fixture ${c.name} decay`, () => ({actual: crossScanMerge2d(tf.tensor3d(c.x, [c.H, c.W, c.C]), decayScan(c.a)), expected: c.y}));
}
{
  const [H, W, C] = [16, 16, 2], x = uniform(H * W * C, 48), a = [0.8, 0.97];
  checks.set(`crossScanMerge2d ${H}x${W}x${C} decay = loop`, () => ({actual: crossScanMerge2d(tf.tensor3d(x, [H, W, C]), decayScan(a)), expected: crossScanDecayLoop(x, a, H, W, C)}));
}

// ---- S5 through the parallel scan
for (const c of pick(fam.s5, ["L=12 H=3 P=4"])) {
  const p = {Lambda: c.Lambda, B: {re: rows(c.B.re, c.P, c.H), im: rows(c.B.im, c.P, c.H)}, C: {re: rows(c.C.re, c.H, c.P), im: rows(c.C.im, c.H, c.P)}, D: c.D, delta: c.delta};
  checks.set(`s5 fixture ${c.name}`, () => ({actual: s5(p, tf.tensor2d(c.u, [c.L, c.H]), {conj: c.conj}), expected: c.y}));
}
{
  const [L, H, P] = [512, 2, 8], p = s5Init(P, H, {seed: 3, dtMin: 0.01, dtMax: 0.3}), u = uniform(L * H, 49);
  const flat = {Lambda: p.Lambda, B: {re: p.B.re.flat(), im: p.B.im.flat()}, C: {re: p.C.re.flat(), im: p.C.im.flat()}, D: p.D, delta: p.delta};
  checks.set(`s5 L=${L} H=${H} P=${P} = loop`, () => ({actual: s5(p, tf.tensor2d(u, [L, H])), expected: s5Loop(flat, u, L, H, P)}));
}

// ---- DSS kernel (softmax with growing modes, and exp)
for (const c of fam.dss) {
  const shared = c.Lambda.re.length === c.N;
  const Lam = shared ? c.Lambda : {re: rows(c.Lambda.re, c.h, c.N), im: rows(c.Lambda.im, c.h, c.N)};
  checks.set(`dssKernel fixture ${c.name}`, () => ({actual: dssKernel(Lam, {re: rows(c.W.re, c.h, c.N), im: rows(c.W.im, c.h, c.N)}, c.delta, c.L, {variant: c.variant as "softmax" | "exp"}), expected: c.K}));
}

// ---- H3 and GSS
for (const c of pick(fam.h3, ["l=20 d=4 p=2"])) {
  const H = c.d / c.headDim;
  const p = {
    shift: {B: rows(c.shiftB, c.d, c.N), C: rows(c.shiftC, c.d, c.N), D: c.shiftD},
    diag: {A: c.A, B: {re: rows(c.Bd.re, H, c.m), im: rows(c.Bd.im, H, c.m)}, C: {re: rows(c.Cd.re, H, c.m), im: rows(c.Cd.im, H, c.m)}, delta: c.delta, D: c.Dd},
    headDim: c.headDim
  };
  const t = (x: number[]) => tf.tensor2d(x, [c.l, c.d]);
  checks.set(`h3 fixture ${c.name}`, () => ({actual: h3(t(c.q), t(c.k), t(c.v), p), expected: c.y}));
}
{
  const [l, d] = [128, 4], p = h3Init(d, {N: 8, m: 4, seed: 2});
  p.diag.delta = p.diag.delta.map((x) => 30 * x);
  const q = uniform(l * d, 50), k = uniform(l * d, 51), v = uniform(l * d, 52);
  checks.set(`h3 l=${l} d=${d} = loop`, () => ({actual: h3(tf.tensor2d(q, [l, d]), tf.tensor2d(k, [l, d]), tf.tensor2d(v, [l, d]), p), expected: h3Loop(q, k, v, p, l, d)}));
}
for (const c of pick(fam.gss, ["l=24 E=6 F=12 H=3 N=5"])) {
  const p = {
    Wv: rows(c.Wv, c.E, c.F), Wu: rows(c.Wu, c.E, c.H), Wuc: rows(c.Wuc, c.H, c.F), Wo: rows(c.Wo, c.F, c.E),
    LambdaLog: c.LambdaLog, C: {re: rows(c.C.re, c.H, c.N), im: rows(c.C.im, c.H, c.N)}, D: c.D
  };
  checks.set(`gss fixture ${c.name}`, () => ({actual: gss(tf.tensor2d(c.x, [c.l, c.E]), p), expected: c.y}));
}
{
  const [l, E] = [128, 8], p = gssInit(E, {H: 2, N: 8, seed: 4}), x = uniform(l * E, 53);
  checks.set(`gss l=${l} E=${E} = loop`, () => ({actual: gss(tf.tensor2d(x, [l, E]), p), expected: gssLoop(x, p, l, E)}));
}
