// Training speed of the default models: `npm run bench:train [-- --steps N] [--only=cpu]`.
// For every (task, model) of the experiment CLI and every Node backend (cpu, wasm): the
// median wall time and the process CPU time of one training step (batch and sizes as the
// CLI's defaults), steps per second, and the time to 90 % held-out accuracy where the shipped
// first-paint run (src/data/models/TASK-MODEL.json, made by npm run pretrain) got there,
// scaled by this machine's measured step time. Prints a table on stderr and writes
// bench/results/train-latest.json. Numbers, never assertions.
import * as tf from "@tensorflow/tfjs";
import {existsSync, mkdirSync, writeFileSync} from "node:fs";
import {cpus} from "node:os";
import {TASKS, defaults, makeModel, makeTask, type TaskName} from "../src/models/experiments.js";
import {loadNames} from "../src/models/namesNode.js";
import {MODELS_DIR, readModelFile, useNodeBackend} from "../src/models/node.js";
import {Trainer} from "../src/models/train.js";

const args = process.argv.slice(2);
const steps = Number(args.find((a) => a.startsWith("--steps="))?.slice(8) ?? 10);
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const backends = ["wasm", "cpu"].filter((b) => !only || only.includes(b));
const rows: Record<string, unknown>[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const backend of backends) {
  await useNodeBackend(backend);
  for (const [task, models] of Object.entries(TASKS) as [TaskName, readonly string[]][]) {
    for (const model of models) {
      const d = defaults(task, model);
      const isSupra = task === "supra-uptraining";
      const t = makeTask(task, d.task, isSupra ? loadNames() : undefined);
      const m = isSupra
        ? makeModel("linear", t.vocab, {dModel: 32, nLayers: 2, nHeads: 4, featureMap: "supra", decay: "retnet", normalize: "groupnorm", featureDim: Number(d.model.featureDim)}, 0, t.length)
        : makeModel(model, t.vocab, d.model, 0, t.length);
      const tr = new Trainer(m, t, [], {...d.train, evalEvery: 0});
      for (let i = 0; i < 2; i++) await tr.trainStep();
      const wall: number[] = [];
      const c0 = process.cpuUsage();
      for (let i = 0; i < steps; i++) {
        const t0 = performance.now();
        await tr.trainStep();
        wall.push(performance.now() - t0);
      }
      const cu = process.cpuUsage(c0);
      const ms = median(wall), cpuMs = (cu.user + cu.system) / 1000 / steps;
      let to90: number | null = null, to90Step: number | null = null;
      const file = `${MODELS_DIR}${task}-${model}.json`;
      if (existsSync(file)) {
        const meta = readModelFile(file).meta as {curves?: {evalStep: number[]; evalAccuracy: number[]}};
        const i = meta?.curves?.evalAccuracy.findIndex((a) => a >= 0.9) ?? -1;
        if (i >= 0 && meta.curves) { to90Step = meta.curves.evalStep[i]; to90 = (to90Step * ms) / 1000; }
      }
      const row = {task, model, backend, batch: tr.options.batch, length: t.length, params: m.params.count(), msPerStep: ms, cpuMsPerStep: cpuMs, stepsPerSecond: 1000 / ms, defaultSteps: d.steps, secondsForDefaultSteps: (d.steps * ms) / 1000, stepsTo90: to90Step, secondsTo90: to90};
      rows.push(row);
      process.stderr.write(`${backend.padEnd(5)} ${`${task}:${model}`.padEnd(30)} ${ms.toFixed(1).padStart(7)} ms/step (cpu ${cpuMs.toFixed(1)} ms)  ${(1000 / ms).toFixed(1).padStart(5)} steps/s  ${d.steps} steps ≈ ${((d.steps * ms) / 1000).toFixed(0)} s  90 %: ${to90Step == null ? "—" : `step ${to90Step} ≈ ${to90!.toFixed(0)} s`}\n`);
      tr.dispose();
      m.params.dispose();
    }
  }
}
mkdirSync("bench/results", {recursive: true});
writeFileSync("bench/results/train-latest.json", JSON.stringify({when: new Date().toISOString(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, tfjs: tf.version.tfjs, steps, rows}, null, 1));
process.stderr.write("wrote bench/results/train-latest.json\n");
