// Writes the shipped models (src/data/models/*.json), so that pages can show a trained result
// before the reader presses Train, and the SUPRA experiment has its pretrained softmax model:
//
//   npm run pretrain -- [TARGET …] [--seed S] [--backend wasm|cpu]
//   TARGET: names-softmax (the pretrained character-level softmax transformer), or
//           TASK:MODEL (one default experiment run, e.g. selective-copying:mamba), or all
//           (default: names-softmax, then every TASK:MODEL of the experiment CLI)
//
// Each file holds the model's config and weights (float16, base64) and, under meta, the
// run's result line and its curves, rounded to 4 significant digits.
import {mkdirSync, writeFileSync} from "node:fs";
import * as tf from "@tensorflow/tfjs";
import {TASKS, defaults, heldOutNames, perplexity, runExperiment, type TaskName} from "../src/models/experiments.js";
import {saveModel} from "../src/models/model.js";
import {loadNames} from "../src/models/namesNode.js";
import {MODELS_DIR, PRETRAINED_NAMES, readPretrainedNames, useNodeBackend} from "../src/models/node.js";
import {namesCorpus, namesTask} from "../src/models/tasks.js";
import {Trainer} from "../src/models/train.js";
import {Transformer} from "../src/models/transformer.js";

/** The pretrained character model of the SUPRA experiment (sizes and schedule). */
export const NAMES_SOFTMAX = {
  model: {dModel: 32, nLayers: 2, nHeads: 4, maxLen: 32, mlpRatio: 4},
  train: {lr: 3e-3, batch: 32, warmup: 50, evalEvery: 100, decaySteps: 600},
  steps: 600
};

const round = (x: number) => Number(x.toPrecision(4));
const roundAll = (o: unknown): unknown => Array.isArray(o) ? o.map(roundAll) : typeof o === "number" ? round(o) : o && typeof o === "object" ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, roundAll(v)])) : o;
const log = (s: string) => process.stderr.write(s + "\n");

async function pretrainNames(seed: number): Promise<void> {
  const t = namesTask(namesCorpus(loadNames()), {length: NAMES_SOFTMAX.model.maxLen});
  const evalSet = heldOutNames(t.heldOutStream, t.length);
  const m = new Transformer({...NAMES_SOFTMAX.model, vocab: t.vocab, attention: "softmax", seed});
  const trainer = new Trainer(m, t, evalSet.slice(0, 2), {...NAMES_SOFTMAX.train, seed});
  const t0 = performance.now();
  log(`names-softmax: ${m.params.count()} parameters, ${NAMES_SOFTMAX.steps} steps`);
  await trainer.run(NAMES_SOFTMAX.steps, {onStep: (p) => { if (p.eval) log(`step ${p.step}: loss ${p.loss.toFixed(4)}, held-out perplexity ${Math.exp(p.eval.loss).toFixed(3)}, ${p.stepsPerSecond.toFixed(1)} steps/s`); }});
  const ppl = await perplexity(m, evalSet);
  const meta = {result: {task: "names", model: "softmax", steps: NAMES_SOFTMAX.steps, seed, perplexity: ppl.perplexity, accuracy: ppl.accuracy, seconds: (performance.now() - t0) / 1000}, curves: trainer.curves};
  // float32: the SUPRA experiment starts from exactly these weights
  writeFileSync(PRETRAINED_NAMES, JSON.stringify(roundAllMeta(await saveModel(m, meta, "f32"))));
  log(`names-softmax: held-out perplexity ${ppl.perplexity.toFixed(3)}; wrote ${PRETRAINED_NAMES}`);
  trainer.dispose();
  m.params.dispose();
}

function roundAllMeta<T extends {meta?: Record<string, unknown>}>(file: T): T {
  return {...file, meta: roundAll(file.meta) as Record<string, unknown>};
}

async function firstPaint(task: TaskName, model: string, seed: number): Promise<void> {
  const pretrained = task === "supra-uptraining" ? readPretrainedNames() : undefined;
  if (task === "supra-uptraining" && !pretrained) throw new Error("pretrain names-softmax first");
  const run = await runExperiment(task, model, {seed, log, names: task === "supra-uptraining" ? loadNames() : undefined, pretrained: pretrained ?? undefined});
  const file = roundAllMeta(await saveModel(run.model, {result: run.result, curves: run.curves, defaults: defaults(task, model)}, "f16"));
  const path = `${MODELS_DIR}${task}-${model}.json`;
  writeFileSync(path, JSON.stringify(file));
  log(`${task}:${model}: ${JSON.stringify(run.result)}\nwrote ${path}`);
  run.model.params.dispose();
}

async function main() {
  const args = process.argv.slice(2);
  const flag = (k: string) => { const i = args.indexOf(`--${k}`); return i >= 0 ? args.splice(i, 2)[1] : undefined; };
  const seed = Number(flag("seed") ?? 0);
  await useNodeBackend(flag("backend") ?? "wasm");
  console.log = (...a: unknown[]) => console.error(...a);
  const all = ["names-softmax", ...Object.entries(TASKS).flatMap(([t, ms]) => ms.map((m) => `${t}:${m}`))];
  const targets = args.length === 0 || args.includes("all") ? all : args;
  mkdirSync(MODELS_DIR, {recursive: true});
  for (const target of targets) {
    if (target === "names-softmax") await pretrainNames(seed);
    else {
      const [task, model] = target.split(":");
      if (!(task in TASKS) || !(TASKS[task as TaskName] as readonly string[]).includes(model)) throw new Error(`unknown target ${target}; targets: ${all.join(", ")}`);
      await firstPaint(task as TaskName, model, seed);
    }
    log(`tensors alive: ${tf.memory().numTensors}`);
  }
}

main().catch((e) => { console.error(e instanceof Error ? e.stack : e); process.exit(1); });
