// Time to 90 % held-out accuracy on WebGPU (Node + Dawn), for issue 12's "time to reach 90 %
// accuracy" on a real GPU: run by bench/gpu/all.ts (`… OUTDIR reach90`).
// Each run is the experiment CLI's own code (runExperiment: the defaults, the same held-out
// set, the learning-rate schedule over the default step count, seeded model and data) with the
// held-out accuracy evaluated every 50 steps (the page and the CLI evaluate every 100; this gives
// a finer reading) and a stopWhen that ends it at the first accuracy ≥ 90 %, or when the wall
// budget left for the whole benchmark runs out; else it runs the default step count. The wall
// time includes the evaluations, as a reader's does. Numbers, never assertions.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import {runExperiment, type TaskName} from "../../src/models/experiments.js";
import {installWebGPUAddN} from "../../src/kernels/index.js";

export interface Reach90Options {
  runs?: {task: TaskName; model: string; seed: number}[];
  /** wall-clock budget for all runs together, seconds */
  budgetS?: number;
  target?: number;
  log?: (line: string) => void;
}

const DEFAULT_RUNS: Reach90Options["runs"] = [
  {task: "selective-copying", model: "mamba", seed: 0},
  {task: "selective-copying", model: "mamba", seed: 2},
  {task: "selective-copying", model: "s4d", seed: 0}
];

const EVAL_EVERY = 50;

export async function benchReach90({runs = DEFAULT_RUNS, budgetS = 430, target = 0.9, log = () => {}}: Reach90Options = {}): Promise<Record<string, unknown>> {
  await tf.setBackend("webgpu");
  await tf.ready();
  installWebGPUAddN();
  if (tf.getBackend() !== "webgpu") throw new Error(`webgpu backend unavailable (active: ${tf.getBackend()})`);
  const start = performance.now();
  const left = () => budgetS - (performance.now() - start) / 1000;
  const tensors0 = tf.memory().numTensors;
  const rows: Record<string, unknown>[] = [];
  for (const {task, model, seed} of runs!) {
    if (left() < 10) { log(`reach90 ${task}:${model} seed ${seed}: skipped (budget spent)`); continue; }
    const curve: {step: number; accuracy: number; seconds: number}[] = [];
    let reached = null as {step: number; seconds: number} | null;
    let stopped = "default steps";
    const run = await runExperiment(task, model, {
      seed, set: {evalEvery: EVAL_EVERY},
      stopWhen: ({step, accuracy, seconds}) => {
        curve.push({step, accuracy, seconds});
        log(`reach90 ${task}:${model} seed ${seed} step ${step}: accuracy ${(100 * accuracy).toFixed(1)} %, ${seconds.toFixed(0)} s`);
        if (accuracy >= target) { reached = {step, seconds}; stopped = "reached target"; return true; }
        if (left() < 0) { stopped = "budget spent"; return true; }
        return false;
      }
    });
    const {result} = run;
    rows.push({task, model, seed, params: result.params, evalEvery: EVAL_EVERY,
      target, reachedStep: reached?.step ?? null, reachedSeconds: reached?.seconds ?? null,
      stepsRun: result.steps, seconds: result.seconds, msPerStepIncludingEval: (1000 * result.seconds) / Math.max(1, result.steps),
      finalAccuracy: result.accuracy, stopped, curve});
    run.model.params.dispose();
  }
  return {backend: tf.getBackend(), tfjs: tf.version_core, budgetS, rows, tensorsLeft: tf.memory().numTensors - tensors0};
}
