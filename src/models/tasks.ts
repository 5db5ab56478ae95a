// The synthetic tasks, as seeded generators of token batches with their targets.
//
// A Batch holds b sequences of length l, flat row-major: inputs (tokens fed to the model),
// targets (the token it should predict at each position) and weights (1 where the task scores
// the prediction, 0 elsewhere). Loss and accuracy count only positions with weight 1.
//
//   selective-copying   Gu & Dao (2023), §4.1 and Fig. 2: nData coloured tokens scattered at
//                       random positions among noise tokens; after them nData "recall" markers,
//                       at which the model must output the coloured tokens in their order.
//   induction-heads     Gu & Dao (2023), §4.1 (after Olsson et al. 2022): random tokens, a
//                       special token S somewhere followed by some token X; the sequence ends
//                       with S again and the model must predict X.
//   associative-recall  multi-query associative recall (MQAR) of Zoology (Arora et al. 2023):
//                       P key-value pairs, then every key again in random order, each followed by
//                       its value; at each repeated key the model must predict that key's value.
//   names               character-level text: first names joined by "." into one stream, cut
//                       into windows; every position predicts the next character.
import {mulberry32} from "../kernels/index.js";

export interface Batch {
  b: number;
  l: number;
  /** (b, l) input tokens */
  inputs: Int32Array;
  /** (b, l) target tokens */
  targets: Int32Array;
  /** (b, l) 1 where the prediction counts */
  weights: Float32Array;
}

export interface Task {
  name: string;
  vocab: number;
  /** the training length */
  length: number;
  /** b sequences drawn from `rand` (a [0, 1) generator), of length `l` (default the training length) */
  sample(rand: () => number, b: number, l?: number): Batch;
  /** a readable name for each token id */
  tokenNames: string[];
}

export function emptyBatch(b: number, l: number): Batch {
  return {b, l, inputs: new Int32Array(b * l), targets: new Int32Array(b * l), weights: new Float32Array(b * l)};
}

/** An integer in [0, n). */
export function randInt(rand: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(rand() * n));
}

/** k distinct integers from [0, n), in increasing order (Floyd's algorithm, then sorted). */
export function sampleDistinct(rand: () => number, n: number, k: number): number[] {
  if (k > n) throw new Error(`sampleDistinct: cannot take ${k} distinct values from ${n}`);
  const s = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = randInt(rand, j + 1);
    s.add(s.has(t) ? j : t);
  }
  return [...s].sort((a, b) => a - b);
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T>(rand: () => number, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randInt(rand, i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

// ---- selective copying

export interface SelectiveCopyingOptions {
  /** coloured tokens to remember (the paper: 16) */
  nData: number;
  /** distinct colours (the paper: vocabulary 16) */
  nColors: number;
  /** positions the coloured tokens are scattered over, before the markers (the paper: 4096) */
  lContext: number;
}

/**
 * Token ids: 0 noise, 1 … nColors colours, nColors + 1 the recall marker. Length
 * lContext + nData; the last nData positions are markers whose targets are the colours in order.
 */
export function selectiveCopying({nData = 8, nColors = 8, lContext = 56}: Partial<SelectiveCopyingOptions> = {}): Task {
  const marker = nColors + 1;
  const length = lContext + nData;
  return {
    name: "selective-copying", vocab: nColors + 2, length,
    tokenNames: ["·", ...Array.from({length: nColors}, (_, i) => String(i + 1)), "?"],
    sample(rand, b, l = length) {
      const ctx = l - nData;
      if (ctx < nData) throw new Error(`selective-copying: length ${l} leaves no room for ${nData} tokens`);
      const out = emptyBatch(b, l);
      for (let i = 0; i < b; i++) {
        const row = i * l;
        const pos = sampleDistinct(rand, ctx, nData);
        pos.forEach((p, j) => {
          const colour = 1 + randInt(rand, nColors);
          out.inputs[row + p] = colour;
          out.inputs[row + ctx + j] = marker;
          out.targets[row + ctx + j] = colour;
          out.weights[row + ctx + j] = 1;
        });
      }
      return out;
    }
  };
}

// ---- induction heads

export interface InductionHeadsOptions {
  /** content tokens (the special token is one more; the paper: vocabulary 16) */
  nTokens: number;
  /** training length (the paper: 256) */
  length: number;
}

/**
 * Token ids: 0 … nTokens − 1 content, nTokens the special token S. One S at a random position
 * p ≤ l − 3 followed by X, content elsewhere, S again at l − 1, whose target is X (only
 * that position is scored).
 */
export function inductionHeads({nTokens = 15, length = 64}: Partial<InductionHeadsOptions> = {}): Task {
  const S = nTokens;
  return {
    name: "induction-heads", vocab: nTokens + 1, length,
    tokenNames: [...Array.from({length: nTokens}, (_, i) => String.fromCharCode(97 + (i % 26)) + (i >= 26 ? String(i) : "")), "S"],
    sample(rand, b, l = length) {
      if (l < 4) throw new Error(`induction-heads: length must be ≥ 4, got ${l}`);
      const out = emptyBatch(b, l);
      for (let i = 0; i < b; i++) {
        const row = i * l;
        for (let t = 0; t < l; t++) out.inputs[row + t] = randInt(rand, nTokens);
        const p = randInt(rand, l - 2);
        out.inputs[row + p] = S;
        const X = out.inputs[row + p + 1];
        out.inputs[row + l - 1] = S;
        // next-token targets everywhere (for readers' plots), scored only at the end
        for (let t = 0; t < l - 1; t++) out.targets[row + t] = out.inputs[row + t + 1];
        out.targets[row + l - 1] = X;
        out.weights[row + l - 1] = 1;
      }
      return out;
    }
  };
}

// ---- multi-query associative recall

export interface AssociativeRecallOptions {
  /** distinct keys (ids 0 … nKeys − 1) */
  nKeys: number;
  /** distinct values (ids nKeys … nKeys + nValues − 1) */
  nValues: number;
  /** most key-value pairs per sequence; a batch has P pairs, length 4P */
  maxPairs: number;
  /** least pairs when the number is drawn per batch */
  minPairs: number;
}

/**
 * Zoology's MQAR, in a form whose length follows the number of pairs P: positions 0 … 2P − 1
 * hold k₁ v₁ … k_P v_P (distinct keys, values with repetition), positions 2P … 4P − 1 the
 * same pairs in a random order; at each repeated key the target is its value (P scored
 * positions). `sample(rand, b, l)` uses P = l / 4 when l is given (l a multiple of 4),
 * otherwise draws P uniformly from [minPairs, maxPairs] for the whole batch.
 */
export function associativeRecall({nKeys = 32, nValues = 32, maxPairs = 16, minPairs = 2}: Partial<AssociativeRecallOptions> = {}): Task & {pairsOf(l: number): number} {
  return {
    name: "associative-recall", vocab: nKeys + nValues, length: 4 * maxPairs,
    tokenNames: [...Array.from({length: nKeys}, (_, i) => `k${i}`), ...Array.from({length: nValues}, (_, i) => `v${i}`)],
    pairsOf: (l: number) => l / 4,
    sample(rand, b, l) {
      const P = l != null ? l / 4 : minPairs + randInt(rand, maxPairs - minPairs + 1);
      if (!Number.isInteger(P) || P < 1 || P > nKeys) throw new Error(`associative-recall: length must be 4·P with 1 ≤ P ≤ ${nKeys}, got ${l}`);
      const L = 4 * P;
      const out = emptyBatch(b, L);
      for (let i = 0; i < b; i++) {
        const row = i * L;
        const keys = shuffle(rand, sampleDistinct(rand, nKeys, P));
        const values = keys.map(() => nKeys + randInt(rand, nValues));
        const order = shuffle(rand, keys.map((_, j) => j));
        for (let j = 0; j < P; j++) {
          out.inputs[row + 2 * j] = keys[j];
          out.inputs[row + 2 * j + 1] = values[j];
          const q = order[j];
          out.inputs[row + 2 * P + 2 * j] = keys[q];
          out.inputs[row + 2 * P + 2 * j + 1] = values[q];
        }
        for (let t = 0; t < L - 1; t++) out.targets[row + t] = out.inputs[row + t + 1];
        for (let j = 0; j < P; j++) out.weights[row + 2 * P + 2 * j] = 1;
      }
      return out;
    }
  };
}

// ---- character-level names

export interface NamesCorpus {
  /** the characters, index = token id; "." (id 0) separates names */
  chars: string[];
  train: string[];
  heldOut: string[];
}

/**
 * Lower-cases and de-duplicates the names, keeps those made of a–z and "-", and splits them
 * 90/10 into train and held-out sets with a seeded shuffle (the same split for a seed).
 */
export function namesCorpus(names: string[], seed = 1): NamesCorpus {
  const clean = [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => /^[a-z-]+$/.test(n)))].sort();
  shuffle(mulberry32(seed), clean);
  const cut = Math.round(clean.length * 0.9);
  const chars = [".", ..."abcdefghijklmnopqrstuvwxyz-"];
  return {chars, train: clean.slice(0, cut), heldOut: clean.slice(cut)};
}

