// A float64 complex FFT on plain arrays, any length (the tensor FFT in fft.ts is float32 and
// needs a power of two). Used where a small transform must be exact to rounding, e.g. the
// inverse FFT of S4's generating function in lti/dplr.ts.
//
//   n a power of two   iterative radix-2 Cooley–Tukey (bit reversal, then log₂ n stages);
//                      twiddles by cos/sin of the exact angle (no recurrence drift).
//   any other n        Bluestein's chirp-z (Bluestein 1970): nk = (n² + k² − (k−n)²)/2, so
//                      X_k = w_k Σ_j (x_j w_j) conj(w_{k−j}),  w_j = e^{∓iπj²/n},
//                      a linear convolution done by radix-2 FFTs of size M ≥ 2n − 1;
//                      j² is reduced mod 2n before the angle is taken.
// Forward X_k = Σ_j x_j e^{−2πijk/n}; inverse x_j = (1/n) Σ_k X_k e^{+2πijk/n}. O(n log n).
import {fail} from "../validate.js";

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

/** In-place radix-2 transform of (re, im), length a power of two, sign −1 forward, +1 inverse (unscaled). */
function radix2(re: Float64Array, im: Float64Array, sign: number): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    for (let k = 0; k < half; k++) {
      const a = (sign * 2 * Math.PI * k) / len;
      const wr = Math.cos(a), wi = Math.sin(a);
      for (let s = k; s < n; s += len) {
        const t = s + half;
        const xr = re[t] * wr - im[t] * wi, xi = re[t] * wi + im[t] * wr;
        re[t] = re[s] - xr; im[t] = im[s] - xi;
        re[s] += xr; im[s] += xi;
      }
    }
  }
}

/**
 * Complex DFT of (re, im) (same length n ≥ 1) in float64 → new {re, im} (n). `inverse`
 * uses e^{+2πijk/n} and divides by n.
 */
export function fftF64(re: ArrayLike<number>, im: ArrayLike<number>, {inverse = false}: {inverse?: boolean} = {}): {re: Float64Array; im: Float64Array} {
  const fn = "fftF64";
  const n = re.length;
  if (n < 1) fail(fn, "re must have length ≥ 1, got 0");
  if (im.length !== n) fail(fn, `im must have the length of re (${n}), got ${im.length}`);
  const sign = inverse ? 1 : -1;
  let xr: Float64Array, xi: Float64Array;
  if (isPowerOfTwo(n)) {
    xr = Float64Array.from(re); xi = Float64Array.from(im);
    radix2(xr, xi, sign);
  } else {
    let M = 1;
    while (M < 2 * n - 1) M <<= 1;
    const cr = new Float64Array(n), ci = new Float64Array(n); // chirp w_j = e^{sign·iπj²/n}
    for (let j = 0; j < n; j++) {
      const a = (sign * Math.PI * ((j * j) % (2 * n))) / n;
      cr[j] = Math.cos(a); ci[j] = Math.sin(a);
    }
    const ar = new Float64Array(M), ai = new Float64Array(M), br = new Float64Array(M), bi = new Float64Array(M);
    for (let j = 0; j < n; j++) {
      ar[j] = re[j] * cr[j] - im[j] * ci[j];
      ai[j] = re[j] * ci[j] + im[j] * cr[j];
    }
    for (let j = 0; j < n; j++) { // conj(w) at lags 0 … n−1 and −(n−1) … −1 (wrapped)
      br[j] = cr[j]; bi[j] = -ci[j];
      if (j > 0) { br[M - j] = cr[j]; bi[M - j] = -ci[j]; }
    }
    radix2(ar, ai, -1);
    radix2(br, bi, -1);
    for (let k = 0; k < M; k++) {
      const r = ar[k] * br[k] - ai[k] * bi[k];
      ai[k] = ar[k] * bi[k] + ai[k] * br[k];
      ar[k] = r;
    }
    radix2(ar, ai, 1);
    xr = new Float64Array(n); xi = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const pr = ar[k] / M, pi = ai[k] / M;
      xr[k] = pr * cr[k] - pi * ci[k];
      xi[k] = pr * ci[k] + pi * cr[k];
    }
  }
  if (inverse) for (let k = 0; k < n; k++) { xr[k] /= n; xi[k] /= n; }
  return {re: xr, im: xi};
}
