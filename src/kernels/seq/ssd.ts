// Mamba-2's state space duality (SSD): Dao & Gu (2024), "Transformers are SSMs: Generalized
// Models and Efficient Algorithms Through Structured State Space Duality". The chunked form
// follows Listing 1 of the paper, `ssd_minimal_discrete` in state-spaces/mamba
// (mamba_ssm/modules/ssd_minimal.py), with one group of B, C per head.
//
// Glossary: b batch, l length, h heads, p head dim, n state size; x (b,l,h,p) input;
// a (b,l,h) = ΔA ≤ 0 the log-decay (A a scalar < 0 per head, Δ > 0 per token); B, C (b,l,h,n);
// S (b,h,p,n) the state. One recurrence, three equal ways to compute it:
//
//   recurrent   S_t = exp(a_t) S_{t−1} + x_t B_tᵀ,   y_t = S_t C_t                 (ssdRecurrent)
//   quadratic   y = (L ∘ C Bᵀ) x,  L_ts = exp(a_{s+1} + … + a_t) for s ≤ t, else 0  (ssdQuadratic)
//               L is 1-semiseparable: every block below the diagonal has rank 1, so this is
//               masked (linear) attention with C as queries, B as keys, x as values
//   chunked     split l into chunks of length c and use the quadratic form inside each
//               chunk and the recurrence between chunks (ssd):
//                 1. intra-chunk outputs   Y_diag = (L_chunk ∘ C Bᵀ) x            (diagonal blocks)
//                 2. chunk states          s_k = Σ_t exp(a_{t+1}+…+a_end) x_t B_tᵀ  (B factors)
//                 3. inter-chunk recurrence  S_k = exp(Σ_chunk a) S_{k−1} + s_k     (A factors)
//                 4. state → output        Y_off_t = exp(a_start+…+a_t) S_{k−1} C_t  (C factors)
//                 y = Y_diag + Y_off
//
// Segment sums a_{s+1} + … + a_t are formed as masked cumulative sums ("segsum" of the
// reference), never as differences of two long cumulative sums, and exp is only taken of
// values ≤ 0 (above the diagonal the sums are exactly 0 and masked out), so nothing overflows.
//
// Any l and any chunk: l is padded up to a multiple of the chunk with a = 0 (no decay) and
// x = B = C = 0 (no input, no output), which leaves every real output and the final state
// unchanged; a chunk longer than l is clamped to l (one chunk, same answer).
//
// Duality with the selective scan (Gu & Dao 2023, Mamba's S6, selectiveScan here): a selective
// SSM whose A is one scalar per channel is SSD with one head per channel and p = 1:
//   h ← d, x_t = Δ_t u_t, a_t = Δ_t A_d, B and C shared by the heads (selectiveToSsd).
import * as tf from "@tensorflow/tfjs";
import {assertInteger, assertRank, assertShape, assertValues, fail, toTensor, type TensorLike} from "../validate.js";
import {scanPairs} from "./linearScan.js";

export interface SsdOptions {
  /** chunk length c ≥ 1 (default 64); any value gives the same answer */
  chunk?: number;
  /** (b, h, p, n): the state before step 0 (default zeros) */
  initialState?: TensorLike | null;
}
export type SsdResult = {
  /** (b, l, h, p) */
  y: tf.Tensor;
  /** (b, h, p, n): S after the last step */
  finalState: tf.Tensor;
};
/** The chunked algorithm step by step (ssdSteps), for drawing. */
export type SsdSteps = SsdResult & {
  /** the chunk length used (min(chunk, l)), the number of chunks, the zero steps padded at the end */
  chunk: number; chunks: number; padded: number;
  /** (b, h, chunks, c, c): L inside each chunk (the diagonal blocks of the full L) */
  L: tf.Tensor;
  /** (b, l, h, p): step 1, the intra-chunk outputs */
  yDiag: tf.Tensor;
  /** (b, chunks, h, p, n): step 2, each chunk's state from its own inputs (starting at 0) */
  chunkStates: tf.Tensor;
  /** (b, h, chunks): exp(sum of a over the chunk), the decay step 3 applies across a chunk */
  chunkDecay: tf.Tensor;
  /** (b, chunks, h, p, n): step 3, the true state before each chunk (chunk 0: the initial state) */
  startStates: tf.Tensor;
  /** (b, l, h, p): step 4, each step's output from the state before its chunk */
  yOff: tf.Tensor;
};

