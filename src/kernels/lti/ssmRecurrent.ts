// The recurrent ("RNN") view of a discrete SSM: x_k = Ā x_{k−1} + B̄ u_k, y_k = C x_k.
//
// Algorithm: the recurrence is a prefix scan of the affine steps x ↦ Ā x + B̄ u_k. Because Ā
// is the same at every step, a block of 2ˢ consecutive steps is x ↦ Ā^(2ˢ) x + S, so only
// the offsets S and the powers Ā^(2ˢ) need carrying. We run the odd-even (Blelloch-style)
// recursive scan on the columns of X (n, l), l padded with zeros to a power of two:
//   up-sweep, level s:   S_{s+1}[i] = S_s[2i+1] + Ā^(2ˢ) S_s[2i]        (block sums)
//   down-sweep, level s: X_s[2i+1] = X_{s+1}[i],
//                        X_s[2i]   = S_s[2i] + Ā^(2ˢ) X_{s+1}[i−1]     (X_{s+1}[−1] = 0)
// X_0 holds every state x_k. Each level is one matmul (n, n)(n, l/2ˢ⁺¹) plus reshapes, so
// the work is O(n² l) and the depth O(log l): about 2 log₂ l tf ops, never l of them.
//
// For a small state (n ≤ 8) a chunked form does the same recurrence in about 35 tf ops
// instead of about 140, which is what a slider drag pays for on the cpu backend (per-op
// overhead dominates there; measured 2-4x faster for n ≤ 4, equal at n = 8-16). With chunks
// of s ≈ √l steps, b = 0 … nb−1, and G_m = Ā^m B̄ (m < s):
//   inside chunk b, from a zero state:  x̃_{b,j} = Σ_{i≤j} G_{j−i} u_{b·s+i}
//       — one matmul of the chunks U (nb, s) with the Toeplitz matrix T (s, s·n), T[i, (j, ·)] = G_{j−i};
//   state entering chunk b:             c_b = (Ā^s)^b x₋₁ + Σ_{b'<b} (Ā^s)^{b−1−b'} x̃_{b', s−1}
//       — one matmul with the block-Toeplitz matrix of the powers of Ā^s, (nb·n, nb·n);
//   every state:                        x_{b·s+j} = x̃_{b,j} + Ā^{j+1} c_b.
// Powers of Ā and of Ā^s come from repeated squaring (log₂ s and log₂ nb matmuls). The work
// is O(l·s·n + (nb·n)²), so it is used only while those matrices stay small.
import * as tf from "@tensorflow/tfjs";
import {checkSystem} from "./ssmKernel.js";
import {FUSED_MAX_N, ssmRecurrentGpu} from "./ssmRecurrentGpu.js";
import {assertFinite, assertRank, fail, shapeString, toTensor, type TensorLike} from "../validate.js";

function checkInput(fn: string, u: TensorLike): tf.Tensor1D {
  const ut = toTensor(u, fn, "u");
  assertRank(ut, 1, fn, "u", "(l)");
  if (ut.shape[0] < 1) fail(fn, `u must have length l ≥ 1, but got shape ${shapeString(ut.shape)}`);
  assertFinite(ut, fn, "u");
  return ut as tf.Tensor1D;
}

/** All states as columns: Ab (n, n), X (n, l) holding B̄ u_k (+ Ā x₋₁ in column 0) → (n, l). */
function scanColumns(Ab: tf.Tensor2D, X: tf.Tensor2D): tf.Tensor2D {
  const [n, l] = X.shape;
  let size = 1;
  while (size < l) size *= 2;
  let S: tf.Tensor2D = size > l ? tf.pad(X, [[0, 0], [0, size - l]]) : X; // (n, size)
  const evens: tf.Tensor2D[] = []; // S_s[2i], level by level
  const powers: tf.Tensor2D[] = []; // Ā^(2ˢ)
  let P = Ab;
  while (S.shape[1] > 1) {
    const half = S.shape[1] / 2;
    const pairs = tf.reshape(S, [n, half, 2]); // (n, half, 2)
    const even = tf.reshape(tf.slice(pairs, [0, 0, 0], [n, half, 1]), [n, half]) as tf.Tensor2D;
    const odd = tf.reshape(tf.slice(pairs, [0, 0, 1], [n, half, 1]), [n, half]) as tf.Tensor2D;
    evens.push(even);
    powers.push(P);
    S = tf.add(odd, tf.matMul(P, even)); // (n, half): S_{s+1}
    if (half > 1) P = tf.matMul(P, P);
  }
  let Xs: tf.Tensor2D = S; // (n, 1): the state after all `size` steps
  for (let s = evens.length - 1; s >= 0; s--) {
    const half = Xs.shape[1];
    const prev = half > 1 ? tf.pad(tf.slice(Xs, [0, 0], [n, half - 1]), [[0, 0], [1, 0]]) : tf.zerosLike(Xs); // X_{s+1}[i−1]
    const even = tf.add(evens[s], tf.matMul(powers[s], prev)); // (n, half): X_s[2i]
    Xs = tf.reshape(tf.stack([even, Xs], 2), [n, 2 * half]) as tf.Tensor2D; // (n, 2·half)
  }
  return (size > l ? tf.slice(Xs, [0, 0], [n, l]) : Xs) as tf.Tensor2D; // (n, l)
}

