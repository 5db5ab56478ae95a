// Plain-loop baseline of ssmKernel (tests and benchmarks only): K̄ₖ = C Āᵏ B̄ by stepping
// the state x ← Ā x from x = B̄, in float64. Work O(n² L), no tensors.
import {fail} from "../validate.js";

/**
 * Ab (n·n, row-major), Bb (n), C (n) flat float64-able arrays, L ≥ 0 → K (L), float64:
 * Kₖ = C Āᵏ B̄.
 */
export function ssmKernelLoop(Ab: ArrayLike<number>, Bb: ArrayLike<number>, C: ArrayLike<number>, L: number): Float64Array {
  const n = Bb.length;
  if (Ab.length !== n * n || C.length !== n) fail("ssmKernelLoop", `Ab must have n·n and C n entries (n = ${n} from Bb), but got ${Ab.length} and ${C.length}`);
  if (!Number.isInteger(L) || L < 0) fail("ssmKernelLoop", `L must be an integer ≥ 0, got ${L}`);
  const K = new Float64Array(L);
  let x = Float64Array.from(Bb), x2 = new Float64Array(n);
  for (let k = 0; k < L; k++) {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += C[i] * x[i];
    K[k] = acc;
    if (k === L - 1) break;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) s += Ab[row + j] * x[j];
      x2[i] = s;
    }
    [x, x2] = [x2, x];
  }
  return K;
}