/** Validated SSD arguments as float32 tensors and their sizes. */
export interface SsdArgs {
  x: tf.Tensor; a: tf.Tensor; B: tf.Tensor; C: tf.Tensor; S0: tf.Tensor | null;
  nb: number; l: number; h: number; p: number; n: number;
}

/** Converts and validates SSD arguments (call inside a tidy). */
export function ssdArgs(fn: string, x: TensorLike, a: TensorLike, B: TensorLike, C: TensorLike, initialState: TensorLike | null | undefined): SsdArgs {
  const xt = toTensor(x, fn, "x");
  assertRank(xt, 4, fn, "x", "(b,l,h,p)");
  const [nb, l, h, p] = xt.shape as number[];
  if (nb < 1 || l < 1 || h < 1 || p < 1) fail(fn, `x must have b, l, h, p ≥ 1, but got shape (${xt.shape.join(",")})`);
  const at = toTensor(a, fn, "a");
  assertShape(at, [nb, l, h], fn, "a", "(b,l,h)");
  const Bt = toTensor(B, fn, "B");
  assertRank(Bt, 4, fn, "B", "(b,l,h,n)");
  assertShape(Bt, [nb, l, h, null], fn, "B", "(b,l,h,n)");
  const n = Bt.shape[3] as number;
  if (n < 1) fail(fn, `B must have n ≥ 1, but got shape (${Bt.shape.join(",")})`);
  const Ct = toTensor(C, fn, "C");
  assertShape(Ct, [nb, l, h, n], fn, "C", "(b,l,h,n)");
  const S0 = initialState == null ? null : toTensor(initialState, fn, "initialState");
  if (S0) assertShape(S0, [nb, h, p, n], fn, "initialState", "(b,h,p,n)");
  assertValues(fn, [[xt, "x", "finite"], [at, "a", "nonpositive"], [Bt, "B", "finite"], [Ct, "C", "finite"],
    ...(S0 ? [[S0, "initialState", "finite"] as [tf.Tensor, string, "finite"]] : [])]);
  return {x: xt, a: at, B: Bt, C: Ct, S0, nb, l, h, p, n};
}

function checkOpts(opts: unknown, fn: string): SsdOptions {
  if (opts != null && typeof opts !== "object") fail(fn, `opts must be an object, got ${typeof opts}`);
  return (opts ?? {}) as SsdOptions;
}

// ---------------------------------------------------------------- segment sums and the mask

/**
 * exp(segsum(x)) with zeros above the diagonal, from the stable masked cumsum:
 * x (…, T) → (…, T, T), out[…, t, s] = exp(x_{s+1} + … + x_t) for s ≤ t, 0 for s > t.
 * On validated tensors (inside a tidy); x ≤ 0 keeps every exp ≤ 1.
 */
export function expSegsum(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.exp(segsumLower(x)), lowerMask(x.shape[x.rank - 1] as number)); // (…, T, T)
}

/** (T, T): 1 for s ≤ t (on and below the diagonal), 0 above. */
function lowerMask(T: number): tf.Tensor {
  return tf.linalg.bandPart(tf.ones([T, T]), -1, 0);
}

/**
 * x (…, T) → (…, T, T): x_{s+1} + … + x_t below the diagonal, exactly 0 on and above it.
 * Built as its transpose, U[…, s, t] = x_t for t > s, cumulated along t, then the last two
 * axes swapped: the cumsum runs along the last axis because tfjs 4.22's Cumsum gradient is
 * wrong along any other (it transposes its result: a shape error, or for the square (T, T)
 * blocks here a silently wrong gradient).
 */
