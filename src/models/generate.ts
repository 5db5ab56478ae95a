// Sampling from a character-level model (the SUPRA demo shows names drawn from each model):
// feed the text so far, take the distribution of the next character, draw from it with a
// temperature, stop at the separator ".". Seeded, so a page shows the same samples for a seed.
import * as tf from "@tensorflow/tfjs";
import {mulberry32} from "../kernels/index.js";
import type {SequenceModel} from "./model.js";

export interface SampleOptions {
  /** number of names */
  count?: number;
  /** longest name in characters */
  maxChars?: number;
  /** softmax temperature (1: the model's own distribution; → 0: greedy) */
  temperature?: number;
  seed?: number;
  /** the model's context length (a transformer's maxLen): older characters are dropped */
  context?: number;
}

/** Draws names from a model over `chars` (id 0 = "." the separator). Reads logits back asynchronously. */
export async function sampleNames(model: SequenceModel, chars: string[], {count = 8, maxChars = 16, temperature = 1, seed = 0, context = 32}: SampleOptions = {}): Promise<string[]> {
  const rand = mulberry32(seed);
  const seqs: number[][] = Array.from({length: count}, () => [0]);
  const done = new Array(count).fill(false);
  for (let step = 0; step < maxChars + 1 && done.includes(false); step++) {
    const l = Math.min(context, seqs[0].length);
    const probs = tf.tidy(() => {
      const tokens = tf.tensor2d(seqs.flatMap((s) => s.slice(-l)), [count, l], "int32");
      const logits = tf.squeeze(tf.slice(model.logits(tokens), [0, l - 1, 0], [count, 1, chars.length]), [1]); // (count, V)
      return tf.softmax(tf.div(logits, Math.max(temperature, 1e-3)), -1);
    });
    const p = (await probs.data()) as Float32Array;
    probs.dispose();
    for (let i = 0; i < count; i++) {
      let next = 0;
      if (!done[i]) {
        let u = rand(), acc = 0;
        next = chars.length - 1;
        for (let c = 0; c < chars.length; c++) {
          acc += p[i * chars.length + c];
          if (u < acc) { next = c; break; }
        }
      }
      seqs[i].push(next);
      if (next === 0 || seqs[i].length > maxChars) done[i] = true; // body (after the first ".") has maxChars characters

    }
  }
  return seqs.map((s) => {
    const body = s.slice(1);
    const end = body.indexOf(0);
    return (end < 0 ? body : body.slice(0, end)).map((c) => chars[c]).join("");
  });
}