/** Ā^0 … Ā^(m−1) as (m, n, n), by doubling: [P, P·Ā^|P|], about 2 log₂ m tf ops. */
function powers(Ab: tf.Tensor2D, m: number): tf.Tensor3D {
  const n = Ab.shape[0];
  let P = tf.reshape(tf.eye(n), [1, n, n]) as tf.Tensor3D; // (1, n, n)
  let S = Ab; // Ā^(rows of P)
  while (P.shape[0] < m) {
    const k = P.shape[0];
    P = tf.concat([P, tf.matMul(P, tf.tile(tf.reshape(S, [1, n, n]), [k, 1, 1]))], 0) as tf.Tensor3D; // (2k, n, n)
    if (2 * k < m) S = tf.matMul(S, S);
  }
  return tf.slice(P, [0, 0, 0], [m, n, n]);
}

const toeplitzIndex = new Map<string, Int32Array>();
/** Gather indices of T (s, s·n): T[i, j·n + c] = G[j − i, c] for j ≥ i, else the zero at s·n. */
function toeplitzIdx(s: number, n: number): Int32Array {
  const key = `${s},${n}`;
  let idx = toeplitzIndex.get(key);
  if (!idx) {
    idx = new Int32Array(s * s * n);
    for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) for (let c = 0; c < n; c++) {
      idx[(i * s + j) * n + c] = j >= i ? (j - i) * n + c : s * n;
    }
    if (toeplitzIndex.size > 64) toeplitzIndex.clear();
    toeplitzIndex.set(key, idx);
  }
  return idx;
}

const carryIndex = new Map<number, Int32Array>();
/** Gather indices of H (nb, nb): H[b, b'] = power b − 1 − b' for b' < b, else the zero at nb. */
function carryIdx(nb: number): Int32Array {
  let idx = carryIndex.get(nb);
  if (!idx) {
    idx = new Int32Array(nb * nb);
    for (let b = 0; b < nb; b++) for (let q = 0; q < nb; q++) idx[b * nb + q] = q < b ? b - 1 - q : nb;
    if (carryIndex.size > 64) carryIndex.clear();
    carryIndex.set(nb, idx);
  }
  return idx;
}

/** Chunk length s and count nb for the chunked form, or null when it would be too large. */
export function chunking(n: number, l: number): {s: number; nb: number} | null {
  const s = Math.max(1, Math.ceil(Math.sqrt(l)));
  const nb = Math.ceil(l / s);
  if (n > 8 || s * s * n > 1 << 21 || (nb * n) ** 2 > 1 << 21) return null;
  return {s, nb};
}