function segsumLower(x: tf.Tensor): tf.Tensor {
  const T = x.shape[x.rank - 1] as number;
  const strictUpper = tf.cast(tf.sub(tf.linalg.bandPart(tf.ones([T, T]), 0, -1), tf.eye(T)), "bool"); // (T, T) s < t
  const U = tf.where(strictUpper, tf.broadcastTo(tf.expandDims(x, -2), [...x.shape.slice(0, -1), T, T]), 0); // (…, T, T)
  const perm = [...Array(x.rank - 1).keys(), x.rank, x.rank - 1];
  return tf.transpose(tf.cumsum(U, x.rank), perm); // (…, T, T)
}

/**
 * Segment sums of x along its last axis, as `segsum` in the reference: (…, T) → (…, T, T),
 * out[…, t, s] = x_{s+1} + … + x_t for s ≤ t (0 on the diagonal) and −∞ above it.
 * Computed by masked cumulative sums, never by differences of long cumulative sums.
 */
export function segsum(x: TensorLike): tf.Tensor {
  const fn = "segsum";
  return tf.tidy(() => {
    const xt = toTensor(x, fn, "x");
    if (xt.rank < 1 || xt.shape[xt.rank - 1] < 1) fail(fn, `x must have rank ≥ 1 and a last axis of length ≥ 1, but got shape (${xt.shape.join(",")})`);
    assertValues(fn, [[xt, "x", "finite"]]);
    const ss = segsumLower(xt);
    return tf.where(tf.cast(lowerMask(xt.shape[xt.rank - 1] as number), "bool"), ss, tf.fill(ss.shape, -Infinity));
  });
}

/**
 * The 1-semiseparable mask of SSD for log-decays a ≤ 0: a (…, l) → L (…, l, l),
 * L_ts = exp(a_{s+1} + … + a_t) = Π_{r=s+1..t} exp(a_r) for s ≤ t (1 on the diagonal), 0 above.
 * With a constant a = log γ this is RetNet's decay mask γ^{t−s} (decayMask).
 */
export function semiseparableMask(a: TensorLike): tf.Tensor {
  const fn = "semiseparableMask";
  return tf.tidy(() => {
    const at = toTensor(a, fn, "a");
    if (at.rank < 1 || at.shape[at.rank - 1] < 1) fail(fn, `a must have rank ≥ 1 and a last axis of length ≥ 1, but got shape (${at.shape.join(",")})`);
    assertValues(fn, [[at, "a", "nonpositive"]]);
    return expSegsum(at);
  });
}

/**
 * SSD's matrix M = L ∘ (C Bᵀ) per batch and head: y = M x (with a zero initial state).
 * a (b, l, h); B, C (b, l, h, n) → M (b, h, l, l), M_ts = (C_t · B_s) L_ts.
 */
export function ssdMatrix(a: TensorLike, B: TensorLike, C: TensorLike): tf.Tensor {
  const fn = "ssdMatrix";
  return tf.tidy(() => {
    const at = toTensor(a, fn, "a");
    assertRank(at, 3, fn, "a", "(b,l,h)");
    const [nb, l, h] = at.shape as number[];
    const Bt = toTensor(B, fn, "B");
    assertRank(Bt, 4, fn, "B", "(b,l,h,n)");
    assertShape(Bt, [nb, l, h, null], fn, "B", "(b,l,h,n)");
    const Ct = toTensor(C, fn, "C");
    assertShape(Ct, Bt.shape as number[], fn, "C", "(b,l,h,n)");
    if (nb < 1 || l < 1 || h < 1 || (Bt.shape[3] as number) < 1) fail(fn, `a must have b, l, h ≥ 1 and B n ≥ 1, but got shapes (${at.shape.join(",")}) and (${Bt.shape.join(",")})`);
    assertValues(fn, [[at, "a", "nonpositive"], [Bt, "B", "finite"], [Ct, "C", "finite"]]);
    const n = Bt.shape[3] as number;
    const L = expSegsum(tf.transpose(at, [0, 2, 1])); // (b, h, l, l)
    const Bh = tf.reshape(tf.transpose(Bt, [0, 2, 1, 3]), [nb * h, l, n]);
    const Ch = tf.reshape(tf.transpose(Ct, [0, 2, 1, 3]), [nb * h, l, n]);
    return tf.mul(tf.reshape(tf.matMul(Ch, Bh, false, true), [nb, h, l, l]), L); // (b, h, l, l)
  });
}

