// Causal convolution y_k = Σ_{j=0..k} K_j u_{k−j} (the convolutional view of an LTI SSM).
//
// Algorithms, all exported so that benchmarks can compare them:
//   causalConvFFT     zero-pad u and K to N ≥ 2l (a power of two, so the circular
//                     convolution has no wrap-around) and take the first l outputs of the
//                     circular convolution, by the site's own FFT (./fft.ts: Stockham radix-2
//                     from plain real tfjs ops, u and K packed as one complex input, so two
//                     complex FFTs of size N in all). O(l log l) work on every backend (cpu,
//                     wasm, webgl, webgpu).
//   causalConvTfSpectral  the same with tf.spectral.rfft/irfft: a radix-2 FFT on the cpu
//                     backend (but slow: ~1 s per transform at N = 32768), a naive O(N²) DFT
//                     on webgl/webgpu (see docs/toolchain.md), and unavailable on wasm (no Complex
//                     kernel). Kept for the benchmark comparison only.
//   causalConvDirect  O(l²) work as one matmul of block-Toeplitz matrices, memory O(l^1.5):
//                     with blocks of b ≈ √l samples, U_i (b) = u[i·b … i·b+b−1] and the b×b
//                     Toeplitz blocks T_d[r][c] = K[d·b + r − c] (0 where the index < 0),
//                     Y_i = Σ_{d≤i} T_d U_{i−d}, i.e. Y (b, nb) = [T_0 … T_{nb−1}] (b, nb·b)
//                     × Û (nb·b, nb) with Û[(d, c), i] = U_{i−d}[c] (0 when i < d).
// On webgl and webgpu causalConvFFT runs as the fused programs of ../linalg/fftConvGpu.ts
// (2 dispatches on webgpu, 2⌈log2 N / 5⌉ on webgl) instead of ~16·log2 N small ops per
// transform; causalConvFFTComposite keeps the composite form on every backend.
// `causalConv` uses the FFT on every backend, and the direct form below DIRECT_MAX_L (see
// there for the measured crossovers).
import * as tf from "@tensorflow/tfjs";
import {convolveReal, convolveRealComposite} from "../linalg/fft.js";
import {convolveRealGpu} from "../linalg/fftConvGpu.js";
import {pathKey} from "../gpu.js";
import {assertFinite, assertRank, fail, shapeString, toTensor, type TensorLike} from "../validate.js";

/**
 * Per backend (pathKey(): "webgl-software"/"webgpu-software" when the GPU is emulated), the
 * largest l for which `causalConv` uses the direct form instead of the FFT. Medians, 2 shared
 * cores (noisy), steady state after a warm-up call, ms:
 *   Node (bench/fft-quick.mjs), the composite FFT (cpu and wasm have no fused program)
 *     cpu     l = 256: FFT 4.1 vs direct 0.9;   l = 1024: 10.5 vs 12.5;  l = 4096: 69 vs 155
 *     wasm    l = 1024: FFT 13.5 vs direct 3.2;  l = 4096: 24 vs 44;      l = 16384: 32 vs 402
 *   headless Chromium, SwiftShader, the fused FFT programs (2026-12, after they landed)
 *     webgpu  l = 64: FFT 3.7 vs direct 30.6 (first-call noise); 128: 4.1 vs 4.6; 256: 5.3 vs 5.7;
 *             512: 4.5 vs 22.4; 1024: 4.9 vs 21.2; 2048: 5.9 vs 221; 4096: 8.7 vs 832
 *     webgl   l = 1024: FFT 28 vs direct 10.7;  2048: 54 vs 31;  4096: 218 vs 60;  16384: 380–420 vs 616
 * so the crossover is 256–1024 on cpu, 1024–4096 on wasm, ≤ 128 on webgpu, 4096–16384 on
 * webgl (software: arithmetic costs more there than the extra passes). No hardware webgl was
 * measured: it keeps the software numbers (conservative for the FFT, which a hardware GPU
 * runs relatively faster). On a hardware webgpu the FFT is two dispatches against the direct
 * form's gathers and matmul (several dispatches and O(l²) work), so its crossover is ≤ 128 too.
 */