/** Token ids of ".name1.name2…" for names in the given order. */
export function encodeStream(names: string[], chars: string[]): Int32Array {
  const index = new Map(chars.map((c, i) => [c, i]));
  const ids: number[] = [0];
  for (const n of names) {
    for (const ch of n) ids.push(index.get(ch)!);
    ids.push(0);
  }
  return Int32Array.from(ids);
}

/**
 * Next-character prediction on windows of length `length` cut at random offsets from the
 * stream of shuffled training names (every position scored). The held-out stream (names the
 * model never trains on) is `heldOutStream`.
 */
export function namesTask(corpus: NamesCorpus, {length = 32, seed = 2}: {length?: number; seed?: number} = {}): Task & {heldOutStream: Int32Array; trainStream: Int32Array} {
  const trainStream = encodeStream(shuffle(mulberry32(seed), [...corpus.train]), corpus.chars);
  const heldOutStream = encodeStream(corpus.heldOut, corpus.chars);
  return {
    name: "names", vocab: corpus.chars.length, length, tokenNames: corpus.chars, trainStream, heldOutStream,
    sample(rand, b, l = length) {
      return windows(trainStream, rand, b, l);
    }
  };
}

/** b windows of length l at random offsets of a token stream (targets shifted by one). */
export function windows(stream: Int32Array, rand: () => number, b: number, l: number): Batch {
  const out = emptyBatch(b, l);
  for (let i = 0; i < b; i++) {
    const o = randInt(rand, stream.length - l);
    out.inputs.set(stream.subarray(o, o + l), i * l);
    out.targets.set(stream.subarray(o + 1, o + l + 1), i * l);
  }
  out.weights.fill(1);
  return out;
}

/** The stream cut into consecutive windows (an evaluation that sees every held-out character once). */
export function tiledWindows(stream: Int32Array, l: number): Batch {
  const b = Math.floor((stream.length - 1) / l);
  const out = emptyBatch(b, l);
  for (let i = 0; i < b; i++) {
    out.inputs.set(stream.subarray(i * l, i * l + l), i * l);
    out.targets.set(stream.subarray(i * l + 1, i * l + l + 1), i * l);
  }
  out.weights.fill(1);
  return out;
}
