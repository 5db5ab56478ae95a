// A complex FFT built from plain real-valued tfjs ops, so that it runs on every backend
// (cpu, wasm, webgl, webgpu) in O(N log N) work. tfjs's own tf.spectral is a radix-2 FFT
// only on cpu (and slow there), a naive O(N²) DFT on webgl/webgpu, and missing on wasm (no
// Complex kernel); see docs/toolchain.md. Here complex numbers never reach tfjs: the
// real and imaginary parts travel as float32 tensors, stacked along a leading axis of size 2.
//
// Algorithm: Stockham radix-2, decimation in time (self-sorting: no bit-reversal pass).
// Write N = 2^s. Before the stage with sub-transform length L (L = 1, 2, 4, …, N/2) the data
// is an array Y (R, L), R = N/L, whose row r is the length-L DFT of the strided subsequence
// x[r], x[r+R], x[r+2R], …. Splitting the rows in halves, E = Y[0:R/2] and O = Y[R/2:R] are
// the DFTs of the even and odd halves of the subsequence with stride R/2, so one butterfly
// gives the length-2L DFTs, rows r = 0 … R/2−1:
//     Y'[r, k]     = E[r, k] + w^k O[r, k]
//     Y'[r, k + L] = E[r, k] − w^k O[r, k],      w = exp(∓iπ/L), k = 0 … L−1
// i.e. Y' (R/2, 2L) = concat([E + t, E − t], axis 1) with t = w^k ⊙ O broadcast over rows.
// At the start (L = 1) Y (N, 1) is x itself; at the end (L = N) Y (1, N) is X in natural order.
//
// Layout: real and imaginary parts are separate float32 tensors (re, im), each (N, B) with
// the batch innermost. Then every op of a stage is on tfjs's fast path on every backend
// (measured: a rank-5 or strided layout made the cpu and wasm backends fall back to
// per-element index arithmetic in slice/reverse/broadcast, ~100× slower):
//   reshape (N, B) → (2, R/2·L·B); E, O = rows 0 and 1         4 contiguous slices (re, im)
//   t = w ⊙ O: t_re = O_re·c − O_im·s, t_im = O_re·s + O_im·c   4 mul + 1 sub + 1 add
//       with c, s = Re, Im w^k as a (L, B) (cpu: a suffix operand, tiled over B) or (L, 1)
//       tensor (other backends broadcast natively)
//   E ± t, then concat along a middle axis (R/2, [2], L·B)     4 add/sub + 2 concat
// = 16 kernel dispatches per stage (reshapes are free), 10 in the first stage (w⁰ = 1),
// each touching O(N·B) numbers: work O(B·N log N), log2 N stages, ≈ 16·log2 N dispatches
// per transform (plus a transpose at each end when B > 1). The twiddles are computed in
// float64 and rounded once to float32 (not by repeated multiplication), cached per
// (L, direction) as plain Float32Arrays and uploaded as two small tensors per stage (freed by
// the caller's tf.tidy); no tensor is held across calls.
//
// Exports:
//   fft(re, im, {inverse})   re, im (…, N) float32, N a power of two → {re, im} (…, N);
//                            the transform runs over the last axis, batched over the others.
//                            Forward X_k = Σ_n x_n e^{−2πikn/N}; inverse includes the 1/N.
//   rfftConvolve(a, b, {length})
//                            real linear convolution c_k = Σ_j a_j b_{k−j} of a, b (…, l),
//                            batched over the leading axes, first `length` outputs (default
//                            2l − 1), via one forward complex FFT of size N ≥ 2l that packs a
//                            and b as z = a + ib, and one inverse FFT: 2 transforms in total
//                            instead of 3.
import * as tf from "@tensorflow/tfjs";
import {assertInteger, fail, shapeString, toTensor, type TensorLike} from "../validate.js";
import {convolveRealGpu} from "./fftConvGpu.js";

