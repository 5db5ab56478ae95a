// Page 6's memory figure: what a decoder keeps between tokens, measured on the reader's device.
// Softmax attention keeps every past key and value (the KV cache: 2·L·d floats per layer and
// head, growing with the context L) and each new token reads all of it; linear attention keeps
// one d_k' × d_v state whatever L (Katharopoulos et al. 2020, §3.4: "transformers are RNNs").
// Bytes are read from tf.memory() while the cache or state is held; times are the best of a
// few calls, each with a readback (runtime/timing.ts). Not a kernel: an async loop around them.
import * as tf from "@tensorflow/tfjs";
import {FUSED_BACKENDS, linearAttentionHeads, mulberry32, softmaxAttention} from "../kernels/index.js";
import {timeCall} from "../runtime/timing.js";

export type MemoryMethod = "kv-step" | "state-step" | "softmax-seq" | "linear-seq";
export const MEMORY_LABELS: Record<MemoryMethod, string> = {
  "kv-step": "softmax: one token against the KV cache",
  "state-step": "linear: one new token through the state",
  "softmax-seq": "softmax: the whole sequence (l × l)",
  "linear-seq": "linear: the whole sequence (chunked)"
};

export interface MemoryPoint {
  method: MemoryMethod; label: string; L: number;
  /** best time per call (ms) and the number of timed calls */
  ms: number; reps: number;
  /** bytes held between tokens (cache or state), measured by tf.memory(); null for whole-sequence rows */
  bytes: number | null;
}

/** The lengths measured (a decoder's context; the whole-sequence forms stop earlier). */
export const MEMORY_LENGTHS = [64, 256, 1024, 4096, 16384, 65536];

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const r = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({length: n}, () => r() * 2 - 1), shape);
}

/** Bytes that `make` allocates and keeps (tf.memory().numBytes before and after), with the tensors. */
function held<T extends tf.Tensor[]>(make: () => T): {tensors: T; bytes: number} {
  const before = tf.memory().numBytes;
  const tensors = make();
  return {tensors, bytes: tf.memory().numBytes - before};
}

const pause = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Measures, for each L (ascending), one decoding step of softmax attention against a KV cache
 * of L tokens, one step of linear attention's recurrence (S ← γS + φ(k)ᵀv, o = φ(q)S, then
 * GroupNorm as SUPRA), and the whole length-L sequence in each form. d = width of q, k, v of
 * one head. A method stops when its next point is predicted (from its growth) to pass
 * budgetMs; everything stops when signal.aborted. Disposes everything it made.
 */
export async function measureMemory({d = 64, Ls = MEMORY_LENGTHS, budgetMs = 600, reps = 3, signal, onPoint}:
  {d?: number; Ls?: readonly number[]; budgetMs?: number; reps?: number; signal?: {aborted: boolean}; onPoint?: (p: MemoryPoint) => void} = {}): Promise<MemoryPoint[]> {
  const points: MemoryPoint[] = [];
  const last = new Map<MemoryMethod, {L: number; ms: number}>();
  const growth: Record<MemoryMethod, number> = {"kv-step": 1, "state-step": 0, "softmax-seq": 2, "linear-seq": 1};
  const form = FUSED_BACKENDS.includes(tf.getBackend()) ? "fused" : "chunked";
  const gamma = 0.97;
  const add = (method: MemoryMethod, L: number, r: {ms: number; reps: number}, bytes: number | null) => {
    const p = {method, label: MEMORY_LABELS[method], L, ms: r.ms, reps: r.reps, bytes};
    points.push(p);
    last.set(method, {L, ms: r.ms});
    onPoint?.(p);
  };
  const skip = (m: MemoryMethod, L: number) => {
    const prev = last.get(m);
    return prev != null && prev.ms * (L / prev.L) ** growth[m] > budgetMs;
  };
  const stopped = new Set<MemoryMethod>();
  const q1 = randomTensor([1, d], 1), k1 = randomTensor([1, d], 2), v1 = randomTensor([1, d], 3);
  try {
    for (const L of Ls) {
      if (signal?.aborted) break;
      await pause();
      // the KV cache of L past tokens, and one new query against it
      if (!stopped.has("kv-step") && !skip("kv-step", L)) {
        const {tensors: [K, V], bytes} = held(() => [randomTensor([L, d], L), randomTensor([L, d], L + 1)]);
        const step = () => tf.tidy(() => tf.matMul(tf.softmax(tf.div(tf.matMul(q1, K, false, true), Math.sqrt(d))), V)); // (1, d)
        try { add("kv-step", L, await timeCall(step, reps), bytes); } finally { tf.dispose([K, V]); }
      } else stopped.add("kv-step");
      if (signal?.aborted) break;
      // the fixed state (φ = elu + 1 here; its size does not depend on L, so neither does this)
      {
        const {tensors: [S], bytes} = held(() => [randomTensor([d, d], 7)]);
        const step = () => tf.tidy(() => {
          const phi = (x: tf.Tensor) => tf.add(tf.elu(x), 1);
          const S1 = tf.add(tf.mul(S, gamma), tf.matMul(phi(k1), v1, true, false)); // (d, d)
          const o = tf.matMul(phi(q1), S1); // (1, d)
          const {mean, variance} = tf.moments(o, 1, true);
          return tf.mul(tf.sub(o, mean), tf.rsqrt(tf.add(variance, 1e-5))); // (1, d)
        });
        try { add("state-step", L, await timeCall(step, reps), bytes); } finally { tf.dispose(S); }
      }
      // the whole sequence, both ways
      for (const m of ["softmax-seq", "linear-seq"] as const) {
        if (signal?.aborted || stopped.has(m)) continue;
        if (skip(m, L) || (m === "softmax-seq" && L * L * 4 > 2 ** 28)) { stopped.add(m); continue; }
        const q = randomTensor([L, d], 11), k = randomTensor([L, d], 12), v = randomTensor([L, d], 13);
        const run = m === "softmax-seq" ? () => softmaxAttention(q, k, v)
          : () => tf.tidy(() => linearAttentionHeads(tf.reshape(q, [L, 1, d]), tf.reshape(k, [L, 1, d]), tf.reshape(v, [L, 1, d]), {decay: gamma, normalize: "groupnorm", form}));
        try {
          add(m, L, await timeCall(run, reps), null);
        } catch (e) {
          stopped.add(m);
          console.warn(`measureMemory: ${m} failed at L = ${L}:`, e);
        } finally {
          tf.dispose([q, k, v]);
        }
        await pause();
      }
    }
  } finally {
    tf.dispose([q1, k1, v1]);
  }
  return points;
}

/** Bytes of a KV cache and of a linear state for d-wide heads (float32), at context L. */
export function predictedBytes(L: number, d = 64): {kv: number; state: number} {
  return {kv: 2 * L * d * 4, state: d * d * 4};
}

/** One sentence from the measured points: the largest L where both steps ran, and the ratios. */
export function memorySummary(points: readonly MemoryPoint[]): string {
  const kv = points.filter((p) => p.method === "kv-step"), st = points.filter((p) => p.method === "state-step");
  if (!kv.length || !st.length) return "";
  const top = kv[kv.length - 1];
  const s = st.find((p) => p.L === top.L) ?? st[st.length - 1];
  const fmt = (b: number) => (b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
  return `At L = ${top.L}: the KV cache holds ${fmt(top.bytes ?? 0)} and one token takes ${top.ms.toFixed(2)} ms; the state holds ${fmt(s.bytes ?? 0)} and one token takes ${s.ms.toFixed(2)} ms.`;
}