// ---------------------------------------------------------------- the three forms

/** Heads folded into the batch: x (b·h, l, p), a (b·h, l), B, C (b·h, l, n), S0 (b·h, p, n) or null. */
function headMajor(s: SsdArgs): {X: tf.Tensor; A: tf.Tensor; Bh: tf.Tensor; Ch: tf.Tensor; S0: tf.Tensor | null} {
  const {nb, l, h, p, n} = s;
  return {
    X: tf.reshape(tf.transpose(s.x, [0, 2, 1, 3]), [nb * h, l, p]),
    A: tf.reshape(tf.transpose(s.a, [0, 2, 1]), [nb * h, l]),
    Bh: tf.reshape(tf.transpose(s.B, [0, 2, 1, 3]), [nb * h, l, n]),
    Ch: tf.reshape(tf.transpose(s.C, [0, 2, 1, 3]), [nb * h, l, n]),
    S0: s.S0 ? tf.reshape(s.S0, [nb * h, p, n]) : null
  };
}

/** (b·h, l, p) back to (b, l, h, p). */
function fromHeadMajor(Y: tf.Tensor, nb: number, h: number, l: number, p: number): tf.Tensor {
  return tf.transpose(tf.reshape(Y, [nb, h, l, p]), [0, 2, 1, 3]);
}

/** The chunked algorithm on validated arguments (inside a tidy); with steps, every intermediate. */
export function ssdChunkedOf(s: SsdArgs, chunk: number, steps: true): SsdSteps;
export function ssdChunkedOf(s: SsdArgs, chunk: number, steps?: false): SsdResult;
export function ssdChunkedOf(s: SsdArgs, chunk: number, steps = false): SsdResult | SsdSteps {
  const {nb, l, h, p, n} = s;
  const c = Math.min(chunk, l);
  const nc = Math.ceil(l / c);
  const lp = nc * c;
  const pad = lp - l;
  const bh = nb * h;
  let {X, A, Bh, Ch, S0} = headMajor(s);
  if (pad > 0) {
    // a = 0 and x = B = C = 0 on the padded steps: no decay, no input, no output
    X = tf.pad(X, [[0, 0], [0, pad], [0, 0]]);
    A = tf.pad(A, [[0, 0], [0, pad]]);
    Bh = tf.pad(Bh, [[0, 0], [0, pad], [0, 0]]);
    Ch = tf.pad(Ch, [[0, 0], [0, pad], [0, 0]]);
  }
  X = tf.reshape(X, [bh * nc, c, p]); // (b·h·nc, c, p)
  A = tf.reshape(A, [bh * nc, c]); // (b·h·nc, c)
  Bh = tf.reshape(Bh, [bh * nc, c, n]); // (b·h·nc, c, n)
  Ch = tf.reshape(Ch, [bh * nc, c, n]); // (b·h·nc, c, n)
  const Acs = tf.cumsum(A, 1); // (b·h·nc, c) a_start + … + a_t inside each chunk

  // 1. intra-chunk outputs (the diagonal blocks): (L ∘ C Bᵀ) x per chunk
  const L = expSegsum(A); // (b·h·nc, c, c)
  const Ydiag = tf.matMul(tf.mul(tf.matMul(Ch, Bh, false, true), L), X); // (b·h·nc, c, p)

  // 2. each chunk's state from its own inputs: Σ_t exp(a_{t+1} + … + a_end) x_t B_tᵀ.
  //    The decays are L's last row (= exp(Acs_end − Acs_t), formed without the difference).
  const decayStates = tf.reshape(tf.slice(L, [0, c - 1, 0], [bh * nc, 1, c]), [bh * nc, c, 1]); // (b·h·nc, c, 1)
  const states = tf.matMul(tf.mul(X, decayStates), Bh, true, false); // (b·h·nc, p, n)

  // 3. inter-chunk recurrence S_k = exp(Σ_chunk a) S_{k−1} + s_k, all at once through the
  //    semiseparable matrix of the chunk sums (nc + 1 states: the initial one first)
  const chunkSum = tf.reshape(tf.slice(Acs, [0, c - 1], [bh * nc, 1]), [bh, nc]); // (b·h, nc)
  const init = S0 ? tf.reshape(S0, [bh, 1, p * n]) : tf.zeros([bh, 1, p * n]);
  const allStates = tf.concat([init, tf.reshape(states, [bh, nc, p * n])], 1); // (b·h, nc+1, p·n)
  const decayChunk = expSegsum(tf.pad(chunkSum, [[0, 0], [1, 0]])); // (b·h, nc+1, nc+1)
  const newStates = tf.matMul(decayChunk, allStates); // (b·h, nc+1, p·n)
  const starts = tf.reshape(tf.slice(newStates, [0, 0, 0], [bh, nc, p * n]), [bh * nc, p, n]); // (b·h·nc, p, n)
  const finalState = tf.reshape(tf.slice(newStates, [0, nc, 0], [bh, 1, p * n]), [nb, h, p, n]); // (b, h, p, n)

  // 4. state → output: exp(a_start + … + a_t) S_{k−1} C_t
  const Yoff = tf.mul(tf.matMul(Ch, starts, false, true), tf.expandDims(tf.exp(Acs), 2)); // (b·h·nc, c, p)

  const unchunk = (Y: tf.Tensor) => {
    const Yl = tf.reshape(Y, [bh, lp, p]);
    return fromHeadMajor(pad > 0 ? tf.slice(Yl, [0, 0, 0], [bh, l, p]) : Yl, nb, h, l, p); // (b, l, h, p)
  };
  const y = unchunk(tf.add(Ydiag, Yoff));
  if (!steps) return {y, finalState};
  const perChunk = (S: tf.Tensor) => tf.transpose(tf.reshape(S, [nb, h, nc, p, n]), [0, 2, 1, 3, 4]); // (b, nc, h, p, n)
  return {
    y, finalState, chunk: c, chunks: nc, padded: pad,
    L: tf.reshape(L, [nb, h, nc, c, c]),
    yDiag: unchunk(Ydiag),
    chunkStates: perChunk(states),
    chunkDecay: tf.reshape(tf.exp(chunkSum), [nb, h, nc]),
    startStates: perChunk(starts),
    yOff: unchunk(Yoff)
  };
}

