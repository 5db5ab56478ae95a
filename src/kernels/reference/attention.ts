// Plain-loop baselines of softmaxAttention and linearAttention (tests and benchmarks only).
import {NORM_EPS} from "../seq/attention.js";

/**
 * Plain loop reference (benchmark baseline and tests): the recurrent form on flat
 * Float32Arrays with φ already applied. pq, pk (l·dk), v (l·dv) → (l·dv).
 */
export function linearAttentionLoop(
  pq: ArrayLike<number>, pk: ArrayLike<number>, v: ArrayLike<number>, l: number, dk: number, dv: number,
  gamma = 1, normalize: "sum" | "none" = "sum"
): Float32Array {
  const S = new Float64Array(dk * dv);
  const z = new Float64Array(dk);
  const o = new Float32Array(l * dv);
  for (let t = 0; t < l; t++) {
    for (let i = 0; i < dk; i++) {
      const ki = pk[t * dk + i];
      z[i] = gamma * z[i] + ki;
      for (let j = 0; j < dv; j++) S[i * dv + j] = gamma * S[i * dv + j] + ki * v[t * dv + j];
    }
    let den = 0;
    for (let i = 0; i < dk; i++) den += pq[t * dk + i] * z[i];
    if (Math.abs(den) < NORM_EPS) den = den < 0 ? -NORM_EPS : NORM_EPS;
    for (let j = 0; j < dv; j++) {
      let acc = 0;
      for (let i = 0; i < dk; i++) acc += pq[t * dk + i] * S[i * dv + j];
      o[t * dv + j] = normalize === "sum" ? acc / den : acc;
    }
  }
  return o;
}

/** Plain loop reference for softmaxAttention: q, k (l·dk), v (l·dv) → (l·dv). */
export function softmaxAttentionLoop(
  q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, l: number, dk: number, dv: number, causal = true
): Float32Array {
  const o = new Float32Array(l * dv);
  const w = new Float64Array(l);
  const scale = 1 / Math.sqrt(dk);
  for (let t = 0; t < l; t++) {
    const end = causal ? t + 1 : l;
    let max = -Infinity;
    for (let s = 0; s < end; s++) {
      let acc = 0;
      for (let i = 0; i < dk; i++) acc += q[t * dk + i] * k[s * dk + i];
      w[s] = acc * scale;
      if (w[s] > max) max = w[s];
    }
    let sum = 0;
    for (let s = 0; s < end; s++) sum += (w[s] = Math.exp(w[s] - max));
    for (let j = 0; j < dv; j++) {
      let acc = 0;
      for (let s = 0; s < end; s++) acc += w[s] * v[s * dv + j];
      o[t * dv + j] = acc / sum;
    }
  }
  return o;
}
