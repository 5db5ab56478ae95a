// Page 7's lesson (src/lessons/family.ts): the catalogue is consistent (every model placed on
// the map, lineage to known models, the table complete), and every card's miniature returns
// plain arrays that are finite, of the right shapes, with its forms agreeing; nothing leaks.
import * as tf from "@tensorflow/tfjs";
import {readFileSync} from "node:fs";
import {execFileSync} from "node:child_process";
import {beforeAll, describe, expect, it} from "vitest";
import * as F from "../../src/lessons/family.js";
import {familyLayout} from "../../src/components/charts/FamilyMap.js";
import {texToString} from "../../src/components/tex.js";

const SEED_IDS = ["hippo", "s4", "dss", "s4d", "s5", "gss", "h3", "mega", "s4pp", "rwkv", "retnet", "mamba", "mamba2", "jamba", "timemachine", "vmamba"];

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});

/** Runs f and checks that tf.memory().numTensors is the same after. */
async function noLeak<T>(f: () => Promise<T> | T): Promise<T> {
  const before = tf.memory().numTensors;
  const r = await f();
  expect(tf.memory().numTensors).toBe(before);
  return r;
}

const finite = (a: ArrayLike<number>) => Array.from(a).every(Number.isFinite);

describe("family catalogue", () => {
  it("MODELS holds every model of the survey's map, HiPPO as the root, each once", () => {
    expect(F.MODELS.map((m) => m.id)).toEqual(SEED_IDS);
    expect(F.modelById("hippo").parents).toEqual([]);
    expect(() => F.modelById("nope")).toThrow(/modelById: id must be one of/);
  });

  it("every model sits on the grid and its parents are earlier models of the list", () => {
    const ids = new Set<string>();
    for (const m of F.MODELS) {
      expect(F.STRUCTURES.map((s) => s.id)).toContain(m.structure);
      expect(F.SELECTIVITY.map((s) => s.id)).toContain(m.selectivity);
      expect(F.COMPUTES.map((s) => s.id)).toContain(m.compute);
      expect(F.DISCRETIZATIONS.map((s) => s.id)).toContain(m.discretization);
      for (const p of m.parents) expect(ids.has(p), `${m.id}'s parent ${p} comes before it`).toBe(true);
      for (const p of m.parents) expect(F.modelById(p).year).toBeLessThanOrEqual(m.year);
      ids.add(m.id);
      expect(m.novelty.split(/(?<=[.!?])\s+/).length, `${m.id}: two sentences`).toBe(2);
      expect(m.year).toBeGreaterThanOrEqual(2020);
    }
    expect(F.lineageEdges()).toContainEqual({from: "mamba", to: "mamba2"});
  });

  it("every model's state equation typesets without a KaTeX error (as the card wraps it)", () => {
    for (const m of F.MODELS) {
      const src = m.equation.includes("\\\\") ? `\\begin{gathered}${m.equation}\\end{gathered}` : m.equation;
      expect(texToString(src, {displayMode: true}).error, m.id).toBeUndefined();
    }
  });

  it("familyTable() has one row per model with every column the page shows, no empty cell", () => {
    const t = F.familyTable();
    expect(t.length).toBe(F.MODELS.length);
    const cols = ["model", "year", "paper", "structure of A", "LTI / selective", "discretization", "kernel / scan", "training, in L", "inference, per token", "state size"];
    for (const row of t) for (const c of cols) expect(String(row[c] ?? "").length, `${row.model}: ${c}`).toBeGreaterThan(0);
  });

  it("familyLayout(mapNodes()) gives each model its own slot of its cell", () => {
    const layout = familyLayout(F.mapNodes(), F.STRUCTURES, F.MAP_ROWS);
    expect(layout.size).toBe(F.MODELS.length);
    const seen = new Set([...layout.values()].map((p) => `${p.col},${p.row},${p.slot}`));
    expect(seen.size).toBe(F.MODELS.length);
    expect(layout.get("mamba")).toMatchObject({col: 3, row: 1});
  });

  it("cardTags and OPEN_PROBLEMS name what the page links to", () => {
    expect(F.cardTags("mamba2")).toEqual(["A: scalar × I", "selective (Ā depends on the input)", "trained by chunked (SSD / chunkwise)", "discretization: ZOH for A, Euler for B"]);
    expect(F.OPEN_PROBLEMS.map((p) => p.id)).toEqual(["memory", "long", "llm", "multimodal", "scan", "generalization"]);
    for (const p of F.OPEN_PROBLEMS) if (p.link.href.startsWith("#card-")) expect(SEED_IDS).toContain(p.link.href.slice(6));
    expect(F.OPEN_PROBLEMS[0].link.href).toBe("/lab");
  });
});

