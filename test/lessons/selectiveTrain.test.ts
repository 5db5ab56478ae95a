import * as tf from "@tensorflow/tfjs";
import {readFileSync} from "node:fs";
import {beforeAll, describe, expect, it} from "vitest";
import {
  DEFAULT_LENGTH, DEFAULT_STEPS, LiveTraining, TRAIN_SETTINGS, checkSettings, curveSeries, expectedTargets, experimentSetup, extrapolate, formatDuration,
  formatTestTokens, parseTestTokens, progressText, runSentence, sampleTestText, shippedRun, smooth, taskOf, testFigure, testView,
  type TrainSettings
} from "../../src/lessons/selectiveTrain.js";
import {useBackend} from "../kernels/helpers.js";

beforeAll(() => useBackend("wasm"));

const tiny: TrainSettings = {...TRAIN_SETTINGS, length: 12, nData: 3, dState: 2, steps: 4, lr: 3e-3};
const ship = (name: string) => JSON.parse(readFileSync(`src/data/models/${name}.json`, "utf8"));

describe("settings", () => {
  it("checkSettings names the setting that cannot be trained", () => {
    expect(checkSettings(TRAIN_SETTINGS)).toBeNull();
    expect(checkSettings({...TRAIN_SETTINGS, nData: 20, length: 32})).toMatch(/tokens to copy must fit twice/);
    expect(checkSettings({...TRAIN_SETTINGS, length: 4})).toMatch(/length must be/);
    expect(checkSettings({...TRAIN_SETTINGS, models: []})).toMatch(/models must be/);
    expect(checkSettings({...TRAIN_SETTINGS, lr: 0})).toMatch(/learning rate/);
    expect(checkSettings({...TRAIN_SETTINGS, dState: 1.5})).toMatch(/state size/);
    expect(() => new LiveTraining({...TRAIN_SETTINGS, steps: 0})).toThrow(/^LiveTraining: the steps/);
  });

  it("experimentSetup puts the page's settings over the CLI's defaults", () => {
    const x = experimentSetup({...TRAIN_SETTINGS, length: 40, nData: 6, dState: 4, lr: 1e-3}, "mamba");
    expect(x.task).toEqual({nData: 6, nColors: 16, lContext: 34});
    expect(x.model).toMatchObject({dModel: 32, nLayers: 2, dState: 4});
    expect(x.lr).toBe(1e-3);
    expect(experimentSetup(TRAIN_SETTINGS, "s4d").model.dState).toBe(16); // 0: the model's default
    const ih = experimentSetup({...TRAIN_SETTINGS, task: "induction-heads", length: 64}, "mamba");
    expect(ih.task).toEqual({nTokens: 15, length: 64});
    expect(taskOf({...TRAIN_SETTINGS, task: "induction-heads", length: 64}).length).toBe(64);
  });
});

describe("LiveTraining", () => {
  it("trains both models one step each per turn, pauses, resumes where it stopped, and frees every tensor on dispose", async () => {
    const before = tf.memory().numTensors;
    const run = new LiveTraining(tiny);
    const seen: number[] = [];
    let stopAt = 2;
    const p = run.train((pr) => { seen.push(pr.runs[0].step); if (pr.runs[0].step === stopAt) void run.pause(); });
    expect(run.isRunning).toBe(true);
    expect(await p).toBe(false); // paused after step 2
    expect(run.step).toBe(2);
    expect(seen).toEqual([1, 2]);
    stopAt = -1;
    const pr: {text?: string} = {};
    expect(await run.train((x) => { pr.text = x.text; })).toBe(true);
    expect(run.step).toBe(4);
    expect(pr.text).toMatch(/^Done: 4 steps in \d+ s of training\.$/);
    const prog = run.progress();
    expect(prog.runs.map((r) => r.model)).toEqual(["s4d", "mamba"]);
    for (const r of prog.runs) {
      expect(r.curves.step).toEqual([1, 2, 3, 4]);
      expect(r.curves.loss.every(Number.isFinite)).toBe(true);
      expect(r.curves.evalStep).toEqual([4]); // the last step is always evaluated
      expect(r.accuracy).toBeGreaterThanOrEqual(0);
    }
    const task = run.task, models = run.models();
    const tokens = parseTestTokens(sampleTestText(task, 3), task).tokens!;
    const v = await testView("mamba", models.mamba, tokens, task);
    expect(v.delta!.length).toBe(tokens.length);
    expect(v.delta!.every((d) => d > 0)).toBe(true); // softplus
    expect(v.scored.length).toBe(3);
    const s = await testView("s4d", models.s4d, tokens, task);
    expect(s.delta).toBeNull();
    const ext = await extrapolate(models.mamba, task, {factors: [1, 2], batch: 4});
    expect(ext.map((e) => e.length)).toEqual([12, 24]);
    await run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => run.train()).toThrow(/reset/);
    expect(prog.runs[0].note).toBe(`seed ${tiny.seed}, trained in this browser`);
  });

  it("the seed picks the weights and the data: another seed, another first loss; the same seed, the same", async () => {
    const first = async (seed: number) => {
      const r = new LiveTraining({...tiny, models: ["mamba"], seed});
      let loss = NaN;
      r.train((pr) => { loss = pr.runs[0].curves.loss[0]; void r.pause(); });
      await r.pause();
      await r.dispose();
      return loss;
    };
    const [a, b, c] = [await first(0), await first(3), await first(0)];
    expect(Number.isFinite(a) && Number.isFinite(b)).toBe(true);
    expect(b).not.toBe(a);
    expect(c).toBe(a);
  }, 60_000);

  it("a few steps of Mamba on selective copying lower the loss", async () => {
    const run = new LiveTraining({...tiny, models: ["mamba"], steps: 30, lr: 1e-2});
    await run.train(() => {}, () => Promise.resolve());
    const loss = run.progress().runs[0].curves.loss;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(loss.slice(-5))).toBeLessThan(mean(loss.slice(0, 5)));
    await run.dispose();
  }, 120_000);
});

