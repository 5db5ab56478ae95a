// Page 5's lesson (src/lessons/selective.ts, selectiveCost.ts): tokens, Theorem 1, the strip's
// two SSMs, the scan levels, the Mamba block's boxes, the cost figure's methods, as plain data.
import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {
  DEFAULT_TOKENS, MAX_TOKENS, STRIP_DEFAULTS, barB, blockDiagram, compositeOf, formatTokens, keptWeights, parseTokens, randomTokens,
  runBlock, scanLevelsView, shapeText, stripSummary, stripView, theorem1Input, theorem1View, toggleNoise
} from "../../src/lessons/selective.js";
import {costSentence, formatBytes, measureSelectiveCost, scanInputs, selectiveCostMethods} from "../../src/lessons/selectiveCost.js";
import {useBackend} from "../kernels/helpers.js";

beforeAll(() => useBackend("cpu"));
let tensors0 = 0;
beforeAll(() => { tensors0 = tf.memory().numTensors; });
afterAll(() => expect(tf.memory().numTensors).toBe(tensors0));

describe("tokens", () => {
  it("parseTokens reads digits with ~ for noise, ignoring spaces; formatTokens writes it back", () => {
    const p = parseTokens("7 ~3~1 4");
    expect(p.tokens).toEqual([{value: 7, noise: false}, {value: 3, noise: true}, {value: 1, noise: true}, {value: 4, noise: false}]);
    expect(formatTokens(p.tokens!)).toBe("7 ~3 ~1 4");
    expect(parseTokens(formatTokens(parseTokens(DEFAULT_TOKENS).tokens!)).tokens).toEqual(parseTokens(DEFAULT_TOKENS).tokens);
  });

  it("parseTokens refuses other characters, a dangling ~, too few and too many tokens, by name", () => {
    expect(parseTokens("7 a 3").error).toMatch(/only digits 0–9.*"a" at position 2/);
    expect(parseTokens("7 ~").error).toMatch(/ends with "~"/);
    expect(parseTokens("7 ~ 3").error).toMatch(/"~" at position 2 must be followed by a digit/);
    expect(parseTokens("~~3 4").error).toMatch(/mark a token once/);
    expect(parseTokens("7").error).toMatch(/at least 2 tokens/);
    expect(parseTokens("1".repeat(MAX_TOKENS + 1)).error).toMatch(/at most 16 tokens, got 17/);
  });

  it("toggleNoise flips one mark and leaves bad indices alone; randomTokens is seeded and keeps one token", () => {
    expect(toggleNoise("7 ~3 5", 1)).toBe("7 3 5");
    expect(toggleNoise("7 ~3 5", 0)).toBe("~7 ~3 5");
    expect(toggleNoise("7 ~3 5", 9)).toBe("7 ~3 5");
    expect(randomTokens(4)).toBe(randomTokens(4));
    expect(randomTokens(4)).not.toBe(randomTokens(5));
    const t = parseTokens(randomTokens(11, 12, 0)).tokens!;
    expect(t.length).toBe(12);
    expect(t.filter((x) => !x.noise).length).toBe(1);
  });
});

describe("Theorem 1", () => {
  it("theorem1View: with ZOH Ā = 1 − σ(z), B̄ = σ(z), and the site's scan equals the gated RNN; Euler does not", async () => {
    const x = theorem1Input(3, 24);
    expect(x.length).toBe(24);
    const v = await theorem1View(x, 2, 0.5);
    expect(v.maxAbDiff).toBeLessThan(1e-12);
    expect(v.maxBbDiff).toBeLessThan(1e-12);
    expect(v.maxScanDiff).toBeLessThan(1e-5);
    expect(v.maxEulerDiff).toBeGreaterThan(1e-3);
    const r = v.rows[5];
    expect(r.delta).toBeCloseTo(Math.log1p(Math.exp(r.z)), 12);
    expect(r.BbEuler).toBe(r.delta);
    // small Δ (z ≪ 0): softplus(z) ≈ σ(z), so Euler and ZOH agree
    const small = await theorem1View(x, 0.5, -8);
    expect(small.maxEulerDiff).toBeLessThan(1e-3);
  });

  it("theorem1View refuses non-finite weights and empty inputs", async () => {
    await expect(theorem1View([1, 2], NaN, 0)).rejects.toThrow(/^theorem1View: w must be finite/);
    await expect(theorem1View([], 1, 0)).rejects.toThrow(/^theorem1View: x must be a non-empty list/);
  });
});