describe("family miniatures (LTI)", () => {
  it("hippoMiniature({N}) reads the history back, better with more states", () => {
    const a = F.hippoMiniature({N: 4}), b = F.hippoMiniature({N: 32});
    expect(b.recon.length).toBe(400);
    expect(finite(b.recon) && finite(b.c)).toBe(true);
    expect(b.c.length).toBe(32);
    expect(b.rms).toBeLessThan(a.rms);
    expect(b.rms).toBeLessThan(0.05);
  });

  it("s4Miniature: the kernel by powers of Ā equals the recurrence's impulse response", async () => {
    const s = await noLeak(() => F.s4Miniature({N: 16, delta: 0.05, L: 128}));
    expect(s.K.length).toBe(128);
    expect(s.maxK).toBeGreaterThan(0);
    expect(s.maxDiff).toBeLessThan(1e-5 * Math.max(1, s.maxK));
  });

  it("dssMiniature: DSS_softmax and DSS_exp with converted weights agree; Re λ > 0 refuses DSS_exp", async () => {
    const a = await noLeak(() => F.dssMiniature({delta: 0.05, shift: 0, L: 128}));
    expect(a.Kexp).not.toBeNull();
    expect(a.maxDiff).toBeLessThan(1e-4 * a.maxK);
    const b = await noLeak(() => F.dssMiniature({delta: 0.05, shift: 0.8, L: 128}));
    expect(b.reLambda).toBeCloseTo(0.3, 10);
    expect(b.Kexp).toBeNull();
    expect(finite(b.Ksoftmax)).toBe(true);
  });

  it.each(["lin", "inv", "real"] as const)("s4dMiniature(%s): the Vandermonde kernel equals the real system's recurrence", async (init) => {
    const s = await noLeak(() => F.s4dMiniature({init, N: 8, delta: 0.05, L: 96}));
    expect(s.K.length).toBe(96);
    expect(s.maxDiff).toBeLessThan(1e-5 * Math.max(1, s.maxK));
    expect(s.lambda.re.length).toBe(init === "real" ? 8 : 4);
  });

  it("s5Miniature: two finite outputs of length L, discrete eigenvalues inside the unit disk", async () => {
    const s = await noLeak(() => F.s5Miniature({P: 3, deltaScale: 2, L: 64}));
    expect(s.y.map((y) => y.length)).toEqual([64, 64]);
    expect(finite(s.y[0]) && finite(s.y[1])).toBe(true);
    expect(s.lambdaBar.re.length).toBe(3);
    for (let i = 0; i < 3; i++) expect(Math.hypot(s.lambdaBar.re[i], s.lambdaBar.im[i])).toBeLessThan(1);
    expect(s.levels).toBe(6);
  });

  it("gssMiniature: H kernels of length L, a finite layer output, SSM share H/E", async () => {
    const g = await noLeak(() => F.gssMiniature({H: 3, L: 64}));
    expect(g.K.length).toBe(3);
    expect(g.K.every((k) => k.length === 64 && finite(k))).toBe(true);
    expect(g.finite).toBe(true);
    expect(g.ssmShare).toBeCloseTo(3 / 8, 12);
  });

  it("h3Miniature: the h3 kernel's output equals the successor count done by hand", async () => {
    for (const decay of [0.01, 0.3]) {
      const h = await noLeak(() => F.h3Miniature({decay, query: 2, seed: 5}));
      expect(h.tokens[h.tokens.length - 1]).toBe(2);
      expect(h.scores.length).toBe(F.H3_VOCAB.length);
      expect(h.maxDiff).toBeLessThan(1e-5);
      expect(h.scores[h.answer]).toBe(Math.max(...h.scores));
    }
  });

  it("megaMiniature: Mega's EMA by convolution equals its recurrence", async () => {
    const m = await noLeak(() => F.megaMiniature({alpha: 0.4, delta: 0.7, L: 80}));
    expect(m.yConv.length).toBe(80);
    expect(m.maxDiff).toBeLessThan(1e-5);
    expect(m.K[1] / m.K[0]).toBeCloseTo(1 - 0.4 * 0.7, 5);
  });

  it("s4ppMiniature: no jitter, no spread; jitter spreads the outputs; the controls are computed", async () => {
    const z = await noLeak(() => F.s4ppMiniature({jitter: 0, window: 4, L: 80, runs: 3}));
    for (const x of F.S4PP_INPUTS) expect(z.runs[x.id].spread).toBeLessThan(1e-6);
    const s = await noLeak(() => F.s4ppMiniature({jitter: 0.5, window: 4, L: 80, runs: 3}));
    for (const x of F.S4PP_INPUTS) {
      const r = s.runs[x.id];
      expect(r.jittered.length).toBe(3);
      expect(r.uniform.length).toBe(80);
      expect(r.spread).toBeGreaterThan(0);
    }
    const mean = (a: Float64Array) => a.reduce((p, v) => p + v, 0) / a.length;
    expect(mean(s.runs["smr-centred"].input)).toBeCloseTo(0, 10);
    expect(mean(s.runs["u-shifted"].input)).toBeCloseTo(mean(s.runs.smr.input), 10);
    expect(F.s4ppVerdict(s)).toMatch(/^Spread across the jittered grids/);
  });

  it("relativeSpread is 0 for identical runs and scales with their difference", () => {
    const u = Float64Array.from({length: 10}, (_, i) => Math.sin(i));
    expect(F.relativeSpread({uniform: u, jittered: [u, u]})).toBe(0);
    const up = u.map((v) => v + 0.1), down = u.map((v) => v - 0.1);
    expect(F.relativeSpread({uniform: u, jittered: [up, down]})).toBeCloseTo(0.1 / Math.sqrt(u.reduce((s, v) => s + v * v, 0) / 10), 10);
  });
});