describe("shipped runs", () => {
  it("shippedRun reads the settings, curves and result of a first-paint file", () => {
    const before = tf.memory().numTensors;
    const s = shippedRun(ship("selective-copying-mamba"));
    expect(s.settings).toMatchObject({task: "selective-copying", models: ["mamba"], length: 64, nData: 4, steps: 1600, seed: 0});
    expect(s.settings.length).toBe(DEFAULT_LENGTH["selective-copying"]); // the page's default length shows it
    expect(s.settings.steps).toBe(DEFAULT_STEPS["selective-copying"]); // and its default steps
    expect(s.run.accuracy).toBe(1);
    expect(s.run.curves.step.length).toBe(1600);
    expect(s.run.source).toBe("shipped");
    expect(runSentence(s.run, "selective-copying")).toMatch(/^Mamba \(selective\): 100\.0 % held-out accuracy .* after 1600 steps; 18,016 parameters/);
    s.model.params.dispose();
    const ih = shippedRun(ship("induction-heads-mamba"));
    expect(ih.settings.length).toBe(32);
    expect(DEFAULT_LENGTH["induction-heads"]).toBe(32);
    expect(ih.extrapolation!["512"]).toBeCloseTo(0.5156, 3);
    ih.model.params.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => shippedRun({format: "ssm-live-params/1", meta: {}} as never)).toThrow(/^shippedRun: file must carry/);
  });
});

describe("the test strip", () => {
  const sc = taskOf(TRAIN_SETTINGS);
  const ih = taskOf({...TRAIN_SETTINGS, task: "induction-heads"});

  it("parseTestTokens reads the task's token names and refuses others by name; formatTestTokens writes them back", () => {
    const p = parseTestTokens("· 3 · 5 ? ?", sc);
    expect(Array.from(p.tokens!)).toEqual([0, 3, 0, 5, 17, 17]);
    expect(formatTestTokens(p.tokens!, sc)).toBe("· 3 · 5 ? ?");
    expect(parseTestTokens("· 3 x 5 ? ?", sc).error).toMatch(/^"x" is not a token of this task/);
    expect(parseTestTokens("3 ?", sc).error).toMatch(/at least 4/);
    expect(parseTestTokens(Array(300).fill("·").join(" "), sc).error).toMatch(/at most 256/);
    expect(sampleTestText(sc, 5)).toBe(sampleTestText(sc, 5));
    expect(sampleTestText(sc, 5).split(" ").length).toBe(64);
  });

  it("expectedTargets: the k-th marker wants the k-th colour; induction heads want the token after the first S", () => {
    expect(expectedTargets(parseTestTokens("· 3 · 5 ? ? ?", sc).tokens!, sc)).toEqual([{position: 4, target: 3}, {position: 5, target: 5}, {position: 6, target: -1}]);
    expect(expectedTargets(parseTestTokens("a S c d e S", ih).tokens!, ih)).toEqual([{position: 5, target: 2}]);
    expect(expectedTargets(parseTestTokens("a S c d e f", ih).tokens!, ih)).toEqual([]);
  });

  it("testFigure marks the scored positions, prints each prediction and colours the wrong ones", () => {
    const tokens = parseTestTokens("· 3 · 5 ? ?", sc).tokens!;
    const view = {model: "mamba", predicted: Int32Array.from([0, 0, 0, 0, 3, 4]), confidence: new Float64Array(6), delta: Float64Array.from([1, 2, 3, 4, 5, 6]), scored: [], accuracy: 0.5};
    const f = testFigure(tokens, sc, [view]);
    expect(f.tokens.map((t) => t.marked)).toEqual([false, false, false, false, true, true]);
    expect(f.tokens[4].sub).toBe("→ 3");
    expect(f.tokens[0].muted).toBe(true);
    expect(f.rows.length).toBe(2);
    expect(f.rows[0].domain).toEqual([0, 6]);
    expect(testFigure(tokens, sc, [{...view, delta: new Float64Array(6).fill(0.02)}]).rows[0].domain).toEqual([0, 0.1]);
    expect(f.rows[1].labels).toEqual(["", "", "", "", "3", "4"]);
    expect(Array.from(f.rows[1].values)).toEqual([0, 0, 0, 0, 1, 0.3]);
    expect(f.rows[1].colors![5]).toBe("#e15759");
  });
});

