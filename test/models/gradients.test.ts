// Gradient checks: every model's tfjs gradient (custom gradients included) against central
// finite differences of its loss on a tiny case, one random direction per parameter tensor,
// so that a parameter with a wrong or missing gradient shows up by name.
import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {maskedCrossEntropy} from "../../src/models/layers.js";
import {Mamba} from "../../src/models/mamba.js";
import {S4D} from "../../src/models/s4d.js";
import {Transformer, swapToLinear} from "../../src/models/transformer.js";
import type {SequenceModel} from "../../src/models/model.js";
import {lcg, useBackend} from "../kernels/helpers.js";

beforeAll(() => useBackend("cpu"));

const V = 6, b = 2, l = 7;
const r = lcg(11);
const tokens = Array.from({length: b * l}, () => Math.floor(r() * V));
const targets = Array.from({length: b * l}, () => Math.floor(r() * V));
const weights = Array.from({length: b * l}, (_, i) => (i % 3 === 0 ? 0 : 1));

function lossOf(model: SequenceModel): tf.Scalar {
  return tf.tidy(() => maskedCrossEntropy(model.logits(tf.tensor2d(tokens, [b, l], "int32")), tf.tensor2d(targets, [b, l], "int32"), tf.tensor2d(weights, [b, l])));
}

function checkGradients(model: SequenceModel, eps = 1e-2): void {
  const vars = model.params.variables();
  const names = model.params.names();
  const {value, grads} = tf.variableGrads(() => lossOf(model), vars);
  value.dispose();
  const bad: string[] = [];
  names.forEach((name, i) => {
    const v = vars[i];
    const dir = tf.tidy(() => { const d = tf.randomNormal(v.shape, 0, 1, "float32", 100 + i); return tf.div(d, tf.norm(d)); });
    const analytic = tf.tidy(() => tf.sum(tf.mul(grads[v.name], dir)).dataSync()[0]);
    const orig = tf.clone(v);
    const at = (s: number) => { tf.tidy(() => v.assign(tf.add(orig, tf.mul(dir, s)))); const L = lossOf(model); const x = L.dataSync()[0]; L.dispose(); return x; };
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    v.assign(orig);
    tf.dispose([orig, dir]);
    if (Math.abs(fd - analytic) > 3e-2 * Math.max(Math.abs(fd), Math.abs(analytic)) + 2e-4) bad.push(`${name}: analytic ${analytic.toExponential(4)}, finite difference ${fd.toExponential(4)}`);
  });
  tf.dispose(Object.values(grads));
  expect(bad).toEqual([]);
}

describe("model gradients against finite differences (cpu)", () => {
  it("Mamba (custom-gradient scan) has the gradient of its loss for every parameter", () => {
    const m = new Mamba({vocab: V, dModel: 8, nLayers: 1, dState: 3, seed: 2});
    expect(m.scanImpl).toBe("auto");
    checkGradients(m);
    m.params.dispose();
  });

  it("Mamba with the composite scan gives the same logits and gradients as with the loop", () => {
    const m = new Mamba({vocab: V, dModel: 8, nLayers: 1, dState: 3, seed: 3});
    const vars = m.params.variables();
    const run = (impl: "loop" | "composite") => { m.scanImpl = impl; return tf.variableGrads(() => lossOf(m), vars); };
    const a = run("loop"), c = run("composite");
    expect(Math.abs(a.value.dataSync()[0] - c.value.dataSync()[0])).toBeLessThan(1e-5);
    for (const v of vars) {
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a.grads[v.name], c.grads[v.name]))).dataSync()[0]);
      expect(diff).toBeLessThan(1e-4);
    }
    tf.dispose([a.value, c.value, ...Object.values(a.grads), ...Object.values(c.grads)]);
    m.params.dispose();
  });

  it("S4D has the gradient of its loss for every parameter (Δ, A_re, A_im, C, D included)", () => {
    const m = new S4D({vocab: V, dModel: 6, nLayers: 1, dState: 4, seed: 2});
    checkGradients(m);
    m.params.dispose();
  });

  it("the softmax transformer (with a short convolution) has the gradient of its loss for every parameter", () => {
    const m = new Transformer({vocab: V, dModel: 8, nLayers: 1, nHeads: 2, maxLen: l, shortConv: 2, seed: 2});
    checkGradients(m);
    m.params.dispose();
  });

  it("the SUPRA linear transformer (learned ReLU features, decay, GroupNorm) has the gradient of its loss for every parameter", () => {
    const s = new Transformer({vocab: V, dModel: 8, nLayers: 1, nHeads: 2, maxLen: l, seed: 2});
    const m = swapToLinear(s, {featureDim: 5});
    s.params.dispose();
    checkGradients(m, 1e-3); // ReLU kinks: a smaller step keeps the difference on one side
    m.params.dispose();
  });

  it("the linear transformer with elu1 features and the sum normaliser has the gradient of its loss", () => {
    const m = new Transformer({vocab: V, dModel: 8, nLayers: 1, nHeads: 2, maxLen: l, attention: "linear", dKey: 3, seed: 5});
    checkGradients(m);
    m.params.dispose();
  });
});