describe("family miniatures (attention-like and selective)", () => {
  it("rwkvMiniature: the WKV scan equals its closed form; the last token's weights sum to 1", async () => {
    for (const [w, bonus] of [[0.3, 1], [2.5, -3], [0, 0]]) {
      const r = await noLeak(() => F.rwkvMiniature({w, bonus, L: 40}));
      expect(r.scan.length).toBe(40);
      expect(r.maxDiff).toBeLessThan(1e-5);
      expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    }
  });

  it("retnetMiniature: parallel = recurrent = chunkwise, for any chunk length", async () => {
    for (const chunk of [1, 5, 64]) {
      const r = await noLeak(() => F.retnetMiniature({gamma: 0.9, chunk, L: 40}));
      expect(r.parallel.length).toBe(40 * 4);
      expect(r.diffRecurrent).toBeLessThan(1e-4 * r.maxY);
      expect(r.diffChunked).toBeLessThan(1e-4 * r.maxY);
      expect(r.scores.length).toBe(40 * 40);
      expect(r.scores[1]).toBe(0); // causal: row 0 sees only column 0
    }
  });

  it("mambaMiniature: selectiveScan = Theorem 1's gated RNN; selective holds the marked value, LTI does not", async () => {
    const m = await noLeak(() => F.mambaMiniature({selectivity: 1}));
    expect(m.y.length).toBe(120);
    expect(m.gatedDiff).toBeLessThan(1e-5);
    expect(m.rmsSel).toBeLessThan(0.1);
    expect(m.rmsLti).toBeGreaterThan(3 * m.rmsSel);
    const lti = await noLeak(() => F.mambaMiniature({selectivity: 0}));
    expect(Array.from(lti.y)).toEqual(Array.from(lti.yLti));
    expect(new Set(Array.from(lti.gate).map((g) => g.toFixed(12))).size).toBe(1);
  });

  it("mamba2Miniature: chunked SSD = its recurrence = its quadratic form = selectiveScan with a scalar A, for any chunk", async () => {
    for (const chunk of [1, 7, 48]) {
      const m = await noLeak(() => F.mamba2Miniature({decay: 0.5, selectivity: 1, chunk, L: 32}));
      expect(m.chunked.length).toBe(32 * 2);
      const tol = 1e-5 * Math.max(1, m.maxY);
      expect(m.diffRecurrent).toBeLessThan(tol);
      expect(m.diffQuadratic).toBeLessThan(tol);
      expect(m.diffScan).toBeLessThan(tol);
      expect(m.chunks).toBe(Math.ceil(32 / Math.min(chunk, 32)));
    }
    const m = await F.mamba2Miniature({decay: 0.5, selectivity: 0, L: 16});
    expect(m.M.length).toBe(16 * 16);
    expect(Math.abs(m.M[1])).toBe(0); // causal: nothing above the diagonal
    expect(Array.from(m.a).every((a) => a <= 0)).toBe(true);
  });
});

