// Page 6's lessons (src/lessons/linearAttention*.ts): the sequence, softmax and linear attention
// in their equal forms, the feature maps beside softmax, SUPRA's map fitted, the memory
// measurement and Mamba-2's SSD as plain data; leak checks throughout.
import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";
import {
  attentionSequence, featureMapOf, featureMapRows, fitLearnedMap, formsNotices, linearForms, performerSweep, relativeError,
  rowDistance, softmaxView, SENTENCE, type MapKey, type MapOptions
} from "../../src/lessons/linearAttention.js";
import {measureMemory, memorySummary, predictedBytes} from "../../src/lessons/linearAttentionMemory.js";
import {chunkRange, offDiagonalMinor, softplus, softplusInverse, ssdSystem, ssdView} from "../../src/lessons/linearAttentionSsd.js";
import {BACKENDS, useBackend} from "../kernels/helpers.js";

const noMaps: MapOptions = {features: 64, seed: 0, learned: null};

describe("attentionSequence", () => {
  it("attentionSequence({kind: 'text'}) gives q = k from one embedding per character, seeded", () => {
    const s = attentionSequence({kind: "text", l: 20, dk: 8, scale: 2, seed: 3});
    expect(s.tokens.join("")).toBe(SENTENCE.slice(0, 20).replaceAll(" ", "␣"));
    expect(Array.from(s.q)).toEqual(Array.from(s.k));
    // "t" at 0 and 6 ("the cat"): the same embedding, and q·q/√d_k = scale²
    const row = (t: number) => Array.from(s.q.subarray(t * 8, t * 8 + 8));
    expect(row(0)).toEqual(row(6));
    expect(row(0).reduce((a, x) => a + x * x, 0) / Math.sqrt(8)).toBeCloseTo(4, 4);
    expect(attentionSequence({kind: "text", l: 20, dk: 8, scale: 2, seed: 3}).v).toEqual(s.v);
    expect(attentionSequence({kind: "text", l: 200, dk: 8, scale: 2, seed: 3}).tokens.length).toBe(200);
  });

  it("attentionSequence({kind: 'random'}) draws q and k apart, and refuses bad sizes", () => {
    const s = attentionSequence({kind: "random", l: 16, dk: 4, scale: 1, seed: 1});
    expect(s.q.length).toBe(64);
    expect(Array.from(s.q)).not.toEqual(Array.from(s.k));
    expect(() => attentionSequence({kind: "random", l: 0, dk: 4, scale: 1, seed: 1})).toThrow(/attentionSequence: l must be/);
    expect(() => attentionSequence({kind: "random", l: 4, dk: 4, scale: 0, seed: 1})).toThrow(/scale must be/);
  });
});

