// Mamba's Δ_t by kind of token in a shipped run: the numbers /selective's test-strip paragraph
// quotes. Reads src/data/models/selective-copying-mamba.json, runs the first held-out batch of
// the run's task (64 sequences, the seed of the run), and prints, per kind of token (colours,
// noise, markers), the mean over tokens of the first layer's Δ_t averaged over its channels,
// with the same code as the page's readout (testView, deltaByKind); and the mean Δ_t at offsets
// 0 … 3 after each colour and everywhere else (deltaAfterKept).
//   node --import tsx scripts/delta-by-kind.ts [FILE]
import {readFileSync} from "node:fs";
import * as tf from "@tensorflow/tfjs";
import {deltaAfterKept, deltaByKind, shippedRun, taskOf, testView} from "../src/lessons/selectiveTrain.js";
import {heldOutBatches} from "../src/models/train.js";
import {MODELS_DIR, useNodeBackend} from "../src/models/node.js";

const file = process.argv[2] ?? `${MODELS_DIR}selective-copying-mamba.json`;
await useNodeBackend("wasm");
const shipped = shippedRun(JSON.parse(readFileSync(file, "utf8")));
const task = taskOf(shipped.settings);
const [batch] = heldOutBatches(task, {seed: shipped.settings.seed, batches: 1, batch: 64});
const sums = new Map<string, {sum: number; count: number}>();
const after = new Map<string, {sum: number; count: number}>();
const add = (m: Map<string, {sum: number; count: number}>, k: string, mean: number, count: number) => {
  if (!count) return;
  const a = m.get(k) ?? {sum: 0, count: 0};
  a.sum += mean * count;
  a.count += count;
  m.set(k, a);
};
for (let i = 0; i < batch.b; i++) {
  const tokens = batch.inputs.slice(i * batch.l, (i + 1) * batch.l);
  const view = await testView("mamba", shipped.model, tokens, task);
  if (!view.delta) throw new Error("the model gave no Δ trace");
  for (const {kind, mean, count} of deltaByKind(tokens, view.delta, task)) add(sums, kind, mean, count);
  const k = deltaAfterKept(tokens, view.delta, task);
  for (const o of k.offsets) add(after, `+${o.offset}`, o.mean, o.count);
  add(after, "elsewhere", k.elsewhere.mean, k.elsewhere.count);
}
shipped.model.params.dispose();
const means = (m: Map<string, {sum: number; count: number}>) => Object.fromEntries([...m].map(([k, a]) => [k, Number((a.sum / a.count).toPrecision(3))]));
const out = means(sums), afterColour = means(after);
process.stdout.write(JSON.stringify({file: file.split("/").pop(), seed: shipped.settings.seed, accuracy: shipped.run.accuracy, sequences: batch.b, meanDelta: out, meanDeltaAfterColour: afterColour, numTensors: tf.memory().numTensors}) + "\n");
