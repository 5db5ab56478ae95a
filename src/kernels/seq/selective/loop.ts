// The fused selective scan as one typed-array loop (the cpu and wasm kernels run it on the
// tensors' own memory). Everything of the recurrence happens in one pass over t: Δ's bias
// and softplus, Ā = exp(ΔA), B̄u = ΔBu, the state update, the readout C·h, the skip D·u
// and the gate silu(z). The only state is one (d, n) array per batch entry, kept in
// float64; nothing of size (b, l, d, n) is ever formed. Glossary as in ../selectiveScan.ts.

/** The arrays of one fused selective scan, flat row-major (float32 views or copies). */
export interface SelectiveScanArrays {
  u: ArrayLike<number>; delta: ArrayLike<number>; A: ArrayLike<number>; B: ArrayLike<number>; C: ArrayLike<number>;
  D: ArrayLike<number> | null; z: ArrayLike<number> | null; deltaBias: ArrayLike<number> | null;
  deltaSoftplus: boolean;
  nb: number; l: number; d: number; n: number;
}

/** softplus with torch's threshold (x > 20 → x), log1p for accuracy at small eˣ. */
function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

/**
 * Runs the scan into `y` (b·l·d) and, when given, `lastState` (b·d·n). u, delta (b·l·d);
 * A (d·n); B, C (b·l·n); D, deltaBias (d); z (b·l·d).
 */
export function selectiveScanInto(a: SelectiveScanArrays, y: Float32Array, lastState: Float32Array | null = null): void {
  const {u, delta, A, B, C, D, z, deltaBias, deltaSoftplus, nb, l, d, n} = a;
  const h = new Float64Array(d * n); // (d, n): the state of one batch entry
  for (let ib = 0; ib < nb; ib++) {
    h.fill(0);
    for (let t = 0; t < l; t++) {
      const o = (ib * l + t) * d; // row of (b, l, d)
      const on = (ib * l + t) * n; // row of (b, l, n)
      for (let c = 0; c < d; c++) {
        let dt = delta[o + c];
        if (deltaBias) dt += deltaBias[c];
        if (deltaSoftplus) dt = softplus(dt);
        const uc = u[o + c];
        const dtu = dt * uc;
        const hc = c * n;
        let acc = 0;
        for (let k = 0; k < n; k++) {
          const i = hc + k;
          const hk = Math.exp(dt * A[i]) * h[i] + dtu * B[on + k];
          h[i] = hk;
          acc += C[on + k] * hk;
        }
        if (D) acc += D[c] * uc;
        if (z) {
          const zc = z[o + c];
          acc *= zc / (1 + Math.exp(-zc));
        }
        y[o + c] = acc;
      }
    }
    if (lastState) for (let i = 0; i < d * n; i++) lastState[ib * d * n + i] = h[i];
  }
}
