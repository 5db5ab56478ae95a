// The miniatures of page 7's linear-attention members, whose state decays by a fixed scalar:
// RWKV's WKV (time decay w, bonus 𝗎) and RetNet's retention (decay γ) in its three forms.
import * as tf from "@tensorflow/tfjs";
import {gaussian, retention, retentionChunked, retentionRecurrent, wkv, wkvClosed} from "../../kernels/index.js";
import {maxAbs, maxAbsDiff, range, readAll, smoothSignal} from "./common.js";

// ------------------------------------------------------------------------------ RWKV

export interface RwkvMini {
  t: Float64Array;
  k: Float64Array;
  v: Float64Array;
  /** WKV by the scan (stable recurrence) and by the closed form */
  scan: Float32Array;
  closed: Float32Array;
  maxDiff: number;
  /** the weights the last output gives to each earlier token (they sum to 1) */
  weights: Float64Array;
}

/**
 * RWKV-4's WKV on one channel: values v a smooth signal, keys k seeded N(0, 1); by the site's
 * wkv (the official kernel's stable recurrence as a log-depth scan) and wkvClosed (the weighted
 * sum as a masked softmax). The last token's weights, softmax_s of z_s = −(t−1−s)w + k_s for
 * s < t and 𝗎 + k_t for s = t, are computed here in float64 for the figure.
 */
export async function rwkvMiniature({w, bonus, L = 48, seed = 11}: {w: number; bonus: number; L?: number; seed?: number}): Promise<RwkvMini> {
  const v = smoothSignal(L, seed), g = gaussian(seed + 1);
  const k = Float64Array.from({length: L}, () => g());
  const kk = Array.from(k, (x) => [x]), vv = Array.from(v, (x) => [x]);
  const [scan, closed] = await readAll(tf.tidy(() => [wkv([w], [bonus], kk, vv), wkvClosed([w], [bonus], kk, vv)]));
  const t = L - 1, z = Float64Array.from({length: L}, (_, s) => (s < t ? -(t - 1 - s) * w + k[s] : bonus + k[t]));
  const top = Math.max(...z);
  let sum = 0;
  const weights = z.map((x) => { const e = Math.exp(x - top); sum += e; return e; });
  for (let s = 0; s < L; s++) weights[s] /= sum;
  return {t: range(L), k, v, scan, closed, maxDiff: maxAbsDiff(scan, closed), weights};
}

// ------------------------------------------------------------------------------ RetNet

export interface RetnetMini {
  n: Float64Array;
  /** output feature 1 of the parallel form */
  y0: Float64Array;
  parallel: Float32Array;
  recurrent: Float32Array;
  chunked: Float32Array;
  diffRecurrent: number;
  diffChunked: number;
  maxY: number;
  /** the parallel form's weights (Q Kᵀ ⊙ D) as an (L, L) row-major matrix */
  scores: Float64Array;
  L: number;
  chunks: number;
}

/**
 * Retention on one head (d_k = d_v = 4, q, k, v seeded N(0, 1), q scaled by 1/√d_k) in its
 * three forms: parallel (QKᵀ ⊙ D)V, recurrent S_n = γS_{n−1} + K_nᵀV_n, and chunkwise with the
 * chosen chunk length. The three are the site's kernels; the weights are recomputed here.
 */
export async function retnetMiniature({gamma, chunk, L = 64, dk = 4, dv = 4, seed = 12}: {gamma: number; chunk: number; L?: number; dk?: number; dv?: number; seed?: number}): Promise<RetnetMini> {
  const g = gaussian(seed);
  const table = (cols: number, scale = 1) => [Array.from({length: L}, () => Array.from({length: cols}, () => scale * g()))];
  const q = table(dk, 1 / Math.sqrt(dk)), k = table(dk), v = table(dv);
  const [parallel, recurrent, chunked] = await readAll(tf.tidy(() => [
    retention(q, k, v, [gamma]), retentionRecurrent(q, k, v, [gamma]), retentionChunked(q, k, v, [gamma], {chunk})
  ]));
  const scores = new Float64Array(L * L);
  for (let n = 0; n < L; n++) for (let m = 0; m <= n; m++) {
    let s = 0;
    for (let i = 0; i < dk; i++) s += q[0][n][i] * k[0][m][i];
    scores[n * L + m] = s * gamma ** (n - m);
  }
  const y0 = Float64Array.from({length: L}, (_, n) => parallel[n * dv]);
  return {
    n: range(L), y0, parallel, recurrent, chunked, diffRecurrent: maxAbsDiff(parallel, recurrent), diffChunked: maxAbsDiff(parallel, chunked),
    maxY: maxAbs(parallel), scores, L, chunks: Math.ceil(L / Math.min(chunk, L))
  };
}
