// Plain-loop baseline of SSD (tests and benchmarks only): the recurrence itself on flat arrays.

/**
 * S_t = exp(a_t) S_{t−1} + x_t B_tᵀ, y_t = S_t C_t, one loop over t per (batch, head), in
 * float64. Flat row-major arrays: x (b·l·h·p), a (b·l·h), B, C (b·l·h·n), S0 (b·h·p·n) or null
 * → {y (b·l·h·p), finalState (b·h·p·n)} as Float32Arrays.
 */
export function ssdLoop(
  x: ArrayLike<number>, a: ArrayLike<number>, B: ArrayLike<number>, C: ArrayLike<number>,
  nb: number, l: number, h: number, p: number, n: number, S0: ArrayLike<number> | null = null
): {y: Float32Array; finalState: Float32Array} {
  const y = new Float32Array(nb * l * h * p);
  const finalState = new Float32Array(nb * h * p * n);
  const S = new Float64Array(p * n);
  for (let ib = 0; ib < nb; ib++) {
    for (let ih = 0; ih < h; ih++) {
      const s0 = (ib * h + ih) * p * n;
      for (let i = 0; i < p * n; i++) S[i] = S0 ? S0[s0 + i] : 0;
      for (let t = 0; t < l; t++) {
        const row = (ib * l + t) * h + ih;
        const g = Math.exp(a[row]);
        for (let i = 0; i < p; i++) {
          const xi = x[row * p + i];
          let acc = 0;
          for (let j = 0; j < n; j++) {
            const v = g * S[i * n + j] + xi * B[row * n + j];
            S[i * n + j] = v;
            acc += v * C[row * n + j];
          }
          y[row * p + i] = acc;
        }
      }
      for (let i = 0; i < p * n; i++) finalState[s0 + i] = S[i];
    }
  }
  return {y, finalState};
}