describe("family miniatures (memory, images, forecasting)", () => {
  it("jambaMiniature reproduces the paper's Table 1 and computes the 256K cache", () => {
    const j = F.jambaMiniature({L: 2 ** 18});
    expect(j.table1.map((r) => r.computedGiB)).toEqual(j.table1.map((r) => r.paperGB));
    expect(j.pattern.filter((l) => l.mixer === "attention").length).toBe(4);
    expect(j.pattern.filter((l) => l.mlp === "moe").length).toBe(16);
    const jamba = j.at.find((r) => r.name === "Jamba-v0.1")!;
    expect(jamba.kvGiB).toBe(4);
    expect(jamba.perTokenKiB).toBe(16);
    expect(j.curves.every((c) => c.kvGiB.length === F.JAMBA_LENGTHS.length)).toBe(true);
    expect(F.distinctCurves(j.curves).map((c) => c.name)).toEqual(["LLAMA-2 7B", "Mistral 7B = Mixtral 8x7B", "Jamba-v0.1"]);
    expect(F.jambaVerdict(j)).toMatch(/Jamba's 4 attention layers cache 4\.00 GiB/);
  });

  it("jambaMiniature's fit: weights at 1 byte per parameter plus the cache, against the GPU", () => {
    const j = F.jambaMiniature({L: 2 ** 18, weightBytes: 1, gpuGiB: 80});
    const jamba = j.fit.find((r) => r.name === "Jamba-v0.1")!;
    expect(jamba.weightsGiB).toBeCloseTo(52e9 / 2 ** 30, 10);
    expect(jamba.fits).toBe(true);
    expect(j.fit.find((r) => r.name === "LLAMA-2 7B")!.fits).toBe(false);
    expect(jamba.maxContext).toBeGreaterThan(2 ** 18);
  });

  it("vmambaMiniature: four sequences, their maps sum to the merged map, both routes agree", async () => {
    const img = F.codeImage("disc", 12);
    const v = await noLeak(() => F.vmambaMiniature(img, {order: 1, decay: 0.8}));
    expect(v.sequences.length).toBe(4);
    expect(v.sequences.every((s) => s.length === 144)).toBe(true);
    expect(v.mergeDiff).toBeLessThan(1e-5);
    expect(v.routeDiff).toBe(0);
    // order 1 is column-major: pixel (r, c) is visited at c·H + r
    expect(v.orderIndex[2 * 12 + 5]).toBe(5 * 12 + 2);
    // decay 0: each scan is the identity, the merge is 4·x
    const z = await noLeak(() => F.vmambaMiniature(img, {order: 0, decay: 0}));
    expect(Array.from(z.merged)).toEqual(img.values.map((x) => 4 * x));
  });

  it("codeImage draws what it says", () => {
    const imp = F.codeImage("impulse", 8);
    expect(imp.values.reduce((a, b) => a + b, 0)).toBe(1);
    expect(imp.values[4 * 8 + 4]).toBe(1);
    const ch = F.codeImage("checker", 8);
    expect(ch.values.filter((x) => x === 1).length).toBe(32);
  });

  it("memoryRows, imageCostRows and multimodalCost compute what the open problems print", () => {
    const m = F.memoryRows([2048]);
    expect(m[0].kvBytes).toBe(2 * 2048 * 32 * 2560 * 2);
    expect(m[0].stateBytes).toBe(64 * 2 * 2560 * 20 * 2);
    const im = F.imageCostRows([224]);
    expect(im[0].tokens).toBe(196);
    expect(im[0].attentionEntries).toBe(196 ** 2);
    const mm = F.multimodalCost(1000, 576);
    expect(mm.joint).toBe(1576 ** 2);
    expect(mm.scan).toBe(1576);
  });
});

describe("TimeMachine on the real series", () => {
  // The page's data loader, run as Framework runs it (node, project root as cwd).
  const data = JSON.parse(execFileSync(process.execPath, ["src/data/family.json.js"], {encoding: "utf8", maxBuffer: 1 << 24}));

  it("the data loader ships the Seattle weather (4 channels × 1461 days) and three 25×25 images", () => {
    expect(data.weather.channels).toEqual(["precipitation", "temp_max", "temp_min", "wind"]);
    expect(data.weather.values.map((v: number[]) => v.length)).toEqual([1461, 1461, 1461, 1461]);
    expect(data.weather.values.flat().every(Number.isFinite)).toBe(true);
    for (const name of ["ffox", "gimp", "7zip"]) {
      const img = data.images[name];
      expect([img.H, img.W, img.values.length]).toEqual([25, 25, 625]);
      expect(Math.max(...img.values)).toBeGreaterThan(0.5);
      expect(Math.min(...img.values)).toBeGreaterThanOrEqual(0);
    }
  });

  it("standardize uses the training days' mean and std", () => {
    const w = {dates: ["a", "b", "c", "d"], channels: ["x"], values: [[1, 3, 100, 100]]};
    const {z, mean, std} = F.standardize(w, 2);
    expect(mean[0]).toBe(2);
    expect(std[0]).toBe(1);
    expect(Array.from(z[0])).toEqual([-1, 1, 98, 98]);
  });

  it("timeMachineFeatures + timeMachineFit: finite features, a fit for each horizon, test errors for all three forecasters", async () => {
    const feats = await noLeak(() => F.timeMachineFeatures(data.weather, {lookback: 28, n1: 16, n2: 8, stride: 6}));
    expect(feats.features.length).toBe(feats.starts * 4 * feats.dim);
    expect(finite(feats.features)).toBe(true);
    for (const H of [1, 14]) {
      const fit = F.timeMachineFit(data.weather, feats, H, 3);
      expect(fit.nTrain).toBeGreaterThan(100);
      expect(fit.nTest).toBeGreaterThan(30);
      for (const f of F.FORECASTERS) {
        expect(fit.mse[f.id].perChannel.length).toBe(4);
        expect(Number.isFinite(fit.mse[f.id].all) && fit.mse[f.id].all > 0).toBe(true);
        expect(fit.example.forecast[f.id].every((y) => y.length === H && finite(y))).toBe(true);
      }
      expect(fit.example.history[0].length).toBe(28);
      expect(fit.example.truth[1].length).toBe(H);
      expect(F.timeMachineVerdict(fit)).toMatch(/random-feature read-out/);
    }
    expect(() => F.timeMachineFit(data.weather, feats, 1440)).toThrow(/timeMachineFit: lookback \+ horizon/);
  });

  it("ridgeFit recovers an exact linear map", () => {
    const rows = 50, dim = 2, T = 1;
    const Fm = Float64Array.from({length: rows * dim}, (_, i) => Math.sin(i * 1.7));
    const Y = Float64Array.from({length: rows}, (_, r) => 3 * Fm[r * 2] - 2 * Fm[r * 2 + 1] + 0.5);
    const W = F.ridgeFit(Fm, Array.from({length: rows}, (_, i) => i), dim, Y, T);
    expect(W[0]).toBeCloseTo(3, 1);
    expect(W[1]).toBeCloseTo(-2, 1);
    expect(W[2]).toBeCloseTo(0.5, 1);
    // equal weights change nothing (λ is relative to the diagonal)
    const W2 = F.ridgeFit(Fm, Array.from({length: rows}, (_, i) => i), dim, Y, T, new Array(rows).fill(3));
    for (let i = 0; i < 3; i++) expect(W2[i]).toBeCloseTo(W[i], 10);
  });
});

describe("the PNG decoder of the data loader", () => {
  it("decodePng reads vega-datasets' ffox.png as 100×100 RGBA; grayInk averages it to 25×25", async () => {
    const {decodePng, grayInk} = await import("../../src/data/png.js");
    const png = decodePng(readFileSync("node_modules/vega-datasets/data/ffox.png"));
    expect([png.width, png.height, png.channels]).toEqual([100, 100, 4]);
    const g = grayInk(png, 4);
    expect([g.H, g.W]).toEqual([25, 25]);
    // the corners are transparent: no ink there
    expect(g.values[0]).toBe(0);
    expect(() => decodePng(Buffer.from("not a png"))).toThrow(/not a PNG/);
  });
});
