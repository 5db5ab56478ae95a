// Browser checks of the sequence kernels (scans, attention): numpy fixtures and plain loops.
import * as tf from "@tensorflow/tfjs";
import {
  linearScan, linearScanLoop, selectiveScan, selectiveScanLoop, linearAttention, linearAttentionRecurrent, softmaxAttention,
  softmaxAttentionLoop, type LinearAttentionOptions
} from "../../../src/kernels/index.js";
import seq from "../../../reference/fixtures/seq.json";
import {checks, uniform} from "./registry.js";

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