/** Twiddles per (L, direction): [Re w^k, Im w^k], k = 0 … L−1, w = e^{∓iπ/L}, float64 → float32. */
const twiddleCache = new Map<string, Float32Array>();

function twiddles(L: number, inverse: boolean): Float32Array {
  const key = `${L}:${inverse ? "i" : "f"}`;
  let t = twiddleCache.get(key);
  if (!t) {
    t = new Float32Array(2 * L);
    const sign = inverse ? 1 : -1;
    for (let k = 0; k < L; k++) {
      t[k] = Math.cos((Math.PI * k) / L);
      t[L + k] = sign * Math.sin((Math.PI * k) / L);
    }
    twiddleCache.set(key, t);
  }
  return t;
}

/**
 * Twiddle tensors c, s for stage L on B batch columns: (L, B) tiled on cpu, whose binary
 * ops are fast only when the smaller operand is a suffix of the larger one's shape, and
 * (L, 1) elsewhere (webgl/webgpu/wasm broadcast natively, and uploads stay O(L)).
 */
function twiddleTensors(L: number, B: number, inverse: boolean): [tf.Tensor, tf.Tensor] {
  const w = twiddles(L, inverse);
  if (B === 1 || tf.getBackend() !== "cpu") {
    return [tf.tensor(w.subarray(0, L), [L, 1], "float32"), tf.tensor(w.subarray(L), [L, 1], "float32")];
  }
  const c = new Float32Array(L * B), s = new Float32Array(L * B);
  for (let k = 0; k < L; k++) {
    c.fill(w[k], k * B, (k + 1) * B);
    s.fill(w[L + k], k * B, (k + 1) * B);
  }
  return [tf.tensor(c, [L, B], "float32"), tf.tensor(s, [L, B], "float32")];
}

