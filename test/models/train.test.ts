import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {S4D} from "../../src/models/s4d.js";
import {Mamba} from "../../src/models/mamba.js";
import {selectiveCopying} from "../../src/models/tasks.js";
import {Trainer, clipByGlobalNorm, evaluate, heldOutBatches} from "../../src/models/train.js";
import {assertClose, useBackend} from "../kernels/helpers.js";

beforeAll(() => useBackend("wasm"));

const task = selectiveCopying({nData: 3, nColors: 4, lContext: 9});
const small = () => new S4D({vocab: task.vocab, dModel: 8, nLayers: 1, dState: 4, seed: 1});

describe("Trainer", () => {
  it("clipByGlobalNorm scales every gradient by clip/‖g‖ when the global norm exceeds clip, else leaves them", () => {
    const g = {a: tf.tensor([3, 0]), b: tf.tensor([[0, 4]])}; // ‖g‖ = 5
    const c = tf.tidy(() => clipByGlobalNorm(g, 1));
    assertClose(c.a, [0.6, 0]);
    assertClose(c.b, [0, 0.8]);
    const same = tf.tidy(() => clipByGlobalNorm(g, 10));
    assertClose(same.a, [3, 0]);
    expect(clipByGlobalNorm(g, Infinity)).toBe(g);
    tf.dispose([g.a, g.b, c.a, c.b, same.a, same.b]);
  });

  it("clipByGlobalNorm over 20 gradients (summed in groups, as webgpu needs) uses the norm over all of them", () => {
    const g = Object.fromEntries(Array.from({length: 20}, (_, i) => [`p${i}`, tf.tensor([i === 19 ? 4 : 0, i === 0 ? 3 : 0])])); // ‖g‖ = 5
    const c = tf.tidy(() => clipByGlobalNorm(g, 1));
    assertClose(c.p0, [0, 0.6]);
    assertClose(c.p19, [0.8, 0]);
    tf.dispose([...Object.values(g), ...Object.values(c)]);
  });

  it("learningRate(step) warms up linearly, then follows a cosine down to minLrFraction·lr", () => {
    const m = small();
    const t = new Trainer(m, task, [], {lr: 1, warmup: 10, decaySteps: 110, minLrFraction: 0.1});
    expect(t.learningRate(0)).toBeCloseTo(0.1);
    expect(t.learningRate(9)).toBeCloseTo(1);
    expect(t.learningRate(10)).toBeCloseTo(1);
    expect(t.learningRate(60)).toBeCloseTo(0.55);
    expect(t.learningRate(110)).toBeCloseTo(0.1);
    expect(t.learningRate(500)).toBeCloseTo(0.1);
    t.dispose();
    m.params.dispose();
  });

  it("25 steps of Adam lower the held-out loss, and evaluate counts only the scored positions", async () => {
    const m = small();
    const evalSet = heldOutBatches(task, {seed: 1, batches: 1, batch: 32});
    const t = new Trainer(m, task, evalSet, {lr: 1e-2, batch: 16, warmup: 1, evalEvery: 0, seed: 1});
    const before = await t.evaluate();
    expect(before.count).toBe(32 * 3);
    await t.run(25, {yieldFn: async () => {}}); // evaluates at the end
    expect(t.curves.evalStep).toEqual([0, 25]);
    expect(t.curves.evalLoss[1]).toBeLessThan(before.loss - 0.1);
    expect(t.curves.step).toEqual(Array.from({length: 25}, (_, i) => i + 1));
    t.dispose();
    m.params.dispose();
  });

  it("tf.memory().numTensors stays flat across training steps and evaluations (S4D and Mamba)", async () => {
    for (const m of [small(), new Mamba({vocab: task.vocab, dModel: 8, nLayers: 1, dState: 2, seed: 1})]) {
      const t = new Trainer(m, task, heldOutBatches(task, {batches: 1, batch: 8}), {batch: 8, evalEvery: 2});
      await t.run(2);
      const n = tf.memory().numTensors;
      await t.run(8);
      await evaluate(m, t.evalSet);
      expect(tf.memory().numTensors).toBe(n);
      t.dispose();
      m.params.dispose();
    }
  });

  it("run() yields to the event loop after every step, pauses on request and resumes where it stopped", async () => {
    const m = small();
    const t = new Trainer(m, task, [], {batch: 8, evalEvery: 0});
    let ticks = 0, stepsSeen = 0;
    const timer = setInterval(() => ticks++, 0);
    const done = t.run(12, {onStep: (p) => { stepsSeen++; if (p.step === 4) void t.pause(); }});
    expect(t.running).toBe(true);
    expect(await done).toBe(false);
    expect(t.step).toBe(4);
    expect(t.running).toBe(false);
    expect(await t.run(12)).toBe(true);
    clearInterval(timer);
    expect(t.step).toBe(12);
    expect(t.curves.step).toEqual(Array.from({length: 12}, (_, i) => i + 1));
    expect(stepsSeen).toBe(4);
    expect(ticks).toBeGreaterThan(0);
    t.dispose();
    m.params.dispose();
  });

  it("the same seeds give the same training curve", async () => {
    const curve = async () => {
      const m = small();
      const t = new Trainer(m, task, [], {batch: 8, evalEvery: 0, seed: 3});
      await t.run(5);
      t.dispose();
      m.params.dispose();
      return t.curves.loss;
    };
    expect(await curve()).toEqual(await curve());
  });
});