describe("deltaAfterKept", () => {
  it("averages Δ at each offset after the kept tokens and over the rest", async () => {
    const {deltaAfterKept} = await import("../../src/lessons/selectiveTrain.js");
    const sc = taskOf({...TRAIN_SETTINGS, task: "selective-copying", length: 8, nData: 2});
    // colours at 1 and 3; windows (maxOffset 1): 1, 2 and 3, 4; the rest: 0, 5, 6, 7
    const tokens = parseTestTokens("· 3 · 5 · · ? ?", sc).tokens!;
    const r = deltaAfterKept(tokens, [1, 2, 4, 6, 8, 10, 12, 14], sc, 1);
    expect(r.kept).toBe("colour");
    expect(r.offsets).toEqual([{offset: 0, mean: 4, count: 2}, {offset: 1, mean: 6, count: 2}]);
    expect(r.elsewhere).toEqual({mean: (1 + 10 + 12 + 14) / 4, count: 4});
    const ih = taskOf({...TRAIN_SETTINGS, task: "induction-heads", length: 6});
    const t2 = parseTestTokens("a S b c S", ih).tokens!;
    const r2 = deltaAfterKept(t2, [0, 1, 5, 7, 2], ih, 1);
    expect(r2.offsets).toEqual([{offset: 0, mean: 5, count: 1}, {offset: 1, mean: 7, count: 1}]);
    expect(r2.elsewhere).toEqual({mean: 1, count: 3});
    // a window cut by the end of the sequence, and no kept token at all
    expect(deltaAfterKept(Int32Array.of(0, 0, 4), [0, 0, 3], sc, 2).offsets.map((o) => o.count)).toEqual([1, 0, 0]);
    expect(Number.isNaN(deltaAfterKept(Int32Array.of(0, 0, 0), [1, 1, 1], sc).offsets[0].mean)).toBe(true);
  });
});

describe("deltaByKind", () => {
  it("averages Δ over colours, noise and markers (selective copying) or S, the token after S and the rest", async () => {
    const {deltaByKind} = await import("../../src/lessons/selectiveTrain.js");
    const sc = taskOf(TRAIN_SETTINGS), ih = taskOf({...TRAIN_SETTINGS, task: "induction-heads"});
    expect(deltaByKind(parseTestTokens("· 3 · 5 ? ?", sc).tokens!, [1, 4, 3, 6, 0.5, 0.5], sc)).toEqual([
      {kind: "noise", mean: 2, count: 2}, {kind: "colours", mean: 5, count: 2}, {kind: "markers", mean: 0.5, count: 2}]);
    expect(deltaByKind(parseTestTokens("a S c d S", ih).tokens!, [1, 2, 3, 5, 4], ih)).toEqual([
      {kind: "other tokens", mean: 3, count: 2}, {kind: "S", mean: 3, count: 2}, {kind: "the token after the first S", mean: 3, count: 1}]);
  });
});

