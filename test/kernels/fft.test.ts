// The site's own FFT (src/kernels/fft.ts) against a naive float64 DFT, its inverse, Parseval,
// batches, the packed real convolution against a plain loop, bad inputs and leaks, on every
// Node backend (cpu and wasm: wasm has no Complex kernel, so this is its only FFT).
import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {causalConvFFT, fft, ifft, rfftConvolve} from "../../src/kernels/index.js";
import {BACKENDS, assertClose, expectNoLeak, lcg, printAccuracy, recordAccuracy, useBackend} from "./helpers.js";
import {convScale} from "./lti-helpers.js";

/** Naive DFT in float64: X_k = Σ_n x_n e^{∓2πikn/N} (the angle reduced exactly mod N); inverse scales by 1/N. */
function dft(re: ArrayLike<number>, im: ArrayLike<number>, inverse = false): {re: Float64Array; im: Float64Array} {
  const N = re.length;
  const sign = inverse ? 1 : -1;
  const Xr = new Float64Array(N), Xi = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    let sr = 0, si = 0;
    for (let n = 0; n < N; n++) {
      const a = (sign * 2 * Math.PI * ((k * n) % N)) / N;
      const c = Math.cos(a), s = Math.sin(a);
      sr += re[n] * c - im[n] * s;
      si += re[n] * s + im[n] * c;
    }
    Xr[k] = inverse ? sr / N : sr;
    Xi[k] = inverse ? si / N : si;
  }
  return {re: Xr, im: Xi};
}

/** Seeded uniform[−1, 1) float32 data. */
function rand(n: number, seed: number): Float32Array {
  const r = lcg(seed);
  return Float32Array.from({length: n}, () => 2 * r() - 1);
}

/** Float32 FFT error bound used as tolerance: 2e-7 · √N · log2(2N) · max|x| (measured ~8× below). */
const fftTol = (N: number, scale = 1) => 2e-7 * Math.sqrt(N) * Math.log2(2 * N) * scale;

function convLoop(a: ArrayLike<number>, b: ArrayLike<number>, length: number): Float64Array {
  const c = new Float64Array(length);
  for (let k = 0; k < length; k++) {
    for (let j = 0; j <= k; j++) if (j < a.length && k - j < b.length) c[k] += a[j] * b[k - j];
  }
  return c;
}