describe("runExperiment", () => {
  it("runs a tiny associative-recall experiment in process, reports accuracy per number of pairs, and leaks nothing", async () => {
    const {runExperiment} = await import("../../src/models/experiments.js");
    const before = tf.memory().numTensors;
    const run = await runExperiment("associative-recall", "linear", {steps: 2, seed: 1, set: {maxPairs: 4, evalBatches: 1, evalBatch: 4, dModel: 8}});
    expect(run.result).toMatchObject({task: "associative-recall", model: "linear", steps: 2, seed: 1});
    expect(Object.keys(run.result.accuracyByPairs as object)).toEqual(["2", "4"]);
    expect(run.result.accuracy).toBe((run.result.accuracyByPairs as Record<string, number>)["4"]);
    expect(run.curves.step).toEqual([1, 2]);
    run.model.params.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("stopWhen ends the training at the first evaluation it accepts, and says so", async () => {
    const {runExperiment} = await import("../../src/models/experiments.js");
    const before = tf.memory().numTensors;
    const asked: {step: number; accuracy: number; seconds: number}[] = [];
    const set = {maxPairs: 4, evalBatches: 1, evalBatch: 4, dModel: 8, evalEvery: 2};
    const run = await runExperiment("associative-recall", "linear", {steps: 10, seed: 1, set, stopWhen: (p) => { asked.push(p); return p.step >= 4; }});
    expect(asked.map((p) => p.step)).toEqual([2, 4]);
    for (const p of asked) { expect(p.accuracy).toBeGreaterThanOrEqual(0); expect(p.seconds).toBeGreaterThan(0); }
    expect(run.result).toMatchObject({steps: 4, stoppedEarly: true});
    expect(run.curves.step).toEqual([1, 2, 3, 4]);
    expect(run.curves.evalStep.at(-1)).toBe(4);
    run.model.params.dispose();
    // accepting only at the last step: the run goes the whole way, with no stoppedEarly key
    const seen: number[] = [];
    const full = await runExperiment("associative-recall", "linear", {steps: 4, seed: 1, set, stopWhen: (p) => { seen.push(p.step); return p.step === 4; }});
    expect(seen).toEqual([2, 4]); // the last step's evaluation is offered too, and accepting it is no early stop
    expect(full.result.steps).toBe(4);
    expect("stoppedEarly" in full.result).toBe(false);
    full.model.params.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("sampleNames", () => {
  it("draws seeded names of the model's characters, each ending before the separator", async () => {
    const {sampleNames} = await import("../../src/models/generate.js");
    const {Transformer} = await import("../../src/models/transformer.js");
    const chars = [".", ..."abcde"];
    const m = new Transformer({vocab: chars.length, dModel: 8, nLayers: 1, nHeads: 2, maxLen: 8, seed: 1});
    const before = tf.memory().numTensors;
    const a = await sampleNames(m, chars, {count: 5, maxChars: 10, seed: 4, context: 8});
    const b = await sampleNames(m, chars, {count: 5, maxChars: 10, seed: 4, context: 8});
    expect(a).toEqual(b);
    expect(a).toHaveLength(5);
    for (const s of a) expect(s).toMatch(/^[a-e]{0,10}$/);
    expect(tf.memory().numTensors).toBe(before);
    m.params.dispose();
  });
});
