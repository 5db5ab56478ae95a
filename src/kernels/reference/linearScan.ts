// Plain-loop baseline of linearScan (tests and benchmarks only): h_t = a_t ⊙ h_{t−1} + b_t.
import {fail} from "../validate.js";

/**
 * Sequential reference: the same recurrence as a plain loop over t on Float32Arrays
 * (each h_t rounded to float32 as it is stored), for tests and as the benchmark baseline.
 * a, b: flat (l·m) row-major arrays of shape (l, m) → h (l·m).
 */
export function linearScanLoop(a: ArrayLike<number>, b: ArrayLike<number>, l: number): Float32Array {
  if (a.length !== b.length || a.length % Math.max(l, 1) !== 0) {
    fail("linearScanLoop", `a and b must both have l·m entries (l = ${l}), but got ${a.length} and ${b.length}`);
  }
  const m = l > 0 ? a.length / l : 0;
  const h = new Float32Array(a.length);
  for (let j = 0; j < m; j++) h[j] = b[j];
  for (let t = 1; t < l; t++) {
    const o = t * m;
    for (let j = 0; j < m; j++) h[o + j] = a[o + j] * h[o - m + j] + b[o + j];
  }
  return h;
}
