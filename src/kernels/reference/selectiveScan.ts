// Plain-loop baseline of selectiveScan (tests and benchmarks only), with Mamba's whole
// interface (deltaBias, softplus, D, z gate, last state). Glossary as in seq/selectiveScan.ts:
// b batch, l length, d channels, n state size; flat row-major arrays.

export interface SelectiveScanLoopOptions {
  z?: ArrayLike<number> | null;
  deltaBias?: ArrayLike<number> | null;
  deltaSoftplus?: boolean;
  /** when given (length b·d·n), receives the state after the last step */
  lastState?: Float32Array | null;
}

/** softplus(x) = log(1 + eˣ), computed without overflow for large x. */
export function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

/**
 * One loop over t with a (d, n) state per batch entry: u, delta (b·l·d), A (d·n), B, C (b·l·n),
 * D (d) or null → y (b·l·d).
 */
export function selectiveScanLoop(
  u: ArrayLike<number>, delta: ArrayLike<number>, A: ArrayLike<number>, B: ArrayLike<number>,
  C: ArrayLike<number>, D: ArrayLike<number> | null, nb: number, l: number, d: number, n: number,
  {z = null, deltaBias = null, deltaSoftplus = false, lastState = null}: SelectiveScanLoopOptions = {}
): Float32Array {
  const y = new Float32Array(nb * l * d);
  const h = new Float32Array(d * n);
  for (let ib = 0; ib < nb; ib++) {
    h.fill(0);
    for (let t = 0; t < l; t++) {
      const o = (ib * l + t) * d;
      const on = (ib * l + t) * n;
      for (let c = 0; c < d; c++) {
        let dt = delta[o + c] + (deltaBias ? deltaBias[c] : 0);
        if (deltaSoftplus) dt = softplus(dt);
        const uc = u[o + c];
        let acc = 0;
        for (let k = 0; k < n; k++) {
          const i = c * n + k;
          h[i] = Math.exp(dt * A[i]) * h[i] + dt * B[on + k] * uc;
          acc += C[on + k] * h[i];
        }
        let out = acc + (D ? D[c] * uc : 0);
        if (z) { const zc = z[o + c]; out *= zc / (1 + Math.exp(-zc)); }
        y[o + c] = out;
      }
    }
    if (lastState) lastState.set(h, ib * d * n);
  }
  return y;
}