describe.each(BACKENDS)("linear attention lesson on %s", (backend) => {
  beforeAll(async () => { await useBackend(backend); });
  const seq = attentionSequence({kind: "text", l: 24, dk: 8, scale: 1.5, seed: 1});

  it("softmaxView(s): causal weights whose rows sum to 1, the l×l cost", async () => {
    const before = tf.memory().numTensors;
    const v = await softmaxView(seq);
    expect(v.W.length).toBe(24 * 24);
    for (let t = 0; t < 24; t++) {
      const row = v.W.subarray(t * 24, t * 24 + 24);
      expect(row.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 5);
      for (let s = t + 1; s < 24; s++) expect(row[s]).toBe(0);
    }
    expect(v.scores).toBe(576);
    expect(v.kvFloats).toBe(24 * (8 + 4));
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(["elu1", "relu", "random", "identity"] as MapKey[])("linearForms(s, %s): the masked matrix, the recurrence and the chunks agree", async (key) => {
    const before = tf.memory().numTensors;
    for (const [decay, normalize] of [[1, "sum"], [0.8, "none"], [0.9, "groupnorm"]] as const) {
      const f = await linearForms(seq, key, decay, normalize, noMaps, 5);
      expect(f.finite).toBe(true);
      const tol = key === "identity" && normalize === "sum" ? 1e-3 * Math.max(1, f.maxAbs) : 1e-4 * Math.max(1, f.maxAbs);
      expect(f.diff).toBeLessThan(tol);
      expect(f.diffChunked).toBeLessThan(tol);
      expect(f.M[5 * 24 + 2]).toBeCloseTo(decay ** 3, 5);
      expect(f.M[2 * 24 + 5]).toBe(0);
      expect(f.stateFloats).toBe((key === "random" ? 64 : 8) * (4 + (normalize === "sum" ? 1 : 0)));
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("featureMapRows: each map's weights beside softmax's with a distance in [0, 1] for positive maps", async () => {
    const before = tf.memory().numTensors;
    const soft = await softmaxView(seq);
    const rows = await featureMapRows(seq, soft, noMaps);
    expect(rows.map((r) => r.key)).toEqual(["elu1", "relu", "identity", "random"]);
    for (const r of rows) {
      if (r.key !== "identity") {
        expect(r.distance).toBeGreaterThan(0);
        expect(r.distance).toBeLessThanOrEqual(1);
        expect(r.negativeRows).toBe(0);
      }
      expect(Number.isFinite(r.outputError)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("performerSweep: more random features come closer to softmax", async () => {
    const soft = await softmaxView(seq);
    const before = tf.memory().numTensors;
    const sw = await performerSweep(seq, soft, [4, 256], 3);
    expect(tf.memory().numTensors).toBe(before);
    expect(sw.mean[1]).toBeLessThan(sw.mean[0]);
    expect(sw.mean[1]).toBeLessThan(0.15);
  });
});

describe("feature maps and SUPRA's learned map (cpu)", () => {
  beforeAll(async () => { await useBackend("cpu"); });

  it("rowDistance and relativeError: 0 for equal, 1 for disjoint rows", () => {
    expect(rowDistance([1, 0, 0.5, 0.5], [1, 0, 0.5, 0.5], 2)).toBe(0);
    expect(rowDistance([1, 0, 1, 0], [0, 1, 0, 1], 2)).toBe(1);
    expect(relativeError([1, 2], [1, 4])).toBeCloseTo(0.5, 12);
  });

  it("featureMapOf('learned') is null until fitted; fitLearnedMap lowers its loss and leaks nothing", async () => {
    expect(featureMapOf("learned", noMaps)).toBeNull();
    const p = {kind: "text" as const, l: 16, dk: 8, scale: 1.5, seed: 1};
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    const map = await fitLearnedMap(p, {steps: 40, df: 16}, {onStep: (pr) => losses.push(pr.loss)});
    expect(losses.length).toBe(40);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
    expect(map.W.length).toBe(8 * 16);
    expect(tf.memory().numTensors).toBe(before);
    const seq = attentionSequence(p);
    const rows = await featureMapRows(seq, await softmaxView(seq), {...noMaps, learned: map});
    expect(rows.at(-1)!.key).toBe("learned");
    expect(rows.at(-1)!.width).toBe(16);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("fitLearnedMap stops when its signal is aborted", async () => {
    const signal = {aborted: false};
    let n = 0;
    await fitLearnedMap({kind: "random", l: 8, dk: 4, scale: 1, seed: 2}, {steps: 100}, {signal, onStep: () => { if (++n === 3) signal.aborted = true; }});
    expect(n).toBe(3);
  });

  it("formsNotices warns about the identity map's blow-up under the sum", async () => {
    const notices = formsNotices({finite: true, maxAbs: 1e3} as never, "identity", "sum");
    expect(notices[0].text).toMatch(/SUPRA drop the sum/);
    expect(formsNotices({finite: false, maxAbs: 0} as never, "elu1", "sum")[0].level).toBe("error");
    expect(formsNotices({finite: true, maxAbs: 1} as never, "elu1", "sum")).toEqual([]);
  });
});

describe("memory lesson (cpu)", () => {
  beforeAll(async () => { await useBackend("cpu"); });

  it("measureMemory: the KV cache's bytes grow with L, the state's do not; nothing leaks", async () => {
    const before = tf.memory().numTensors;
    const pts = await measureMemory({d: 16, Ls: [64, 256], reps: 1, budgetMs: Infinity}); // no time budget: the test must not depend on the machine's load
    const kv = pts.filter((p) => p.method === "kv-step"), st = pts.filter((p) => p.method === "state-step");
    expect(kv.map((p) => p.bytes)).toEqual([predictedBytes(64, 16).kv, predictedBytes(256, 16).kv]);
    expect(st.map((p) => p.bytes)).toEqual([predictedBytes(64, 16).state, predictedBytes(64, 16).state]);
    expect(pts.filter((p) => p.method.endsWith("-seq")).length).toBe(4);
    expect(pts.every((p) => p.ms >= 0)).toBe(true);
    expect(memorySummary(pts)).toMatch(/At L = 256: the KV cache holds 32\.0 KiB/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("measureMemory stops when aborted", async () => {
    const signal = {aborted: false};
    const pts = await measureMemory({d: 8, Ls: [64, 128, 256], reps: 1, signal, onPoint: () => { signal.aborted = true; }});
    expect(pts.length).toBe(1);
  });
});

describe.each(BACKENDS)("SSD lesson on %s", (backend) => {
  beforeAll(async () => { await useBackend(backend); });
  const base = {l: 21, chunk: 5, A: -0.7, delta: 0.4, spread: 1.2, n: 4, seed: 2};

  it("softplus and its inverse", () => {
    for (const y of [0.01, 0.4, 3, 30]) expect(softplus(softplusInverse(y))).toBeCloseTo(y, 10);
  });

  it("ssdView: chunked = quadratic = recurrent = selectiveScan, for chunks 1, 5, 7 and 21", async () => {
    const before = tf.memory().numTensors;
    for (const chunk of [1, 5, 7, 21, 40]) {
      const v = await ssdView(ssdSystem({...base, chunk}));
      expect(v.chunk).toBe(Math.min(chunk, 21));
      expect(v.chunks).toBe(Math.ceil(21 / v.chunk));
      const tol = 1e-5 * Math.max(1, v.maxY);
      expect(v.diff.quadratic).toBeLessThan(tol);
      expect(v.diff.recurrent).toBeLessThan(tol);
      expect(v.diff.selective).toBeLessThan(tol);
      for (let t = 0; t < 21; t++) expect(v.yDiag[t] + v.yOff[t]).toBeCloseTo(v.y[t], 5);
      expect(v.minor).toBeLessThan(1e-5);
      expect(v.chunkStates.length).toBe(v.chunks * 4);
      // the state entering chunk 0 is the zero initial state; its y_off is 0
      expect(Array.from(v.startStates.subarray(0, 4))).toEqual([0, 0, 0, 0]);
      expect(Math.max(...Array.from(v.yOff.subarray(0, v.chunk), Math.abs))).toBe(0);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("ssdView with spread 0 draws RetNet's decay mask γ^(t−s), γ = exp(ΔA)", async () => {
    const v = await ssdView(ssdSystem({...base, spread: 0}));
    const gamma = Math.exp(0.4 * -0.7);
    expect(v.L[10 * 21 + 4]).toBeCloseTo(gamma ** 6, 5);
    expect(v.L[4 * 21 + 10]).toBe(0);
    expect(v.chunkDecay[1]).toBeCloseTo(gamma ** 5, 5);
    expect(chunkRange(v, 4)).toEqual({t0: 20, t1: 21});
  });
});

describe("offDiagonalMinor", () => {
  it("is 0 for a rank-1 lower part and not for a matrix with rank 2 below its diagonal blocks", () => {
    const l = 4, g = 0.5;
    const L = Array.from({length: l * l}, (_, i) => (Math.floor(i / l) >= i % l ? g ** (Math.floor(i / l) - (i % l)) : 0));
    expect(offDiagonalMinor(L, l, 2)).toBeCloseTo(0, 12);
    const R = [...L];
    R[2 * l + 0] = 1; // break rank 1 in the block rows 2–3, columns 0–1
    expect(offDiagonalMinor(R, l, 2)).toBeGreaterThan(0.01);
  });
});