/** All states (l, n) of x_k = Ā x_{k−1} + B̄ u_k from x₋₁ = x0 by the chunked form above. */
function chunkedStates(Ab: tf.Tensor2D, Bb: tf.Tensor2D, u: tf.Tensor1D, x0: tf.Tensor2D | null, s: number, nb: number): tf.Tensor2D {
  const n = Ab.shape[0];
  const l = u.shape[0];
  const size = s * nb;
  const P = powers(Ab, s + 1); // (s+1, n, n): Ā^0 … Ā^s
  const G = tf.matMul(tf.reshape(tf.slice(P, [0, 0, 0], [s, n, n]), [s * n, n]), Bb); // (s·n, 1): G_m = Ā^m B̄
  const Gz = tf.concat([tf.reshape(G, [s * n]), tf.zeros([1])]); // (s·n + 1), a zero at the end
  const T = tf.reshape(tf.gather(Gz, tf.tensor1d(toeplitzIdx(s, n), "int32")), [s, s * n]); // (s, s·n)
  const U = tf.reshape(tf.pad(u, [[0, size - l]]), [nb, s]); // (nb, s)
  const Xloc = tf.reshape(tf.matMul(U, T), [nb, s, n]); // (nb, s, n): states from a zero start
  const e = tf.reshape(tf.slice(Xloc, [0, s - 1, 0], [nb, 1, n]), [nb * n, 1]); // (nb·n, 1): chunk ends
  const As = tf.reshape(tf.slice(P, [s, 0, 0], [1, n, n]), [n, n]) as tf.Tensor2D; // Ā^s
  const Q = powers(As, nb); // (nb, n, n): (Ā^s)^0 … (Ā^s)^(nb−1)
  const Qz = tf.concat([Q, tf.zeros([1, n, n])], 0); // (nb+1, n, n)
  const H = tf.reshape(tf.gather(Qz, tf.tensor1d(carryIdx(nb), "int32")), [nb, nb, n, n]); // H[b, b']
  const Hm = tf.reshape(tf.transpose(H, [0, 2, 1, 3]), [nb * n, nb * n]); // rows (b, i), cols (b', k)
  let c = tf.reshape(tf.matMul(Hm, e), [nb, n]); // (nb, n): carries from earlier chunks
  if (x0) c = tf.add(c, tf.reshape(tf.matMul(tf.reshape(Q, [nb * n, n]), x0), [nb, n])); // + (Ā^s)^b x₋₁
  const Pj = tf.reshape(tf.slice(P, [1, 0, 0], [s, n, n]), [s * n, n]); // rows (j, i): Ā^(j+1)
  const corr = tf.reshape(tf.matMul(c, Pj, false, true), [nb, s, n]); // Ā^(j+1) c_b
  const X = tf.reshape(tf.add(Xloc, corr), [size, n]); // (size, n)
  return (size > l ? tf.slice(X, [0, 0], [l, n]) : X) as tf.Tensor2D; // (l, n)
}

/**
 * Every state of the discrete SSM  x_k = Ā x_{k−1} + B̄ u_k,  k = 0 … l−1,  with
 * x_{−1} = x0 (default 0). So x_k = Ā^(k+1) x0 + Σ_{j≤k} Ā^(k−j) B̄ u_j: with u = 0 the
 * rows are Ā x0, Ā² x0, …, i.e. the state one step after x0 comes first. To plot a
 * trajectory that starts at x0, prepend x0 yourself.
 *
 * Ab (n, n), Bb (n, 1), u (l), x0 (n) or (n, 1) → (l, n), float32.
 * `algorithm`: "auto" (chunked for n ≤ 8, else the odd-even scan), or either one forced
 * (for tests and benchmarks; both compute the same recurrence).
 */
export function ssmStates(
  Ab: TensorLike, Bb: TensorLike, u: TensorLike, x0?: TensorLike,
  {algorithm = "auto"}: {algorithm?: "auto" | "scan" | "chunked"} = {}
): tf.Tensor2D {
  const fn = "ssmStates";
  return tf.tidy(() => {
    const s = checkSystem(fn, Ab, Bb, null);
    const ut = checkInput(fn, u); // (l)
    const l = ut.shape[0];
    let x0t: tf.Tensor2D | null = null;
    if (x0 !== undefined) {
      const x = toTensor(x0, fn, "x0");
      const ok = (x.rank === 1 && x.shape[0] === s.n) || (x.rank === 2 && x.shape[0] === s.n && x.shape[1] === 1);
      if (!ok) fail(fn, `x0 must have shape (n) or (n, 1) with n = ${s.n}, but got ${shapeString(x.shape)}`);
      assertFinite(x, fn, "x0");
      x0t = tf.reshape(x, [s.n, 1]) as tf.Tensor2D; // (n, 1)
    }
    if (algorithm !== "auto" && algorithm !== "scan" && algorithm !== "chunked") {
      fail(fn, `algorithm must be "auto", "scan" or "chunked", got ${String(algorithm)}`);
    }
    const chunks = algorithm === "scan" ? null : chunking(s.n, l);
    if (algorithm === "chunked" && !chunks) fail(fn, `the chunked algorithm needs n ≤ 8 and moderate l, got n = ${s.n}, l = ${l}`);
    if (chunks) return chunkedStates(s.Ab as tf.Tensor2D, s.Bb as tf.Tensor2D, ut, x0t, chunks.s, chunks.nb);
    let X = tf.matMul(s.Bb, tf.reshape(ut, [1, l])) as tf.Tensor2D; // (n, l): B̄ u_k
    if (x0t) X = tf.add(X, tf.pad(tf.matMul(s.Ab, x0t), [[0, 0], [0, l - 1]])); // column 0 += Ā x0
    return tf.transpose(scanColumns(s.Ab, X)); // (l, n)
  });
}