export const DIRECT_MAX_L: Readonly<Record<string, number>> = {
  cpu: 512, wasm: 2048, webgpu: 128, "webgpu-software": 128, webgl: 8192, "webgl-software": 8192
};
export const DIRECT_MAX_L_DEFAULT = 512;

function checkArgs(fn: string, u: TensorLike, K: TensorLike): {ut: tf.Tensor1D; Kt: tf.Tensor1D; l: number} {
  const ut = toTensor(u, fn, "u");
  const Kt = toTensor(K, fn, "K");
  assertRank(ut, 1, fn, "u", "(l)");
  assertRank(Kt, 1, fn, "K", "(l)");
  const l = ut.shape[0];
  if (l < 1) fail(fn, `u must have length l ≥ 1, but got shape ${shapeString(ut.shape)}`);
  if (Kt.shape[0] !== l) fail(fn, `K must have the same length as u (l = ${l}), but got shape ${shapeString(Kt.shape)}`);
  assertFinite(ut, fn, "u");
  assertFinite(Kt, fn, "K");
  return {ut: ut as tf.Tensor1D, Kt: Kt as tf.Tensor1D, l};
}

/**
 * Causal convolution by the site's FFT (../linalg/fft.ts): first l outputs of the linear
 * convolution; the fused GPU programs on webgl/webgpu unless `composite`.
 */
function fftConv(u: tf.Tensor1D, K: tf.Tensor1D, l: number, composite = false): tf.Tensor1D {
  const conv = composite ? convolveRealComposite : convolveReal;
  return tf.reshape(conv(tf.reshape(u, [1, l]) as tf.Tensor2D, tf.reshape(K, [1, l]) as tf.Tensor2D, l), [l]) as tf.Tensor1D;
}

function tfSpectralConv(u: tf.Tensor1D, K: tf.Tensor1D, l: number): tf.Tensor1D {
  let N = 1;
  while (N < 2 * l) N *= 2;
  const Uf = tf.spectral.rfft(tf.reshape(tf.pad(u, [[0, N - l]]), [1, N])); // (1, N/2+1) complex
  const Kf = tf.spectral.rfft(tf.reshape(tf.pad(K, [[0, N - l]]), [1, N])); // (1, N/2+1) complex
  const [ur, ui, kr, ki] = [tf.real(Uf), tf.imag(Uf), tf.real(Kf), tf.imag(Kf)];
  const re = tf.sub(tf.mul(ur, kr), tf.mul(ui, ki));
  const im = tf.add(tf.mul(ur, ki), tf.mul(ui, kr));
  const y = tf.spectral.irfft(tf.complex(re, im)); // (1, N)
  return tf.reshape(tf.slice(y, [0, 0], [1, l]), [l]) as tf.Tensor1D; // (l)
}

function directConv(u: tf.Tensor1D, K: tf.Tensor1D, l: number): tf.Tensor1D {
  const b = Math.ceil(Math.sqrt(l)); // block size
  const nb = Math.ceil(l / b); // number of blocks
  const size = nb * b;
  // Gather sources with one trailing zero at index `size` for out-of-range entries.
  const Kz = tf.pad(K, [[0, size - l + 1]]); // (size + 1)
  const uz = tf.pad(u, [[0, size - l + 1]]); // (size + 1)
  const tIdx = new Int32Array(b * nb * b); // [T_0 … T_{nb−1}] (b, nb·b)
  for (let r = 0; r < b; r++) {
    for (let d = 0; d < nb; d++) {
      for (let c = 0; c < b; c++) {
        const k = d * b + r - c;
        tIdx[(r * nb + d) * b + c] = k < 0 ? size : k;
      }
    }
  }
  const uIdx = new Int32Array(nb * b * nb); // Û (nb·b, nb)
  for (let d = 0; d < nb; d++) {
    for (let c = 0; c < b; c++) {
      for (let i = 0; i < nb; i++) uIdx[(d * b + c) * nb + i] = i < d ? size : (i - d) * b + c;
    }
  }
  const T = tf.reshape(tf.gather(Kz, tf.tensor1d(tIdx, "int32")), [b, nb * b]); // (b, nb·b)
  const U = tf.reshape(tf.gather(uz, tf.tensor1d(uIdx, "int32")), [nb * b, nb]); // (nb·b, nb)
  const Y = tf.matMul(T, U as tf.Tensor2D); // (b, nb): Y[r, i] = y[i·b + r]
  return tf.slice(tf.reshape(tf.transpose(Y), [size]), [0], [l]) as tf.Tensor1D; // (l)
}