describe("the token strip", () => {
  const tokens = parseTokens(DEFAULT_TOKENS).tokens!;

  it("keptWeights: B̄ₜ ∏_{s>t} Ā_s, and Σ kept·u is the last state of the loop", () => {
    const Ab = [0.5, 0.9, 0.2], Bb = [1, 2, 3];
    expect(Array.from(keptWeights(Ab, Bb))).toEqual([1 * 0.9 * 0.2, 2 * 0.2, 3]);
    expect(barB(0.5, 1, "euler")).toBe(0.5);
    expect(barB(0.5, 2, "zoh")).toBeCloseTo((1 - Math.exp(-1)) / 2, 15);
  });

  it("stripView: the kernels equal the loop; the selective state holds the last kept token, the LTI state a blend", async () => {
    const v = await stripView(tokens, STRIP_DEFAULTS);
    expect(v.maxLoopDiff).toBeLessThan(1e-5);
    const L = tokens.length;
    const sum = (k: Float64Array) => k.reduce((s, w, t) => s + w * v.u[t], 0);
    expect(sum(v.sel.kept)).toBeCloseTo(v.sel.hLoop[L - 1], 10);
    expect(sum(v.lti.kept)).toBeCloseTo(v.lti.hLoop[L - 1], 10);
    expect(v.sel.delta[0]).toBeCloseTo(Math.log1p(Math.exp(3)), 10); // kept: softplus(8 − 5)
    expect(v.sel.delta[1]).toBeCloseTo(Math.log1p(Math.exp(-5)), 10); // noise: softplus(−5)
    expect(v.lti.K[1] / v.lti.K[0]).toBeCloseTo(Math.exp(-0.5), 5); // K̄ₖ = Āᵏ B̄
    const s = stripSummary(v);
    expect(s.lastKept).toEqual({t: 8, value: 5});
    expect(s.selOnLast).toBeGreaterThan(0.9);
    expect(s.selOnNoise).toBeLessThan(0.05);
    expect(s.ltiOnNoise).toBeGreaterThan(0.5);
    expect(Math.abs(s.selFinal - 5)).toBeLessThan(0.5);
    expect(s.text).toMatch(/^Selective: the final state is 4\.\d\d; 9\d % of its weight is on the last kept token \(5, position 9\)/);
  });

  it("stripView with Euler's B̄ = Δ scales the taken token by Δ; every bad parameter is named", async () => {
    const v = await stripView(tokens, {...STRIP_DEFAULTS, rule: "euler"});
    expect(v.sel.Bb[0]).toBeCloseTo(v.sel.delta[0], 12);
    expect(v.maxLoopDiff).toBeLessThan(1e-4);
    await expect(stripView(tokens, {...STRIP_DEFAULTS, ltiDelta: 0})).rejects.toThrow(/^stripView: params.ltiDelta must be > 0/);
    await expect(stripView(tokens, {...STRIP_DEFAULTS, a: -1})).rejects.toThrow(/^stripView: params.a must be > 0/);
    await expect(stripView(tokens, {...STRIP_DEFAULTS, rule: "bilinear" as never})).rejects.toThrow(/^stripView: params.rule/);
  });

  it("stripSummary: with no kept token the selective state stays near 0", async () => {
    const v = await stripView(parseTokens("~1 ~2 ~3").tokens!, STRIP_DEFAULTS);
    expect(stripSummary(v).lastKept).toBeNull();
    expect(stripSummary(v).text).toMatch(/no token is kept/);
  });
});

describe("the scan levels", () => {
  it("compositeOf composes in order and is the identity on an empty span", () => {
    expect(compositeOf([2, 3], [1, 1], 0, 1)).toEqual([6, 3 * 1 + 1]);
    expect(compositeOf([2, 3], [1, 1], 1, 0)).toEqual([1, 0]);
  });

  for (const L of [1, 5, 12, 16]) {
    it(`scanLevelsView: every level of both scans equals its definition and the last equals the loop (L = ${L})`, async () => {
      const a = Array.from({length: L}, (_, t) => 0.3 + 0.6 * ((t * 7) % 5) / 5), b = Array.from({length: L}, (_, t) => ((t * 3) % 7) - 3);
      const v = await scanLevelsView(a, b);
      expect(v.P).toBe(L === 12 ? 16 : L === 5 ? 8 : L);
      expect(v.maxHillis).toBeLessThan(1e-5);
      expect(v.maxBlelloch).toBeLessThan(1e-5);
      expect(v.maxFinal).toBeLessThan(1e-5);
      expect(v.hillisSteele.length).toBe(1 + Math.ceil(Math.log2(L)));
      expect(v.blelloch.length).toBe(1 + Math.log2(v.P) + 1 + Math.log2(v.P) + 1);
      for (const lv of v.blelloch) expect(lv.a.length).toBe(v.P);
      // the down-sweep's last level holds exclusive prefixes: position t composes 0 … t − 1
      const lastDown = v.blelloch[v.blelloch.length - 2];
      expect(lastDown.span.slice(0, L)).toEqual(Array.from({length: L}, (_, t) => [0, t - 1]));
      expect(v.combines.blelloch).toBe(2 * (v.P - 1) + L);
    });
  }

  it("scanLevelsView: level k of Hillis–Steele reads t − 2^(k−1) and t; Blelloch's right children read two cells", async () => {
    const v = await scanLevelsView([0.5, 0.5, 0.5, 0.5], [1, 2, 3, 4]);
    expect(v.hillisSteele[2].from[3]).toEqual([1, 3]);
    expect(v.hillisSteele[2].written).toEqual([false, false, true, true]);
    expect(v.combines.hillisSteele).toBe(3 + 2);
    const down1 = v.blelloch.find((lv) => lv.name === "down 1")!;
    expect(down1.from[1]).toEqual([3]); // left child takes the root's prefix
    expect(down1.from[3]).toEqual([3, 1]); // right child: prefix, then the left subtree
    await expect(scanLevelsView([1], [1, 2])).rejects.toThrow(/^scanLevelsView: a and b must have the same length/);
  });
});

