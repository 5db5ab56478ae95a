// Training speed of the experiment CLI's default models on WebGPU (Node + Dawn), for issue 12's
// "steps per second per backend" on a real GPU: run by bench/gpu/all.ts (`… OUTDIR train`).
// For each (task, model) with the CLI's defaults (src/models/experiments.ts): build the model
// and task, two warm-up steps (shader compilation), then `steps` timed optimizer steps, each
// ending with `await loss.data()` (the Trainer's own read; no synchronous readback anywhere:
// on webgpu the selective scan's "auto" path is the composite, differentiable form).
// Reports the median and mean wall ms per step and steps/s; numbers, never assertions.
// SUPRA's uptraining is left out: its names corpus is read from node_modules, which the GPU
// machine does not have.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import {TASKS, defaults, makeModel, makeTask, type TaskName} from "../../src/models/experiments.js";
import {Trainer} from "../../src/models/train.js";
import {installWebGPUAddN} from "../../src/kernels/index.js";

export interface TrainBenchOptions { steps?: number; only?: string[]; log?: (line: string) => void }

export async function benchTrain({steps = 20, only, log = () => {}}: TrainBenchOptions = {}): Promise<Record<string, unknown>> {
  await tf.setBackend("webgpu");
  await tf.ready();
  installWebGPUAddN();
  if (tf.getBackend() !== "webgpu") throw new Error(`webgpu backend unavailable (active: ${tf.getBackend()})`);
  const rows: Record<string, unknown>[] = [];
  const tensors0 = tf.memory().numTensors;
  for (const [task, models] of Object.entries(TASKS) as [TaskName, readonly string[]][]) {
    if (task === "supra-uptraining") continue;
    for (const model of models) {
      const name = `${task}:${model}`;
      if (only && !only.includes(name)) continue;
      const d = defaults(task, model);
      const t = makeTask(task, d.task);
      const m = makeModel(model, t.vocab, d.model, 0, t.length);
      const tr = new Trainer(m, t, [], {...d.train, evalEvery: 0});
      const w0 = performance.now();
      const firstLoss = await tr.trainStep();
      const firstMs = performance.now() - w0;
      await tr.trainStep();
      const wall: number[] = [];
      let loss = firstLoss;
      for (let i = 0; i < steps; i++) {
        const t0 = performance.now();
        loss = await tr.trainStep();
        wall.push(performance.now() - t0);
      }
      const sorted = [...wall].sort((a, b) => a - b), ms = sorted[Math.floor(sorted.length / 2)];
      const mean = wall.reduce((a, b) => a + b, 0) / wall.length;
      const row = {task, model, batch: tr.options.batch, length: t.length, params: m.params.count(), firstStepMs: firstMs, msPerStep: ms, meanMsPerStep: mean, stepsPerSecond: 1000 / ms, defaultSteps: d.steps, secondsForDefaultSteps: (d.steps * ms) / 1000, firstLoss, lastLoss: loss};
      rows.push(row);
      log(`train ${name.padEnd(30)} ${ms.toFixed(1)} ms/step (first ${firstMs.toFixed(0)} ms), ${(1000 / ms).toFixed(1)} steps/s, loss ${firstLoss.toFixed(3)} → ${loss.toFixed(3)}`);
      tr.dispose();
      m.params.dispose();
    }
  }
  return {backend: tf.getBackend(), tfjs: tf.version_core, steps, rows, tensorsLeft: tf.memory().numTensors - tensors0};
}
