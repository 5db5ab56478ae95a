// Page 6's training lessons (src/lessons/linearAttentionTraining.ts): recall models trained a few
// steps with pause and resume, the SUPRA linearization from the shipped pretrained model (the
// jump, a few uptraining steps, samples), the shipped first-paint readers; no tensor leaks.
// A handful of steps only: the results themselves are the experiment CLI's business.
import * as tf from "@tensorflow/tfjs";
import {readFileSync} from "node:fs";
import {beforeAll, describe, expect, it} from "vitest";
import {
  currentLines, gapRecovered, Linearization, stateEffects, PAIRS, RECALL_KEYS, RecallTraining, samplesOf, shippedRecallLines, shippedSupra, SWAP_VARIANTS, namesChars, type RecallFile, type RecallKey, type RecallLine
} from "../../src/lessons/linearAttentionTraining.js";
import {loadNames} from "../../src/models/namesNode.js";
import {readModelFile, readPretrainedNames, MODELS_DIR} from "../../src/models/node.js";
import {useBackend} from "../kernels/helpers.js";

beforeAll(async () => { await useBackend("wasm"); });

describe("associative recall lesson", () => {
  it("RecallTraining trains, reports accuracy at every number of pairs, pauses, resumes and leaks nothing", async () => {
    const before = tf.memory().numTensors;
    const r = new RecallTraining("linear", {steps: 4, evalBatch: 8});
    const lines: number[][] = [];
    let paused = false;
    const first = await r.run({every: 2, onProgress: (p) => {
      if (p.line) lines.push(p.line.accuracy);
      if (p.step === 2 && !paused) { paused = true; void r.pause(); }
    }});
    expect(first).toBe(false);
    expect(r.trainer.step).toBeLessThan(4);
    expect(await r.run({every: 2, onProgress: (p) => { if (p.line) lines.push(p.line.accuracy); }})).toBe(true);
    expect(r.trainer.step).toBe(4);
    expect(lines.at(-1)!.length).toBe(PAIRS.length);
    for (const a of lines.at(-1)!) expect(a).toBeGreaterThanOrEqual(0);
    const line = await r.line();
    expect(line.stateSize).toBe(544); // 2 layers × 2 heads × 8 × (16 + 1)
    r.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("RecallTraining makes every model of the figure, with the larger states where asked", () => {
    const sizes = Object.fromEntries(RECALL_KEYS.map((k) => { const r = new RecallTraining(k, {steps: 1, evalBatch: 4}); const s = r.model.stateSize(64); r.dispose(); return [k, s]; }));
    expect(sizes["linear-big"]).toBeGreaterThan(3 * sizes.linear);
    expect(sizes["mamba-big"]).toBeGreaterThan(2 * sizes.mamba);
    expect(sizes.softmax).toBeGreaterThan(sizes.linear);
    expect(() => new RecallTraining("nope" as never)).toThrow(/unknown model/);
  });

  it("currentLines prefers the live line; stateEffects compares each model with its larger state", () => {
    const line = (key: RecallKey, source: "live" | "shipped", accuracy: number[], stateSize: number): RecallLine =>
      ({key, label: key, accuracy, step: 1, stateSize, params: 1, source});
    const lines = [line("linear", "shipped", [0.6, 0.3, 0.2, 0.1], 544), line("linear-big", "shipped", [0.8, 0.6, 0.4, 0.2], 2176),
      line("mamba", "shipped", [0.5, 0.2, 0.2, 0.1], 1408), line("linear", "live", [0.4, 0.2, 0.2, 0.2], 544)];
    expect(currentLines(lines).map((l) => `${l.key}/${l.source}`)).toEqual(["linear/live", "linear-big/shipped", "mamba/shipped"]);
    const [e, ...rest] = stateEffects(lines);
    expect(rest).toEqual([]); // no mamba-big line: no Mamba comparison
    expect(e).toMatchObject({model: "linear", ratio: 4, lastSmall: 0.2, lastBig: 0.2});
    expect(e.meanSmall).toBeCloseTo(0.25, 12);
    expect(e.meanBig).toBeCloseTo(0.5, 12);
  });

  it("shippedRecallLines reads the first-paint file", () => {
    const file: RecallFile = {runs: [{key: "softmax", steps: 1200, seed: 0, result: {accuracyByPairs: {2: 1, 4: 1, 8: 0.9, 16: 0.8}, stateSize: 8192, params: 1, seconds: 1}}]};
    const [l] = shippedRecallLines(file);
    expect(l.accuracy).toEqual([1, 1, 0.9, 0.8]);
    expect(l.source).toBe("shipped");
  });
});

describe("linearization lesson (SUPRA)", () => {
  const pretrained = readPretrainedNames()!;
  const names = loadNames();

  it("Linearization: the swap raises the perplexity, a few uptraining steps run and pause, samples are names", async () => {
    const before = tf.memory().numTensors;
    const lin = await Linearization.create(pretrained, names, {steps: 4});
    expect(lin.pretrainedPerplexity).toBeCloseTo((pretrained.meta as {result: {perplexity: number}}).result.perplexity, 1);
    expect(lin.swappedPerplexity).toBeGreaterThan(lin.pretrainedPerplexity);
    let paused = false;
    const r1 = await lin.run({evalEvery: 2, onProgress: (p) => { if (p.step === 2 && !paused) { paused = true; void lin.pause(); } }});
    expect(r1).toBe(false);
    expect(await lin.run({evalEvery: 2})).toBe(true);
    expect(lin.step).toBe(4);
    expect(lin.curves.step).toEqual([0, 2, 4]); // paused right after the evaluation at 2: not evaluated again
    expect(lin.curves.scratch[0]).toBeGreaterThan(lin.swappedPerplexity); // a fresh model starts near uniform
    expect(lin.curves.uptrained.every((x) => Number.isFinite(x) && x > 1)).toBe(true);
    const s = await lin.samples({count: 3});
    for (const k of ["pretrained", "swapped", "uptrained", "scratch"] as const) {
      expect(s[k].length).toBe(s[k] === s.swapped ? 6 : 3);
      for (const n of s[k]) expect(n).toMatch(/^[a-z-]*$/);
    }
    lin.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("Linearization refuses an unknown variant; every variant has a label", async () => {
    await expect(Linearization.create(pretrained, names, {variant: "x" as never})).rejects.toThrow(/unknown variant/);
    expect(Object.values(SWAP_VARIANTS).every((v) => v.label.length > 0)).toBe(true);
  });

  it("shippedSupra reads the first paint; samplesOf draws from the shipped uptrained model", async () => {
    const file = readModelFile(MODELS_DIR + "supra-uptraining-supra.json");
    const s = shippedSupra(file as never)!;
    expect(s.swapped).toBeGreaterThan(s.pretrained);
    expect(s.curves.step[0]).toBe(0);
    expect(s.curves.uptrained[0]).toBe(s.swapped);
    expect(s.curves.step.length).toBe(s.curves.uptrained.length);
    const before = tf.memory().numTensors;
    const names3 = await samplesOf(file as never, namesChars(names), {count: 3});
    expect(names3.length).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
    expect(gapRecovered(9, 17, 10)).toBeCloseTo(7 / 8, 12);
    expect(shippedSupra({})).toBeNull();
    expect(JSON.parse(readFileSync(MODELS_DIR + "names-softmax.json", "utf8")).config.attention).toBe("softmax");
  });
});