/** The quadratic form on validated arguments (inside a tidy). */
export function ssdQuadraticOf(s: SsdArgs): SsdResult {
  const {nb, l, h, p, n} = s;
  const {X, A, Bh, Ch, S0} = headMajor(s);
  const L = expSegsum(A); // (b·h, l, l)
  let Y = tf.matMul(tf.mul(tf.matMul(Ch, Bh, false, true), L), X); // (b·h, l, p)
  const last = tf.reshape(tf.slice(L, [0, l - 1, 0], [nb * h, 1, l]), [nb * h, l, 1]); // exp(a_{s+1} + … + a_{l−1})
  let S = tf.matMul(tf.mul(X, last), Bh, true, false); // (b·h, p, n)
  if (S0) {
    const Acs = tf.cumsum(A, 1); // (b·h, l)
    Y = tf.add(Y, tf.mul(tf.matMul(Ch, S0, false, true), tf.expandDims(tf.exp(Acs), 2))); // + exp(a_0+…+a_t) S0 C_t
    S = tf.add(S, tf.mul(S0, tf.reshape(tf.exp(tf.slice(Acs, [0, l - 1], [nb * h, 1])), [nb * h, 1, 1])));
  }
  return {y: fromHeadMajor(Y, nb, h, l, p), finalState: tf.reshape(S, [nb, h, p, n])};
}

