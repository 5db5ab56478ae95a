// The experiment CLI end to end on tiny runs: the last stdout line is the JSON result.
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {PRETRAINED_NAMES} from "../../src/models/node.js";

const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/experiment.ts", ...args], {encoding: "utf8", timeout: 120_000});
const lastLine = (s: string) => s.trim().split("\n").at(-1)!;

// Each case starts Node with tsx and tfjs (a few seconds on a quiet machine, more when it is busy).
describe("npm run experiment", {timeout: 180_000}, () => {
  it("prints progress on stderr and, as its last stdout line, the JSON result of a --steps 2 run", () => {
    const r = run("induction-heads", "--model", "mamba", "--steps", "2", "--seed", "3", "--length", "16", "--evalBatches", "1", "--evalBatch", "8");
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(lastLine(r.stdout));
    expect(out).toMatchObject({task: "induction-heads", model: "mamba", steps: 2, seed: 3, backend: "wasm"});
    for (const k of ["accuracy", "loss", "seconds"]) expect(typeof out[k]).toBe("number");
    expect(Object.keys(out.extrapolation)).toEqual(["16", "32", "64", "128", "256"]);
    expect(r.stderr).toMatch(/induction-heads \/ mamba: \d+ parameters, 2 steps/);
  });

  it.runIf(existsSync(PRETRAINED_NAMES))("supra-uptraining --steps 2 reports the four perplexities", () => {
    const r = run("supra-uptraining", "--model", "supra", "--steps", "2", "--evalEvery", "0");
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(lastLine(r.stdout));
    expect(out).toMatchObject({task: "supra-uptraining", model: "supra", steps: 2});
    for (const k of ["pretrainedPerplexity", "swappedPerplexity", "uptrainedPerplexity", "scratchPerplexity"]) expect(out[k]).toBeGreaterThan(1);
  });

  it("--until-accuracy stops at the first evaluation that reaches it and says when; a bad value is refused", () => {
    const r = run("selective-copying", "--model", "s4d", "--steps", "6", "--evalEvery", "2", "--until-accuracy", "0", "--lContext", "20", "--batch", "4", "--evalBatches", "1", "--evalBatch", "4");
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(lastLine(r.stdout));
    expect(out).toMatchObject({task: "selective-copying", model: "s4d", steps: 2, stoppedEarly: true, untilAccuracy: 0, reachedAt: {step: 2}});
    expect(out.reachedAt.seconds).toBeGreaterThan(0);
    const bad = run("selective-copying", "--model", "s4d", "--until-accuracy", "1.5");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--until-accuracy must be a number from 0 to 1, got 1\.5/);
  });

  it("refuses an unknown model for a task with the usage and exit code 1, and missing arguments with 2", () => {
    const bad = run("selective-copying", "--model", "softmax", "--steps", "1");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/task selective-copying takes --model s4d \| mamba, got "softmax"/);
    const none = run();
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/usage: npm run experiment -- TASK --model M/);
    expect(none.stdout).toBe("");
  });
});