describe("figures and text", () => {
  it("smooth is a running mean, thinned for long curves; curveSeries gives percent accuracies", () => {
    expect(smooth([1, 2, 3, 4], [4, 2, 0, 2], 2)).toEqual({x: [1, 2, 3, 4], y: [4, 3, 1, 1]});
    expect(smooth(Array.from({length: 1200}, (_, i) => i), new Array(1200).fill(1)).x.length).toBeLessThanOrEqual(601);
    const run = {model: "s4d" as const, params: 1, stateSize: 1, step: 2, steps: 2, accuracy: 0.5, source: "live" as const, note: "",
      curves: {step: [1, 2], loss: [2, 1], evalStep: [2], evalLoss: [1], evalAccuracy: [0.5]}};
    const c = curveSeries([run]);
    expect(c.accuracy[0].y).toEqual([50]);
    expect(c.loss[0].name).toBe("S4D (LTI): training loss");
    expect(runSentence({...run, step: 7}, "induction-heads")).toMatch(/^S4D \(LTI\): 50\.0 % held-out accuracy \(of the final predictions right\) at step 2 \(now at step 7\);/);
  });

  it("progressText and formatDuration", () => {
    expect(progressText(120, 1200, 4.12, 263, false)).toBe("Step 120 of 1200 · 4.1 steps/s · about 4 min 23 s left.");
    expect(progressText(0, 10, 0, NaN, false)).toBe("Step 0 of 10.");
    expect(progressText(3, 1600, 0.041, 38960, false)).toBe("Step 3 of 1600 · 24 s per step · about 10 h 49 min left.");
    expect(progressText(13, 1600, 0.4, 3967, false)).toBe("Step 13 of 1600 · 2.5 s per step · about 1 h 6 min left.");
    expect(progressText(1600, 1600, 8, 0, true, 192.4)).toBe("Done: 1600 steps in 3 min 12 s of training.");
    expect(progressText(1600, 1600, 8, 0, true)).toBe("Done: 1600 steps.");
    expect(formatDuration(0.2)).toBe("1 s");
    expect(formatDuration(7300)).toBe("2 h 1 min");
  });
});

describe("frameYield", () => {
  it("resolves without animation frames (Node, a hidden tab)", async () => {
    const {frameYield} = await import("../../src/lessons/selectiveTrain.js");
    await expect(frameYield()).resolves.toBeUndefined();
  });
});

describe("editing the test strip", () => {
  it("cycleToken moves a content token to the next and leaves markers, S and bad indices alone; '.' types noise", async () => {
    const {cycleToken} = await import("../../src/lessons/selectiveTrain.js");
    const sc = taskOf(TRAIN_SETTINGS), ih = taskOf({...TRAIN_SETTINGS, task: "induction-heads"});
    expect(cycleToken("· 3 8 ? ?", 0, sc)).toBe("1 3 8 ? ?");
    expect(cycleToken("· 3 8 ? ?", 2, sc)).toBe("· 3 9 ? ?");
    expect(cycleToken("· 3 16 ? ?", 2, sc)).toBe("· 3 · ? ?");
    expect(cycleToken("· 3 8 ? ?", 3, sc)).toBe("· 3 8 ? ?");
    expect(cycleToken("· 3 8 ? ?", 9, sc)).toBe("· 3 8 ? ?");
    expect(cycleToken(". 3 8 ? ?", 1, sc)).toBe("· 4 8 ? ?");
    expect(cycleToken("a S o d S", 2, ih)).toBe("a S a d S");
    expect(cycleToken("a S o d S", 1, ih)).toBe("a S o d S");
  });
});

describe("TrainingSession", () => {
  it("shows the matching shipped runs until Train, then the live run; reset brings the shipped ones back", async () => {
    const {TrainingSession, shippedMatches} = await import("../../src/lessons/selectiveTrain.js");
    const before = tf.memory().numTensors;
    const shipped = [shippedRun(ship("selective-copying-s4d")), shippedRun(ship("selective-copying-mamba"))];
    expect(shippedMatches(shipped[1], TRAIN_SETTINGS)).toBe(true);
    expect(shippedMatches(shipped[1], {...TRAIN_SETTINGS, dState: 4})).toBe(false);
    const s = new TrainingSession(TRAIN_SETTINGS, shipped);
    expect(s.status).toBe("shipped");
    expect(s.runs().map((r) => r.source)).toEqual(["shipped", "shipped"]);
    expect(new TrainingSession({...TRAIN_SETTINGS, length: 24}, shipped).status).toBe("empty");
    expect(new TrainingSession({...TRAIN_SETTINGS, task: "induction-heads"}, shipped).missing()).toEqual(["s4d", "mamba"]);
    expect(s.missing()).toEqual([]);
    const bad = new TrainingSession({...TRAIN_SETTINGS, nData: 40}, shipped);
    expect(bad.why).toMatch(/tokens to copy/);
    expect(() => bad.train(() => {})).toThrow(/^TrainingSession.train: the tokens to copy/);
    const t = new TrainingSession({...tiny, models: ["s4d"]}, shipped);
    expect(t.status).toBe("empty");
    expect(await t.train(() => {})).toBe(true);
    expect(t.status).toBe("done");
    expect(t.runs()[0].source).toBe("live");
    await t.reset();
    expect(t.status).toBe("empty");
    shipped.forEach((x) => x.model.params.dispose());
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