/** The recurrent form on validated arguments (inside a tidy): one log-depth scan over l. */
export function ssdRecurrentOf(s: SsdArgs): SsdResult {
  const {nb, l, h, p, n} = s;
  const bh = nb * h;
  const xL = tf.reshape(tf.transpose(s.x, [1, 0, 2, 3]), [l, bh, p, 1]); // (l, b·h, p, 1)
  const BL = tf.reshape(tf.transpose(s.B, [1, 0, 2, 3]), [l, bh, 1, n]); // (l, b·h, 1, n)
  const CL = tf.reshape(tf.transpose(s.C, [1, 0, 2, 3]), [l, bh, n, 1]); // (l, b·h, n, 1)
  const dA = tf.reshape(tf.exp(tf.transpose(s.a, [1, 0, 2])), [l, bh, 1]); // (l, b·h, 1) exp(a_t)
  let kv = tf.reshape(tf.mul(xL, BL), [l, bh, p * n]); // (l, b·h, p·n) x_t B_tᵀ
  if (s.S0) {
    // S_0 = exp(a_0) S_init + x_0 B_0ᵀ: fold the initial state into the first input
    const first = tf.mul(tf.reshape(s.S0, [1, bh, p * n]), tf.slice(dA, [0, 0, 0], [1, bh, 1]));
    kv = tf.add(kv, tf.pad(first, [[0, l - 1], [0, 0], [0, 0]]));
  }
  const S = scanPairs(tf.broadcastTo(dA, [l, bh, p * n]), kv); // (l, b·h, p·n)
  const y = tf.matMul(tf.reshape(S, [l, bh, p, n]), CL); // (l, b·h, p, 1) S_t C_t
  return {
    y: tf.transpose(tf.reshape(y, [l, nb, h, p]), [1, 0, 2, 3]), // (b, l, h, p)
    finalState: tf.reshape(tf.slice(S, [l - 1, 0, 0], [1, bh, p * n]), [nb, h, p, n])
  };
}

function chunkOf(opts: SsdOptions, fn: string): number {
  const {chunk = 64} = opts;
  return assertInteger(chunk, fn, "chunk", 1);
}

/**
 * Mamba-2's SSD in chunks (the kernel contract): S_t = exp(a_t) S_{t−1} + x_t B_tᵀ,
 * y_t = S_t C_t, computed as in `ssd_minimal_discrete` (see the header). Any l, any chunk
 * length c ≥ 1, same answer; l not a multiple of c is padded with steps that change nothing.
 *
 * x (b, l, h, p); a (b, l, h) = ΔA ≤ 0; B, C (b, l, h, n); opts {chunk = 64,
 * initialState (b, h, p, n)} → {y (b, l, h, p), finalState (b, h, p, n)}.
 * Work O(l c (n + p) + l n p), memory O(l c) per head; differentiable (composite tfjs ops).
 */
export function ssd(x: TensorLike, a: TensorLike, B: TensorLike, C: TensorLike, opts: SsdOptions = {}): SsdResult {
  const fn = "ssd";
  const o = checkOpts(opts, fn);
  const chunk = chunkOf(o, fn);
  return tf.tidy(() => ssdChunkedOf(ssdArgs(fn, x, a, B, C, o.initialState), chunk));
}

/**
 * ssd with every intermediate of the chunked algorithm (see SsdSteps), for drawing it step by
 * step: L per chunk, intra-chunk outputs, chunk states, chunk decays, the states between
 * chunks after the inter-chunk recurrence, and the state-to-output terms. y = yDiag + yOff.
 * The caller owns (and disposes) every tensor in the result.
 */
export function ssdSteps(x: TensorLike, a: TensorLike, B: TensorLike, C: TensorLike, opts: SsdOptions = {}): SsdSteps {
  const fn = "ssdSteps";
  const o = checkOpts(opts, fn);
  const chunk = chunkOf(o, fn);
  const tensors = tf.tidy(() => {
    const r = ssdChunkedOf(ssdArgs(fn, x, a, B, C, o.initialState), chunk, true);
    return [r.y, r.finalState, r.L, r.yDiag, r.chunkStates, r.chunkDecay, r.startStates, r.yOff];
  });
  const [y, finalState, L, yDiag, chunkStates, chunkDecay, startStates, yOff] = tensors;
  const l = y.shape[1] as number;
  const c = Math.min(chunk, l);
  const chunks = Math.ceil(l / c);
  return {y, finalState, chunk: c, chunks, padded: chunks * c - l, L, yDiag, chunkStates, chunkDecay, startStates, yOff};
}