/** Indices (N − k) mod N, k = 0 … N−1, cached per N. */
const mirrorCache = new Map<number, Int32Array>();
function mirror(N: number): Int32Array {
  let m = mirrorCache.get(N);
  if (!m) {
    m = new Int32Array(N);
    for (let k = 0; k < N; k++) m[k] = (N - k) % N;
    mirrorCache.set(N, m);
  }
  return m;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** Smallest power of two ≥ n (n ≥ 1). */
export function nextPowerOfTwo(n: number): number {
  let N = 1;
  while (N < n) N *= 2;
  return N;
}

/**
 * The core transform, on the internal layout: re, im (N, B), the transform along axis 0 for
 * each of the B columns, N a power of two. Unscaled DFT with kernel e^{∓2πikn/N} (− forward,
 * + inverse). Returns [re, im] (N, B). Call inside tf.tidy (the intermediates are its).
 */
export function fftColumns(re: tf.Tensor2D, im: tf.Tensor2D, inverse = false): [tf.Tensor2D, tf.Tensor2D] {
  const [N, B] = re.shape;
  let yr: tf.Tensor = re, yi: tf.Tensor = im;
  for (let L = 1; L < N; L *= 2) {
    const M = (N / 2) * B; // numbers per half: (R/2)·L·B
    const half = N / (2 * L); // R/2
    const zr = tf.reshape(yr, [2, M]), zi = tf.reshape(yi, [2, M]);
    const shape: [number, number, number] = [half, L, B];
    const part = (z: tf.Tensor, row: number) => tf.reshape(tf.slice(z, [row, 0], [1, M]), shape); // contiguous
    const Er = part(zr, 0), Or = part(zr, 1), Ei = part(zi, 0), Oi = part(zi, 1); // (R/2, L, B)
    let tr: tf.Tensor = Or, ti: tf.Tensor = Oi;
    if (L > 1) {
      const [c, s] = twiddleTensors(L, B, inverse);
      tr = tf.sub(tf.mul(Or, c), tf.mul(Oi, s));
      ti = tf.add(tf.mul(Or, s), tf.mul(Oi, c));
    }
    const shape3: [number, number, number] = [half, 1, L * B];
    const cat = (a: tf.Tensor, b: tf.Tensor) => tf.concat([tf.reshape(a, shape3), tf.reshape(b, shape3)], 1); // (R/2, 2, L·B)
    yr = cat(tf.add(Er, tr), tf.sub(Er, tr));
    yi = cat(tf.add(Ei, ti), tf.sub(Ei, ti));
  }
  return [tf.reshape(yr, [N, B]) as tf.Tensor2D, tf.reshape(yi, [N, B]) as tf.Tensor2D];
}

/** (B, n) → (n, B): a transpose, or a reshape when B = 1. */
function toColumns(x: tf.Tensor, B: number, n: number): tf.Tensor2D {
  return (B === 1 ? tf.reshape(x, [n, 1]) : tf.transpose(tf.reshape(x, [B, n]))) as tf.Tensor2D;
}
/** (n, B) → (B, n). */
function toRows(x: tf.Tensor2D): tf.Tensor2D {
  const [n, B] = x.shape;
  return (B === 1 ? tf.reshape(x, [1, n]) : tf.transpose(x)) as tf.Tensor2D;
}

/**
 * Complex FFT over the last axis of separate real and imaginary float32 tensors.
 *
 * re, im (…, N), same shape, N a power of two (N = 1 is the identity) → {re, im} (…, N).
 * Forward: X_k = Σ_n x_n e^{−2πikn/N}. With `inverse: true`: x_n = (1/N) Σ_k X_k e^{+2πikn/N}.
 * Leading axes are a batch. Cost: log2 N stages of ≈ 9 dispatches, O(N log N) work per row.
 */
export function fft(re: TensorLike, im: TensorLike, {inverse = false}: {inverse?: boolean} = {}): {re: tf.Tensor; im: tf.Tensor} {
  const fn = inverse ? "ifft" : "fft";
  const out = tf.tidy(() => {
    const r = toTensor(re, fn, "re");
    const i = toTensor(im, fn, "im");
    if (r.rank < 1) fail(fn, `re must have rank ≥ 1 (…, N), but got shape ${shapeString(r.shape)}`);
    if (r.shape.join() !== i.shape.join()) fail(fn, `im must have the same shape as re ${shapeString(r.shape)}, but got ${shapeString(i.shape)}`);
    const N = r.shape[r.rank - 1];
    if (!isPowerOfTwo(N)) fail(fn, `re must have a last axis N that is a power of two ≥ 1, but got shape ${shapeString(r.shape)}`);
    const B = r.size / N;
    if (B === 0) return [tf.clone(r), tf.clone(i)];
    let [yr, yi] = fftColumns(toColumns(r, B, N), toColumns(i, B, N), inverse);
    if (inverse && N > 1) [yr, yi] = [tf.mul(yr, 1 / N), tf.mul(yi, 1 / N)];
    return [tf.reshape(toRows(yr), r.shape), tf.reshape(toRows(yi), r.shape)];
  });
  return {re: out[0], im: out[1]};
}

/** Inverse FFT: fft(re, im, {inverse: true}). */
export function ifft(re: TensorLike, im: TensorLike): {re: tf.Tensor; im: tf.Tensor} {
  return fft(re, im, {inverse: true});
}

/**
 * Real linear convolution on tensors already validated: a, b (B, l) → c (B, length),
 * c_k = Σ_j a_j b_{k−j}. Call inside tf.tidy.
 *
 * N = smallest power of two ≥ 2l (so the circular convolution of the zero-padded inputs has
 * no wrap-around). Pack z = a + ib; Z = FFT(z) gives A = (Z_k + conj Z_{N−k})/2 and
 * B = (Z_k − conj Z_{N−k})/(2i), so with Z_k = p + iq and Z_{N−k} = r + is
 *     A·B = (Z_k² − (conj Z_{N−k})²)/(4i) = [(pq + rs)/2] − i[(p² − q² − r² + s²)/4],
 * and c = Re IFFT(A·B) (the 1/N is folded into the product). 2 complex FFTs of size N, ≈ 12
 * elementwise dispatches between them. On webgl and webgpu the same computation runs as the
 * fused programs of ./fftConvGpu.ts (2 dispatches on webgpu, 2⌈log2 N / 5⌉ on webgl).
 */
export function convolveReal(a: tf.Tensor2D, b: tf.Tensor2D, length: number): tf.Tensor2D {
  return convolveRealGpu(a, b, length) ?? convolveRealComposite(a, b, length);
}

/**
 * convolveReal from plain tfjs ops on every backend (the two fftColumns transforms above and
 * ≈ 12 elementwise ops): what convolveReal runs on cpu and wasm, and the composite reference
 * the fused GPU programs (./fftConvGpu.ts) are checked against. Call inside tf.tidy.
 */
export function convolveRealComposite(a: tf.Tensor2D, b: tf.Tensor2D, length: number): tf.Tensor2D {
  const [B, l] = a.shape;
  const N = nextPowerOfTwo(2 * l);
  const pad = (x: tf.Tensor2D) => tf.pad(toColumns(x, B, l), [[0, N - l], [0, 0]]) as tf.Tensor2D; // (N, B)
  const [p, q] = fftColumns(pad(a), pad(b), false); // Z = FFT(a + ib), (N, B) each
  const idx = tf.tensor1d(mirror(N), "int32");
  const r = tf.gather(p, idx), s = tf.gather(q, idx); // Z_{(N−k) mod N}
  const re = tf.mul(tf.add(tf.mul(p, q), tf.mul(r, s)), 0.5 / N);
  const im = tf.mul(tf.sub(tf.mul(tf.sub(p, r), tf.add(p, r)), tf.mul(tf.sub(q, s), tf.add(q, s))), -0.25 / N);
  const [c] = fftColumns(re as tf.Tensor2D, im as tf.Tensor2D, true); // (N, B); imaginary part ≈ 0, unused
  return toRows(tf.slice(c, [0, 0], [length, B])); // (B, length)
}

/**
 * Real linear convolution c_k = Σ_j a_j b_{k−j} by FFT, batched over leading axes.
 *
 * a, b (…, l) same shape, l ≥ 1 → c (…, length), length ∈ [1, 2l − 1] (default 2l − 1, the
 * full convolution; `length: l` is the causal convolution). One packed forward FFT and one
 * inverse FFT of size N = nextPowerOfTwo(2l): O(N log N) work on every backend.
 */
export function rfftConvolve(a: TensorLike, b: TensorLike, {length}: {length?: number} = {}): tf.Tensor {
  const fn = "rfftConvolve";
  return tf.tidy(() => {
    const at = toTensor(a, fn, "a");
    const bt = toTensor(b, fn, "b");
    if (at.rank < 1) fail(fn, `a must have rank ≥ 1 (…, l), but got shape ${shapeString(at.shape)}`);
    if (at.shape.join() !== bt.shape.join()) fail(fn, `b must have the same shape as a ${shapeString(at.shape)}, but got ${shapeString(bt.shape)}`);
    const l = at.shape[at.rank - 1];
    if (l < 1) fail(fn, `a must have a last axis l ≥ 1, but got shape ${shapeString(at.shape)}`);
    const len = length === undefined ? 2 * l - 1 : assertInteger(length, fn, "length", 1, 2 * l - 1);
    const lead = at.shape.slice(0, -1);
    const B = at.size / l;
    if (B === 0) return tf.zeros([...lead, len]);
    const c = convolveReal(tf.reshape(at, [B, l]) as tf.Tensor2D, tf.reshape(bt, [B, l]) as tf.Tensor2D, len);
    return tf.reshape(c, [...lead, len]);
  });
}
