import * as tf from "@tensorflow/tfjs";
import {readFileSync} from "node:fs";
import * as F from "/work/wt/pagefamily/src/lessons/family.js";
await tf.setBackend(process.argv[2] ?? "cpu");
const data = JSON.parse(readFileSync("/tmp/family.json", "utf8"));
for (const o of [{n1: 32, n2: 16, expand: 2}]) {
  const t0 = performance.now();
  const feats = await F.timeMachineFeatures(data.weather, {lookback: 96, ...o});
  const t1 = performance.now();
  const fit = F.timeMachineFit(data.weather, feats, 7);
  console.log(JSON.stringify(o), (t1 - t0).toFixed(0), "ms features,", (performance.now() - t1).toFixed(0), "ms fit", fit.mse.timemachine.all.toFixed(3), fit.mse.linear.all.toFixed(3));
}