describe.each(BACKENDS)("fft on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => printAccuracy(`fft/${backend}`));
  const log = (name: string, r: ReturnType<typeof assertClose>) => recordAccuracy(`fft/${backend}`, backend, name, r);

  it.each([1, 2, 4, 8, 256, 4096])("fft matches the naive float64 DFT for N = %s", (N) => {
    const xr = rand(N, N), xi = rand(N, N + 7);
    const ref = dft(xr, xi);
    const {re, im} = fft(xr, xi);
    expect(re.shape).toEqual([N]);
    expect(im.shape).toEqual([N]);
    const rr = assertClose(re, ref.re, {atol: fftTol(N), rtol: 0, label: `fft re N=${N}: `});
    const ri = assertClose(im, ref.im, {atol: fftTol(N), rtol: 0, label: `fft im N=${N}: `});
    log(`fft N=${N}`, {maxAbsError: Math.max(rr.maxAbsError, ri.maxAbsError), maxRelError: Math.max(rr.maxRelError, ri.maxRelError), worst: -1});
    tf.dispose([re, im]);
  });

  it.each([8, 1024])("ifft matches the naive float64 inverse DFT (with 1/N) for N = %s", (N) => {
    const xr = rand(N, 3 * N), xi = rand(N, 3 * N + 1);
    const ref = dft(xr, xi, true);
    const {re, im} = ifft(xr, xi);
    assertClose(re, ref.re, {atol: fftTol(N) / N, rtol: 0, label: `ifft re N=${N}: `});
    assertClose(im, ref.im, {atol: fftTol(N) / N, rtol: 0, label: `ifft im N=${N}: `});
    tf.dispose([re, im]);
  });

  it.each([1, 2, 4, 8, 256, 4096, 32768])("ifft(fft(x)) = x and Parseval Σ|X|² = N·Σ|x|² for N = %s", (N) => {
    const xr = rand(N, 5 * N), xi = rand(N, 5 * N + 2);
    const X = fft(xr, xi);
    const y = fft(X.re, X.im, {inverse: true});
    const atol = 1e-6 * Math.log2(2 * N);
    const r1 = assertClose(y.re, xr, {atol, rtol: 0, label: `ifft(fft) re N=${N}: `});
    const r2 = assertClose(y.im, xi, {atol, rtol: 0, label: `ifft(fft) im N=${N}: `});
    log(`ifft(fft(x)) N=${N}`, {maxAbsError: Math.max(r1.maxAbsError, r2.maxAbsError), maxRelError: 0, worst: -1});
    let ex = 0, eX = 0;
    for (let n = 0; n < N; n++) ex += xr[n] ** 2 + xi[n] ** 2;
    const Xr = X.re.dataSync(), Xi = X.im.dataSync();
    for (let k = 0; k < N; k++) eX += Xr[k] ** 2 + Xi[k] ** 2;
    expect(Math.abs(eX - N * ex) / (N * ex)).toBeLessThan(1e-5);
    tf.dispose([X.re, X.im, y.re, y.im]);
  });

  it("fft of δ₀ is all ones, of a constant is N·δ₀, and of e^{2πi·3n/N} is N·δ₃", () => {
    const N = 16;
    const d = new Float32Array(N); d[0] = 1;
    const z = new Float32Array(N);
    const a = fft(d, z);
    assertClose(a.re, new Float32Array(N).fill(1), {atol: 1e-6, rtol: 0});
    assertClose(a.im, z, {atol: 1e-6, rtol: 0});
    const b = fft(new Float32Array(N).fill(2), z);
    const want = new Float32Array(N); want[0] = 2 * N;
    assertClose(b.re, want, {atol: 1e-5, rtol: 0});
    assertClose(b.im, z, {atol: 1e-5, rtol: 0});
    const cr = Float32Array.from({length: N}, (_, n) => Math.cos((2 * Math.PI * 3 * n) / N));
    const ci = Float32Array.from({length: N}, (_, n) => Math.sin((2 * Math.PI * 3 * n) / N));
    const c = fft(cr, ci);
    const w3 = new Float32Array(N); w3[3] = N;
    assertClose(c.re, w3, {atol: 1e-5, rtol: 0});
    assertClose(c.im, z, {atol: 1e-5, rtol: 0});
    tf.dispose([a.re, a.im, b.re, b.im, c.re, c.im]);
  });

  it.each([[[3, 256]], [[2, 2, 64]], [[5, 1]], [[1, 512]]] as const)("batched fft over the leading axes of shape %j equals the DFT of each row", (shape) => {
    const N = shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((p: number, q: number) => p * q, 1);
    const xr = rand(rows * N, 11 + N), xi = rand(rows * N, 13 + N);
    for (const inverse of [false, true]) {
      const {re, im} = fft(tf.tensor(xr, [...shape]), tf.tensor(xi, [...shape]), {inverse});
      expect(re.shape).toEqual([...shape]);
      expect(im.shape).toEqual([...shape]);
      const Yr = re.dataSync(), Yi = im.dataSync();
      for (let b = 0; b < rows; b++) {
        const ref = dft(xr.subarray(b * N, (b + 1) * N), xi.subarray(b * N, (b + 1) * N), inverse);
        const tol = fftTol(N) / (inverse ? N : 1);
        assertClose(Yr.subarray(b * N, (b + 1) * N), ref.re, {atol: tol, rtol: 0, label: `batch row ${b} re (inverse ${inverse}): `});
        assertClose(Yi.subarray(b * N, (b + 1) * N), ref.im, {atol: tol, rtol: 0, label: `batch row ${b} im (inverse ${inverse}): `});
      }
      tf.dispose([re, im]);
    }
  });

  it.each([1, 2, 3, 5, 64, 100, 1000])("rfftConvolve(a, b) is the full linear convolution (length 2l − 1) for l = %s", (l) => {
    const a = rand(l, 17 * l), b = rand(l, 19 * l);
    const ref = convLoop(a, b, 2 * l - 1);
    const c = rfftConvolve(a, b);
    expect(c.shape).toEqual([2 * l - 1]);
    log(`rfftConvolve l=${l}`, assertClose(c, ref, {atol: 1e-6 * convScale(a, b), rtol: 1e-5, label: `rfftConvolve l=${l}: `}));
    c.dispose();
  });

  it("rfftConvolve is batched over leading axes and honours `length`", () => {
    const [B, l] = [3, 50];
    const a = rand(B * l, 23), b = rand(B * l, 29);
    const c = rfftConvolve(tf.tensor2d(a, [B, l]), tf.tensor2d(b, [B, l]), {length: l});
    expect(c.shape).toEqual([B, l]);
    const got = c.dataSync();
    for (let r = 0; r < B; r++) {
      const ar = a.subarray(r * l, (r + 1) * l), br = b.subarray(r * l, (r + 1) * l);
      assertClose(got.subarray(r * l, (r + 1) * l), convLoop(ar, br, l), {atol: 1e-6 * convScale(ar, br), rtol: 1e-5, label: `row ${r}: `});
    }
    c.dispose();
  });

  it.each([1, 2, 3, 127, 1000, 5000])("causalConvFFT (the site's FFT) matches the loop for random u, K of length %s", (l) => {
    const r = lcg(31 * l);
    const u = Float32Array.from({length: l}, () => 2 * r() - 1);
    const K = Float32Array.from({length: l}, (_, k) => (2 * r() - 1) * Math.exp(-k / 300));
    const y = causalConvFFT(u, K);
    expect(y.shape).toEqual([l]);
    log(`causalConvFFT l=${l}`, assertClose(y, convLoop(K, u, l), {atol: 1e-6 * convScale(K, u), rtol: 1e-5, label: `causalConvFFT l=${l}: `}));
    y.dispose();
  });

  it("fft, ifft and rfftConvolve leave no tensors behind (twiddles are cached as typed arrays, not tensors)", () => {
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([2, 2048]), z = tf.zeros([2, 2048]);
    expectNoLeak(() => {
      const {re, im} = fft(x, z);
      return [re, im];
    });
    expectNoLeak(() => {
      const {re, im} = ifft(x, z);
      return [re, im];
    });
    expectNoLeak(() => rfftConvolve(x, z));
    expectNoLeak(() => rfftConvolve(x, z, {length: 5}));
    // a size never seen before (fresh twiddle tables) and repeated calls do not grow the count
    for (let i = 0; i < 3; i++) {
      const [o, z0] = [tf.ones([1 << (12 + i)]), tf.zeros([1 << (12 + i)])];
      const {re, im} = fft(o, z0);
      tf.dispose([re, im, o, z0]);
    }
    tf.dispose([x, z]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("fft and rfftConvolve reject bad arguments with a message naming the function and the argument", () => {
    const before = tf.memory().numTensors;
    expect(() => fft([1, 2, 3], [0, 0, 0])).toThrow("fft: re must have a last axis N that is a power of two ≥ 1, but got shape (3)");
    expect(() => fft([1, 2], [0, 0, 0, 0])).toThrow("fft: im must have the same shape as re (2), but got (4)");
    expect(() => fft(1, 0)).toThrow("fft: re must have rank ≥ 1 (…, N), but got shape ()");
    expect(() => ifft([[1, 2, 3]], [[0, 0, 0]])).toThrow("ifft: re must have a last axis N that is a power of two ≥ 1, but got shape (1,3)");
    expect(() => rfftConvolve([1, 2], [1, 2, 3])).toThrow("rfftConvolve: b must have the same shape as a (2), but got (3)");
    expect(() => rfftConvolve([], [])).toThrow("rfftConvolve: a must have a last axis l ≥ 1, but got shape (0)");
    expect(() => rfftConvolve([1, 2], [1, 2], {length: 4})).toThrow("rfftConvolve: length must be an integer in [1, 3], got 4");
    expect(tf.memory().numTensors).toBe(before);
  });
});
