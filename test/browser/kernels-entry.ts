// Browser side of test/browser/kernels.test.mjs: tfjs with all four backends, the kernels
// and golden fixtures, bundled by esbuild (no site build). Exposes window.kernelChecks:
//   init(backend)  select it, then accept it only if it computes a known answer
//   list()         names of the checks
//   run(name)      {actual, expected, scale}: the test compares with per-backend tolerances
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import {setWasmPaths} from "@tensorflow/tfjs-backend-wasm";
import {
  linearScan, linearScanLoop, selectiveScan, selectiveScanLoop, linearAttention, linearAttentionRecurrent, softmaxAttention,
  softmaxAttentionLoop, ssmKernel, ssmRecurrent, causalConv, causalConvFFT, causalConvDirect, expm, discretize, type Method,
  type LinearAttentionOptions
} from "../../src/kernels/index.js";
import seq from "../../reference/fixtures/seq.json";
import ltiFixtures from "../../reference/fixtures/lti.json";

const lti = {ssmKernel, ssmRecurrent, causalConv, causalConvFFT, causalConvDirect};

type Check = () => {actual: tf.Tensor; expected: ArrayLike<number>};

/** Seeded uniform numbers in [lo, hi). */
function uniform(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({length: count}, () => lo + (hi - lo) * ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296));
}

const checks = new Map<string, Check>();

// ---- fixtures (numpy loops, reference/ref_seq.py)
const scanPick = new Set(["shape 1", "shape 7", "shape 13x4", "shape 33x2x3", "shape 257"]);
for (const c of seq.linearScan.filter((c: any) => scanPick.has(c.name))) {
  checks.set(`linearScan fixture ${c.name}`, () => ({actual: linearScan(tf.tensor(c.a, c.shape), tf.tensor(c.b, c.shape)), expected: c.h}));
}
for (const c of seq.selectiveScan) {
  checks.set(`selectiveScan fixture ${c.name}`, () => ({
    actual: selectiveScan(tf.tensor(c.u, [c.b, c.l, c.d]), tf.tensor(c.delta, [c.b, c.l, c.d]), tf.tensor(c.A, [c.d, c.n]),
      tf.tensor(c.B, [c.b, c.l, c.n]), tf.tensor(c.C, [c.b, c.l, c.n]), c.D ? tf.tensor(c.D) : undefined),
    expected: c.y
  }));
}
for (const c of seq.softmaxAttention) {
  checks.set(`softmaxAttention fixture ${c.name}`, () => ({
    actual: softmaxAttention(tf.tensor(c.q, [c.l, c.dk]), tf.tensor(c.k, [c.l, c.dk]), tf.tensor(c.v, [c.l, c.dv]), {causal: c.causal}),
    expected: c.o
  }));
}
for (const c of seq.linearAttention) {
  const opts = {featureMap: c.featureMap, decay: c.decay, normalize: c.normalize} as LinearAttentionOptions;
  const qkv = () => [tf.tensor(c.q, [c.l, c.dk]), tf.tensor(c.k, [c.l, c.dk]), tf.tensor(c.v, [c.l, c.dv])] as const;
  checks.set(`linearAttention fixture ${c.name}`, () => ({actual: linearAttention(...qkv(), opts), expected: c.o}));
  checks.set(`linearAttentionRecurrent fixture ${c.name}`, () => ({actual: linearAttentionRecurrent(...qkv(), opts), expected: c.o}));
}

// ---- larger sizes against plain loops (the GPU paths differ from the small ones)
checks.set("linearScan l=4096 x 8 = loop", () => {
  const [l, m] = [4096, 8];
  const a = uniform(l * m, 1, 0.5, 1);
  const b = uniform(l * m, 2);
  return {actual: linearScan(tf.tensor(a, [l, m]), tf.tensor(b, [l, m])), expected: linearScanLoop(a, b, l)};
});
checks.set("selectiveScan b=1 l=256 d=16 n=16 = loop", () => {
  const [nb, l, d, n] = [1, 256, 16, 16];
  const u = uniform(nb * l * d, 3);
  const delta = uniform(nb * l * d, 4, 0.01, 0.3);
  const A = Float32Array.from({length: d * n}, (_, i) => -(1 + (i % n)));
  const B = uniform(nb * l * n, 5);
  const C = uniform(nb * l * n, 6);
  const D = uniform(d, 7);
  return {
    actual: selectiveScan(tf.tensor(u, [nb, l, d]), tf.tensor(delta, [nb, l, d]), tf.tensor(A, [d, n]),
      tf.tensor(B, [nb, l, n]), tf.tensor(C, [nb, l, n]), tf.tensor(D)),
    expected: selectiveScanLoop(u, delta, A, B, C, D, nb, l, d, n)
  };
});
checks.set("softmaxAttention l=256 causal = loop", () => {
  const [l, dk, dv] = [256, 16, 8];
  const [q, k, v] = [uniform(l * dk, 8), uniform(l * dk, 9), uniform(l * dv, 10)];
  return {actual: softmaxAttention(tf.tensor(q, [l, dk]), tf.tensor(k, [l, dk]), tf.tensor(v, [l, dv])), expected: softmaxAttentionLoop(q, k, v, l, dk, dv)};
});
checks.set("linearAttention l=256 elu1 decay 0.95 parallel = recurrent", () => {
  const [l, dk, dv] = [256, 16, 8];
  const args = [tf.tensor(uniform(l * dk, 11), [l, dk]), tf.tensor(uniform(l * dk, 12), [l, dk]), tf.tensor(uniform(l * dv, 13), [l, dv])] as const;
  const rec = linearAttentionRecurrent(...args, {decay: 0.95});
  const expected = rec.dataSync().slice();
  rec.dispose();
  return {actual: linearAttention(...args, {decay: 0.95}), expected};
});

