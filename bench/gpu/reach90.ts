// Time to 90 % held-out accuracy on WebGPU (Node + Dawn), for issue 12's "time to reach 90 %
// accuracy" on a real GPU: run by bench/gpu/all.ts (`… OUTDIR reach90`).
// Each run is the experiment CLI's own setup (src/models/experiments.ts defaults, the same
// held-out set, learning-rate schedule over the default step count, seeded model and data):
// it trains until the held-out accuracy (evaluated every 50 steps here, where the page and the
// CLI evaluate every 100, for a finer reading) first reaches 90 %, or until the default step count, or until the wall budget left for
// the whole benchmark runs out. The wall time includes the evaluations, as a reader's does.
// Numbers, never assertions.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import {defaults, makeModel, makeTask, type TaskName} from "../../src/models/experiments.js";
import {Trainer, heldOutBatches} from "../../src/models/train.js";
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
    const d = defaults(task, model);
    const t = makeTask(task, d.task);
    const m = makeModel(model, t.vocab, d.model, seed, t.length);
    const evalSet = heldOutBatches(t, {seed, batches: d.evalBatches, batch: d.evalBatch});
    const tr = new Trainer(m, t, evalSet, {...d.train, evalEvery: 50, seed, decaySteps: d.train.decaySteps ?? d.steps});
    const t0 = performance.now();
    const curve: {step: number; accuracy: number; seconds: number}[] = [];
    let reached: {step: number; seconds: number} | null = null;
    let stopped = "default steps";
    while (tr.step < d.steps) {
      await tr.trainStep();
      const every = tr.options.evalEvery;
      if ((every > 0 && tr.step % every === 0) || tr.step === d.steps) {
        const ev = await tr.evaluate();
        const seconds = (performance.now() - t0) / 1000;
        curve.push({step: tr.step, accuracy: ev.accuracy, seconds});
        log(`reach90 ${task}:${model} seed ${seed} step ${tr.step}: accuracy ${(100 * ev.accuracy).toFixed(1)} %, ${seconds.toFixed(0)} s`);
        if (ev.accuracy >= target) { reached = {step: tr.step, seconds}; stopped = "reached target"; break; }
      }
      if (left() < 0) { stopped = "budget spent"; break; }
    }
    const seconds = (performance.now() - t0) / 1000;
    rows.push({task, model, seed, batch: tr.options.batch, length: t.length, params: m.params.count(), evalEvery: tr.options.evalEvery,
      target, reachedStep: reached?.step ?? null, reachedSeconds: reached?.seconds ?? null, stepsRun: tr.step, seconds,
      msPerStepIncludingEval: (1000 * seconds) / Math.max(1, tr.step), stopped, curve});
    tr.dispose();
    m.params.dispose();
  }
  return {backend: tf.getBackend(), tfjs: tf.version_core, budgetS, rows, tensorsLeft: tf.memory().numTensors - tensors0};
}
