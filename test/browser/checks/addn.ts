// tfjs-backend-webgpu's AddN past the storage-buffer limit (src/kernels/webgpuAddN.ts): sums of
// 8, 9, 20 and 50 tensors (the trainer's global gradient norm sums one term per variable with
// tf.addN: 14–19 of them for the default models) against plain JS.
import * as tf from "@tensorflow/tfjs";
import {checks, uniform} from "./registry.js";

for (const [n, shape] of [[8, [33]], [9, [3, 11]], [20, [33]], [50, [2, 3, 5]]] as const) {
  const size = shape.reduce((a, b) => a * b, 1);
  const xs = Array.from({length: n}, (_, i) => uniform(size, 700 + 13 * n + i));
  checks.set(`addN of ${n} tensors of shape (${shape.join(", ")}) equals their sum`, () => {
    const expected = new Float32Array(size);
    for (const x of xs) for (let j = 0; j < size; j++) expected[j] += x[j];
    return {actual: tf.addN(xs.map((x) => tf.tensor(x, [...shape]))), expected};
  });
}
