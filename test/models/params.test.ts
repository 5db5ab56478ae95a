import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {Params, base64ToBytes, bytesToBase64, decodeFloats, encodeFloats, fromHalf, toHalf} from "../../src/models/params.js";
import {Mamba} from "../../src/models/mamba.js";
import {S4D} from "../../src/models/s4d.js";
import {Transformer} from "../../src/models/transformer.js";
import {saveModel} from "../../src/models/model.js";
import {loadModel} from "../../src/models/load.js";
import {useBackend} from "../kernels/helpers.js";

beforeAll(() => useBackend("cpu"));

describe("Params", () => {
  it("bytesToBase64 and base64ToBytes round-trip every length mod 3 and agree with Node's Buffer", () => {
    for (const n of [0, 1, 2, 3, 4, 5, 31]) {
      const bytes = Uint8Array.from({length: n}, (_, i) => (i * 37 + 11) & 255);
      const s = bytesToBase64(bytes);
      expect(s).toBe(Buffer.from(bytes).toString("base64"));
      expect(Array.from(base64ToBytes(s))).toEqual(Array.from(bytes));
    }
  });

  it("toHalf/fromHalf round to the nearest float16, keep signs, infinities and subnormals", () => {
    expect(fromHalf(toHalf(1))).toBe(1);
    expect(fromHalf(toHalf(-2.5))).toBe(-2.5);
    expect(fromHalf(toHalf(65504))).toBe(65504);
    expect(fromHalf(toHalf(1e6))).toBe(Infinity);
    expect(fromHalf(toHalf(2 ** -24))).toBe(2 ** -24);
    expect(Object.is(fromHalf(toHalf(-0)), -0)).toBe(true);
    for (const x of [0.1, -3.14159, 1234.5, 1e-3]) expect(Math.abs(fromHalf(toHalf(x)) - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11);
    const v = Float32Array.from([0.5, -1.25, 3]);
    expect(Array.from(decodeFloats(encodeFloats(v, "f16"), "f16", 3))).toEqual([0.5, -1.25, 3]);
    expect(() => decodeFloats(encodeFloats(v, "f32"), "f32", 4)).toThrow(/expected 4 f32 values, got 3/);
  });

  it("Params.add is seeded by (seed, name): same seed same values, another name other values", () => {
    const a = new Params(5), b = new Params(5);
    const x = a.add("w", [3, 4], {kind: "normal", std: 1});
    a.add("other", [2], {kind: "const", value: 0});
    const y = b.add("w", [3, 4], {kind: "normal", std: 1});
    const z = b.add("v", [3, 4], {kind: "normal", std: 1});
    expect(Array.from(x.dataSync())).toEqual(Array.from(y.dataSync()));
    expect(Array.from(x.dataSync())).not.toEqual(Array.from(z.dataSync()));
    expect(() => a.add("w", [1], {kind: "const", value: 1})).toThrow(/w already exists/);
    expect(() => a.get("nope")).toThrow(/no parameter nope/);
    a.dispose();
    b.dispose();
  });

  it.each([
    ["mamba", () => new Mamba({vocab: 7, dModel: 8, nLayers: 2, dState: 4, seed: 1})],
    ["s4d", () => new S4D({vocab: 7, dModel: 8, nLayers: 2, dState: 4, seed: 1})],
    ["transformer", () => new Transformer({vocab: 7, dModel: 8, nLayers: 1, nHeads: 2, maxLen: 16, seed: 1})],
    ["linear transformer (supra)", () => new Transformer({vocab: 7, dModel: 8, nLayers: 1, nHeads: 2, maxLen: 16, attention: "linear", featureMap: "supra", normalize: "groupnorm", decay: "retnet", seed: 1})]
  ])("saveModel → JSON → loadModel gives the same %s logits (f32 exactly, f16 within 1e-2)", async (_, make) => {
    const before = tf.memory().numTensors;
    const m = make();
    const tokens = tf.tensor2d([[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]], [2, 6], "int32");
    const y0 = tf.tidy(() => m.logits(tokens));
    // train-like change so the values are not the seeded ones
    for (const v of m.params.variables()) tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.05, "float32", 9))));
    const y1 = tf.tidy(() => m.logits(tokens));
    const file = JSON.parse(JSON.stringify(await saveModel(m, {note: "x"})));
    expect(file.meta).toEqual({note: "x"});
    const back = loadModel(file);
    const y2 = tf.tidy(() => back.logits(tokens));
    expect(Array.from(y2.dataSync())).toEqual(Array.from(y1.dataSync()));
    expect(Array.from(y1.dataSync())).not.toEqual(Array.from(y0.dataSync()));
    const half = loadModel(JSON.parse(JSON.stringify(await saveModel(m, {}, "f16"))));
    const y3 = tf.tidy(() => half.logits(tokens));
    const err = tf.tidy(() => tf.max(tf.abs(tf.sub(y3, y1))).dataSync()[0]);
    expect(err).toBeLessThan(1e-2);
    tf.dispose([tokens, y0, y1, y2, y3]);
    [m, back, half].forEach((x) => x.params.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  it("loadModel refuses a file of another format, model or shape, and frees what it made", async () => {
    const before = tf.memory().numTensors;
    expect(() => loadModel({format: "x"} as any)).toThrow(/loadModel: file must be a ssm-live-params\/1 object, got "x"/);
    const m = new S4D({vocab: 5, dModel: 4, nLayers: 1, dState: 2});
    const file = await saveModel(m);
    expect(() => loadModel({...file, model: "rnn"})).toThrow(/unknown model "rnn"/);
    expect(() => loadModel({...file, config: {...(file.config as object), dModel: 6}})).toThrow(/embedding has shape \(5,4\) in the file but \(5,6\) in the model/);
    const {head: _, ...rest} = file.tensors;
    expect(() => loadModel({...file, tensors: rest})).toThrow(/the file has no tensor head/);
    m.params.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