/**
 * SSD's quadratic (attention-like) form: y = (L ∘ C Bᵀ) x with the 1-semiseparable mask
 * L_ts = exp(a_{s+1} + … + a_t), plus exp(a_0 + … + a_t) S_init C_t from an initial state.
 * Same arguments and result as ssd (no chunk); memory O(l²) per head.
 */
export function ssdQuadratic(x: TensorLike, a: TensorLike, B: TensorLike, C: TensorLike, opts: {initialState?: TensorLike | null} = {}): SsdResult {
  const fn = "ssdQuadratic";
  const o = checkOpts(opts, fn);
  return tf.tidy(() => ssdQuadraticOf(ssdArgs(fn, x, a, B, C, o.initialState)));
}

/**
 * SSD's recurrent form: S_t = exp(a_t) S_{t−1} + x_t B_tᵀ, y_t = S_t C_t for all t at once by
 * a log-depth scan (linearScan) over the (p, n) states. Same arguments and result as ssd
 * (no chunk); memory O(l p n) per head.
 */
export function ssdRecurrent(x: TensorLike, a: TensorLike, B: TensorLike, C: TensorLike, opts: {initialState?: TensorLike | null} = {}): SsdResult {
  const fn = "ssdRecurrent";
  const o = checkOpts(opts, fn);
  return tf.tidy(() => ssdRecurrentOf(ssdArgs(fn, x, a, B, C, o.initialState)));
}

/**
 * The duality map from a selective SSM with a scalar A per channel to SSD: one head per
 * channel, p = 1, x_t = Δ_t u_t, a_t = Δ_t A_d, B and C repeated for every head. Then
 * ssd(x, a, B, C).y[…, 0] = selectiveScan(u, Δ, A·1ₙᵀ, B, C), and finalState[:, :, 0, :] is
 * its last state. u, delta (b, l, d) with Δ > 0; A (d) < 0; B, C (b, l, n) →
 * {x (b, l, d, 1), a (b, l, d), B (b, l, d, n), C (b, l, d, n)}.
 */
export function selectiveToSsd(u: TensorLike, delta: TensorLike, A: TensorLike, B: TensorLike, C: TensorLike): {x: tf.Tensor; a: tf.Tensor; B: tf.Tensor; C: tf.Tensor} {
  const fn = "selectiveToSsd";
  const r = tf.tidy(() => {
    const ut = toTensor(u, fn, "u");
    assertRank(ut, 3, fn, "u", "(b,l,d)");
    const [nb, l, d] = ut.shape as number[];
    const dt = toTensor(delta, fn, "delta");
    assertShape(dt, [nb, l, d], fn, "delta", "(b,l,d)");
    const At = toTensor(A, fn, "A");
    assertShape(At, [d], fn, "A", "(d)");
    const Bt = toTensor(B, fn, "B");
    assertRank(Bt, 3, fn, "B", "(b,l,n)");
    assertShape(Bt, [nb, l, null], fn, "B", "(b,l,n)");
    const Ct = toTensor(C, fn, "C");
    assertShape(Ct, Bt.shape, fn, "C", "(b,l,n)");
    assertValues(fn, [[ut, "u", "finite"], [dt, "delta", "positive"], [At, "A", "nonpositive"], [Bt, "B", "finite"], [Ct, "C", "finite"]]);
    const n = Bt.shape[2] as number;
    return [
      tf.expandDims(tf.mul(dt, ut), 3), // (b, l, d, 1)
      tf.mul(dt, At), // (b, l, d)
      tf.broadcastTo(tf.expandDims(Bt, 2), [nb, l, d, n]),
      tf.broadcastTo(tf.expandDims(Ct, 2), [nb, l, d, n])
    ];
  });
  return {x: r[0], a: r[1], B: r[2], C: r[3]};
}