/**
 * Causal convolution by FFT (the site's own, ./fft.ts), zero-padded to N ≥ 2l.
 * u (l), K (l) → y (l). O(l log l) work on every backend.
 */
export function causalConvFFT(u: TensorLike, K: TensorLike): tf.Tensor1D {
  return tf.tidy(() => {
    const {ut, Kt, l} = checkArgs("causalConvFFT", u, K);
    return fftConv(ut, Kt, l);
  });
}

/**
 * causalConvFFT by the fused GPU programs (../linalg/fftConvGpu.ts) whatever the crossovers
 * say: for tests and benchmarks. u (l), K (l) → y (l). Throws on cpu and wasm.
 */
export function causalConvFFTFused(u: TensorLike, K: TensorLike): tf.Tensor1D {
  return tf.tidy(() => {
    const {ut, Kt, l} = checkArgs("causalConvFFTFused", u, K);
    const y = convolveRealGpu(tf.reshape(ut, [1, l]) as tf.Tensor2D, tf.reshape(Kt, [1, l]) as tf.Tensor2D, l);
    if (!y) fail("causalConvFFTFused", `has no fused program on the ${tf.getBackend()} backend (webgl and webgpu only)`);
    return tf.reshape(y, [l]) as tf.Tensor1D;
  });
}

/**
 * causalConvFFT from plain tfjs ops on every backend (the site's FFT as ~16·log2 N small ops
 * per transform): what causalConvFFT runs on cpu and wasm, and the composite the fused GPU
 * programs are checked against. u (l), K (l) → y (l).
 */
export function causalConvFFTComposite(u: TensorLike, K: TensorLike): tf.Tensor1D {
  return tf.tidy(() => {
    const {ut, Kt, l} = checkArgs("causalConvFFTComposite", u, K);
    return fftConv(ut, Kt, l, true);
  });
}

/**
 * Causal convolution by tfjs's tf.spectral.rfft/irfft, zero-padded to N ≥ 2l (for benchmark
 * comparison). u (l), K (l) → y (l). Throws on backends without complex kernels (wasm); a
 * naive O(N²) DFT on webgl/webgpu.
 */
export function causalConvTfSpectral(u: TensorLike, K: TensorLike): tf.Tensor1D {
  return tf.tidy(() => {
    const {ut, Kt, l} = checkArgs("causalConvTfSpectral", u, K);
    return tfSpectralConv(ut, Kt, l);
  });
}

/**
 * Causal convolution computed directly (block-Toeplitz matmul, O(l²) work, no FFT).
 * u (l), K (l) → y (l).
 */
export function causalConvDirect(u: TensorLike, K: TensorLike): tf.Tensor1D {
  return tf.tidy(() => {
    const {ut, Kt, l} = checkArgs("causalConvDirect", u, K);
    return directConv(ut, Kt, l);
  });
}

/**
 * Causal convolution  y_k = Σ_{j=0..k} K_j u_{k−j}.
 *
 * u (l), K (l) → y (l), float32. The site's FFT (zero-padded to N ≥ 2l, O(l log l)) on every
 * backend; the direct block-Toeplitz matmul for l ≤ DIRECT_MAX_L[backend], where it measured faster.
 */
export function causalConv(u: TensorLike, K: TensorLike): tf.Tensor1D {
  return tf.tidy(() => {
    const {ut, Kt, l} = checkArgs("causalConv", u, K);
    const maxDirect = DIRECT_MAX_L[pathKey()] ?? DIRECT_MAX_L_DEFAULT;
    return l <= maxDirect ? directConv(ut, Kt, l) : fftConv(ut, Kt, l);
  });
}