// ---- LTI kernels of the other files (when bundled), against plain float64 loops
const n = 4;
const Ab = [[0.9, 0.1, 0, 0], [-0.1, 0.9, 0, 0], [0, 0, 0.5, 0.2], [0, 0, 0, -0.7]];
const Bb = [[1], [0.5], [-0.3], [0.8]];
const C = [[0.4, -1, 0.7, 0.2]];
function kernelLoop(L: number): Float64Array {
  const K = new Float64Array(L);
  let x = Bb.map((r) => r[0]);
  for (let k = 0; k < L; k++) {
    K[k] = C[0].reduce((s, c, i) => s + c * x[i], 0);
    x = Ab.map((row) => row.reduce((s, a, j) => s + a * x[j], 0));
  }
  return K;
}
function convLoop(u: ArrayLike<number>, K: ArrayLike<number>): Float64Array {
  const y = new Float64Array(u.length);
  for (let k = 0; k < u.length; k++) for (let j = 0; j <= k; j++) y[k] += K[j] * u[k - j];
  return y;
}
const L = 200;
const uL = uniform(L, 14);
checks.set(`ssmKernel n=${n} L=${L} = loop`, () => ({actual: ssmKernel(Ab, Bb, C, L), expected: kernelLoop(L)}));
checks.set(`ssmRecurrent n=${n} l=${L} = loop`, () => ({actual: ssmRecurrent(Ab, Bb, C, uL), expected: convLoop(uL, kernelLoop(L))}));
for (const name of ["causalConv", "causalConvFFT", "causalConvDirect"] as const) {
  const f = lti[name];
  checks.set(`${name} l=${L} = loop`, () => ({actual: f(uL, Float32Array.from(kernelLoop(L))), expected: convLoop(uL, kernelLoop(L))}));
}

// ---- LTI fixtures (reference/ref_lti.py, numpy/scipy)
{
  // A subset: every new shape compiles new shader programs on webgl (seconds each).
  for (const c of (ltiFixtures.lti ?? []).filter((c: any) => /^n=(2|8) /.test(c.name))) {
    checks.set(`ssmKernel fixture ${c.name}`, () => ({actual: ssmKernel(c.Ab, c.Bb, c.C, c.K.length), expected: c.K}));
    checks.set(`ssmRecurrent fixture ${c.name}`, () => ({actual: ssmRecurrent(c.Ab, c.Bb, c.C, c.u), expected: c.y}));
  }
  for (const c of (ltiFixtures.causalConv ?? []).filter((c: any) => c.l === 5 || c.l === 100)) {
    for (const name of ["causalConv", "causalConvFFT", "causalConvDirect"] as const) {
      const f = lti[name];
      checks.set(`${name} fixture l=${c.l}`, () => ({actual: f(c.u, c.K), expected: c.y}));
    }
  }
  for (const c of (ltiFixtures.expm ?? []).filter((_: unknown, i: number) => i % 6 === 0)) {
    checks.set(`expm fixture ${c.name}`, () => ({actual: expm(c.A), expected: c.expA.flat()}));
  }
  for (const c of (ltiFixtures.discretize ?? []).slice(0, 5)) {
    checks.set(`discretize fixture ${c.name}`, () => {
      const {Ab, Bb} = discretize(c.A, c.B, c.delta, c.method as Method);
      return {actual: tf.concat([tf.reshape(Ab, [-1]), tf.reshape(Bb, [-1])]), expected: [...c.Ab.flat(), ...c.Bb.flat()]};
    });
  }
}

/** Selects `backend` and accepts it only if it computes a known small answer. */
async function init(backend: string): Promise<{ok: boolean; reason: string}> {
  try {
    if (backend === "wasm") setWasmPaths(new URL("./", location.href).href);
    const ok = await tf.setBackend(backend);
    await tf.ready();
    if (!ok || tf.getBackend() !== backend) return {ok: false, reason: `setBackend("${backend}") failed (active: ${tf.getBackend()})`};
  } catch (e) {
    return {ok: false, reason: `setBackend("${backend}") threw: ${(e as Error).message}`};
  }
  // [[1,2],[3,4]]·[5,6] = [17,39]; exp(0) + 1 = 2; a software WebGPU adapter can return zeros here.
  const y = tf.tidy(() => tf.concat([tf.reshape(tf.matMul(tf.tensor([[1, 2], [3, 4]]), tf.tensor([[5], [6]])), [2]), tf.add(tf.exp(tf.zeros([1])), 1)]));
  const got = Array.from(await y.data());
  y.dispose();
  const want = [17, 39, 2];
  const ok = got.every((g, i) => Math.abs(g - want[i]) < 1e-4);
  return ok ? {ok, reason: `computed [${got}] correctly`} : {ok, reason: `self-check computed [${got.map((g) => +g.toFixed(4))}] instead of [${want}]`};
}

async function run(name: string): Promise<{actual: number[]; expected: number[]; numTensorsBefore: number; numTensorsAfter: number}> {
  const check = checks.get(name);
  if (!check) throw new Error(`unknown check ${name}`);
  const before = tf.memory().numTensors;
  // The check's inputs are created inside the scope and freed with it; only `actual` is kept.
  let expected: ArrayLike<number> = [];
  const actualT = tf.tidy(() => {
    const r = check();
    expected = r.expected;
    return r.actual;
  });
  const actual = Array.from(await actualT.data());
  actualT.dispose();
  return {actual, expected: Array.from(expected), numTensorsBefore: before, numTensorsAfter: tf.memory().numTensors};
}

(window as any).kernelChecks = {init, run, list: () => [...checks.keys()], tfVersion: tf.version_core};