describe("the Mamba block", () => {
  it("blockDiagram: Mamba's defaults and the shapes of mambaBlockShapes", () => {
    const d = blockDiagram({dModel: 32, expand: 2, dState: 16, L: 64});
    expect(d.config).toMatchObject({dInner: 64, dtRank: 2, dConv: 4});
    const by = Object.fromEntries(d.boxes.map((b) => [b.id, b.shape]));
    expect(by.xz).toEqual([1, 64, 128]);
    expect(by.xproj).toEqual([1, 64, 2 + 32]);
    expect(by.A).toEqual([64, 16]);
    expect(by.out).toEqual([1, 64, 32]);
    expect(d.state).toBe(64 * 16 + 64 * 3);
    expect(d.params).toBe(128 * 32 + 64 * 4 + 64 + 34 * 64 + 64 * 2 + 64 + 64 * 16 + 64 + 32 * 64);
    expect(d.edges.every((e) => d.boxes.some((b) => b.id === e.from) && d.boxes.some((b) => b.id === e.to))).toBe(true);
    expect(shapeText([1, 2, 3])).toBe("(1, 2, 3)");
  });

  it("runBlock: the tensors mambaBlock makes have the diagram's shapes, and nothing leaks", async () => {
    const before = tf.memory().numTensors;
    const d = blockDiagram({dModel: 16, expand: 1.5, dState: 4, L: 9});
    const r = await runBlock(d);
    expect(r.agrees).toBe(true);
    expect(r.shapes.dtproj).toEqual([1, 9, 24]);
    expect(Number.isFinite(r.maxOut) && r.maxOut > 0).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("the cost figure", () => {
  it("scanInputs: Mamba's init, seeded; selectiveCostMethods: the three methods agree and leak nothing", async () => {
    const s = scanInputs(8, 3, 4);
    expect(Array.from(s.A.slice(0, 4))).toEqual([-1, -2, -3, -4]);
    expect(scanInputs(8, 3, 4).u).toEqual(s.u);
    const before = tf.memory().numTensors;
    const setup = selectiveCostMethods(3, 4);
    const ys = await Promise.all(setup.methods.map(async (m) => { const y = m.run(32); const v = await y.data(); y.dispose(); return v; }));
    for (let i = 0; i < ys[0].length; i++) {
      expect(Math.abs(ys[1][i] - ys[0][i])).toBeLessThan(1e-4);
      expect(Math.abs(ys[2][i] - ys[0][i])).toBeLessThan(1e-4);
    }
    expect(setup.bytes(1024).compositeWrite).toBeGreaterThan(10 * setup.bytes(1024).fusedWrite);
    setup.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("measureSelectiveCost: one point per method and length, bytes per length, stoppable", async () => {
    const run = await measureSelectiveCost({d: 4, n: 4}, {lengths: [16, 32]});
    expect(run.points.map((p) => `${p.method}@${p.L}`).sort()).toEqual(["composite@16", "composite@32", "fused@16", "fused@32", "loop@16", "loop@32"]);
    expect(run.bytes.map((b) => b.l)).toEqual([16, 32]);
    expect(run.bytes[1].states).toBe(4 * 32 * 4 * 4);
    const stopped = await measureSelectiveCost({d: 4, n: 4}, {lengths: [16, 32], signal: {aborted: true}});
    expect(stopped.points).toEqual([]);
    expect(costSentence(run.points, "cpu")).toMatch(/^On cpu: at L = 32 the composite ops took [\d.]+× the fused kernel's time; at L = 32 the JS loop took/);
    expect(costSentence([], "cpu")).toBe("On cpu: not enough points to compare.");
  });

  it("formatBytes: B, kB, MB, GB", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 kB");
    expect(formatBytes(403e6)).toBe("403 MB");
    expect(formatBytes(3.5e10)).toBe("35 GB");
  });
});