/**
 * Output of the discrete SSM by its recurrence:
 *   x_k = Ā x_{k−1} + B̄ u_k,  y_k = C x_k,  x_{−1} = 0.
 *
 * Ab (n, n), Bb (n, 1), C (1, n), u (l) → y (l), float32. Equal (up to rounding) to
 * causalConv(u, ssmKernel(Ab, Bb, C, l)). On webgl and webgpu the chunked form runs as the
 * fused programs of ./ssmRecurrentGpu.ts where they measured faster (useFusedRecurrence;
 * n ≤ FUSED_MAX_N; one dispatch on webgpu, four on webgl); elsewhere as ssmRecurrentComposite.
 */
export function ssmRecurrent(Ab: TensorLike, Bb: TensorLike, C: TensorLike, u: TensorLike): tf.Tensor1D {
  const fn = "ssmRecurrent";
  return tf.tidy(() => {
    const s = checkSystem(fn, Ab, Bb, C);
    const ut = checkInput(fn, u); // (l)
    return ssmRecurrentGpu(s.Ab as tf.Tensor2D, s.Bb, s.C as tf.Tensor, ut) ?? recurrentComposite(s.Ab as tf.Tensor2D, s.Bb as tf.Tensor2D, s.C as tf.Tensor2D, ut);
  });
}

/**
 * ssmRecurrent by the fused GPU programs (./ssmRecurrentGpu.ts) whatever the crossovers say:
 * for tests and benchmarks. Same arguments and result; throws on cpu and wasm and for
 * n > FUSED_MAX_N.
 */
export function ssmRecurrentFused(Ab: TensorLike, Bb: TensorLike, C: TensorLike, u: TensorLike): tf.Tensor1D {
  const fn = "ssmRecurrentFused";
  return tf.tidy(() => {
    const s = checkSystem(fn, Ab, Bb, C);
    const y = ssmRecurrentGpu(s.Ab as tf.Tensor2D, s.Bb, s.C as tf.Tensor, checkInput(fn, u), true);
    if (!y) fail(fn, `has no fused program on the ${tf.getBackend()} backend for n = ${s.n} (webgl and webgpu, n ≤ ${FUSED_MAX_N})`);
    return y;
  });
}

/**
 * ssmRecurrent from plain tfjs ops on every backend: the chunked form for n ≤ 8, the
 * odd-even scan otherwise (see the header). What ssmRecurrent runs on cpu and wasm, and the
 * composite the fused GPU programs are checked against. Same arguments and result.
 */
export function ssmRecurrentComposite(Ab: TensorLike, Bb: TensorLike, C: TensorLike, u: TensorLike): tf.Tensor1D {
  const fn = "ssmRecurrentComposite";
  return tf.tidy(() => {
    const s = checkSystem(fn, Ab, Bb, C);
    return recurrentComposite(s.Ab as tf.Tensor2D, s.Bb as tf.Tensor2D, s.C as tf.Tensor2D, checkInput(fn, u));
  });
}

function recurrentComposite(Ab: tf.Tensor2D, Bb: tf.Tensor2D, C: tf.Tensor2D, u: tf.Tensor1D): tf.Tensor1D {
  const n = Ab.shape[0];
  const l = u.shape[0];
  const chunks = chunking(n, l);
  if (chunks) {
    const states = chunkedStates(Ab, Bb, u, null, chunks.s, chunks.nb); // (l, n)
    return tf.reshape(tf.matMul(states, C, false, true), [l]) as tf.Tensor1D; // (l)
  }
  const X = tf.matMul(Bb, tf.reshape(u, [1, l])) as tf.Tensor2D; // (n, l): B̄ u_k
  return tf.reshape(tf.matMul(C, scanColumns(Ab, X)), [l]) as tf.Tensor1D; // (l)
}
