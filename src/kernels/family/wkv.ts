// RWKV-4's WKV operator (Peng et al. 2023, "RWKV: Reinventing RNNs for the Transformer Era",
// its time-mixing block), per channel c with time decay w_c and bonus u_c, keys k_t and values v_t:
//
//   wkv_t = ( Σ_{s<t} e^{−(t−1−s)w + k_s} v_s + e^{u + k_t} v_t ) / ( Σ_{s<t} e^{−(t−1−s)w + k_s} + e^{u + k_t} )
//
// As a state space model (site notation x_k = Ā x_{k−1} + B̄_k u_k), each channel carries the
// state x_t = (a_t, b_t) with Ā = e^{−w} (time-invariant, scalar), B̄_t = e^{k_t} (set by the
// input) and u_t = (v_t, 1):
//   a_t = e^{−w} a_{t−1} + e^{k_t} v_t,   b_t = e^{−w} b_{t−1} + e^{k_t},
// and the output is the ratio wkv_t = (a_{t−1} + e^{u+k_t} v_t) / (b_{t−1} + e^{u+k_t}):
// the current token gets the bonus u instead of the decay.
//
// Glossary: l length, d channels; w, u (d); k, v (l, d). In the official code w is
// −exp(time_decay) (RWKV-LM, RWKV-v4/src/model.py) and the CUDA kernel adds it; here w is
// the paper's decay rate, w = exp(time_decay) ≥ 0, and is subtracted.
//
// Two forms, tested equal:
//   wkv        the recurrence in the numerically stable form of the official CUDA kernel
//              (RWKV-LM, RWKV-v4/cuda/wkv_cuda.cu, kernel_forward): the state is kept as
//              (p, q, o) with a = e^o p, b = e^o q and o a running maximum of the exponents, so
//              no e^{k} is ever formed (k = 100 would overflow float32). Step t:
//                no = max(o, u + k_t); A = e^{o−no}; B = e^{u+k_t−no}
//                y_t = (A p + B v_t) / (A q + B)
//                no = max(o − w, k_t); A = e^{o−w−no}; B = e^{k_t−no}
//                p ← A p + B v_t; q ← A q + B; o ← no
//              The state update is associative (a block of n steps is "decay by e^{−n w}, then
//              add the block's own (o, p, q)"), so all l states come from a log-depth
//              Hillis–Steele scan (ceil(log₂ l) levels of elementwise ops, as ../seq/linearScan.ts)
//              rather than l sequential steps: level s combines the composite ending at t − s with
//              the one ending at t (s steps long):
//                o' = max(o_L − s·w, o_R),  p' = e^{o_L − s·w − o'} p_L + e^{o_R − o'} p_R  (q alike).
//   wkvClosed  the weighted sum itself as a masked softmax over s ≤ t of the logits
//              z_{t,s} = −(t−1−s)w + k_s (s < t), u + k_t (s = t): wkv_t = Σ_s softmax_s(z_t,·) v_s,
//              O(l²·d) work and memory (stable: the softmax subtracts its row maximum).
import * as tf from "@tensorflow/tfjs";
import {assertRank, assertShape, assertValues, fail, shapeString, toTensor, type TensorLike} from "../validate.js";
import {channelArg} from "./args.js";

/** The CUDA kernel's MIN_VALUE: the exponent of an empty state. */
const MIN_VALUE = -1e38;
/** Added for s > t in the closed form: exp(−1e30 − max) is exactly 0 in float32. */
const MASKED = -1e30;

interface WkvArgs { w: tf.Tensor1D; u: tf.Tensor1D; k: tf.Tensor2D; v: tf.Tensor2D; l: number; d: number }

function checkArgs(fn: string, w: TensorLike, u: TensorLike | null, k: TensorLike, v: TensorLike): WkvArgs {
  const kt = toTensor(k, fn, "k");
  assertRank(kt, 2, fn, "k", "(l, d)");
  const [l, d] = kt.shape;
  if (l < 1 || d < 1) fail(fn, `k must have shape (l, d) with l, d ≥ 1, but got ${shapeString(kt.shape)}`);
  const vt = toTensor(v, fn, "v");
  assertShape(vt, [l, d], fn, "v", "(l, d)");
  assertValues(fn, [[kt, "k", "finite"], [vt, "v", "finite"]]);
  const wt = channelArg(w, d, fn, "w");
  const ut = u === null ? tf.zeros([d]) as tf.Tensor1D : channelArg(u, d, fn, "u");
  return {w: wt, u: ut, k: kt as tf.Tensor2D, v: vt as tf.Tensor2D, l, d};
}

/** The scan of the states (o, p, q) after every step, on validated tensors. Call inside tf.tidy. */
function scanStates(w: tf.Tensor1D, k: tf.Tensor2D, v: tf.Tensor2D): {o: tf.Tensor2D; p: tf.Tensor2D; q: tf.Tensor2D} {
  const [l, d] = k.shape;
  let o: tf.Tensor = k, p: tf.Tensor = v, q: tf.Tensor = tf.onesLike(k); // step t alone: (k_t, v_t, 1)
  for (let s = 1; s < l; s *= 2) {
    const shift = (x: tf.Tensor, fill: number) => tf.pad(tf.slice(x, [0, 0], [l - s, d]), [[s, 0], [0, 0]], fill); // composite ending at t − s
    const oL = tf.sub(shift(o, MIN_VALUE), tf.mul(w, s)); // (l, d): decayed by the s steps of the right part
    const no = tf.maximum(oL, o);
    const A = tf.exp(tf.sub(oL, no)), B = tf.exp(tf.sub(o, no));
    p = tf.add(tf.mul(A, shift(p, 0)), tf.mul(B, p));
    q = tf.add(tf.mul(A, shift(q, 0)), tf.mul(B, q));
    o = no;
  }
  return {o: o as tf.Tensor2D, p: p as tf.Tensor2D, q: q as tf.Tensor2D};
}

/**
 * The WKV state after every step, in the official kernel's stable form: o, p, q (l, d) with
 *   a_t = e^{o_t} p_t = Σ_{s≤t} e^{−(t−s)w + k_s} v_s,   b_t = e^{o_t} q_t = Σ_{s≤t} e^{−(t−s)w + k_s},
 * o_t = max_{s≤t}(k_s − (t−s)w). w (d) or a number, k, v (l, d).
 */
export function wkvStates(w: TensorLike, k: TensorLike, v: TensorLike): {o: tf.Tensor2D; p: tf.Tensor2D; q: tf.Tensor2D} {
  const fn = "wkvStates";
  const out = tf.tidy(() => {
    const a = checkArgs(fn, w, null, k, v);
    const s = scanStates(a.w, a.k, a.v);
    return [s.o, s.p, s.q];
  });
  return {o: out[0] as tf.Tensor2D, p: out[1] as tf.Tensor2D, q: out[2] as tf.Tensor2D};
}

/**
 * RWKV-4's WKV by its recurrence (the official CUDA kernel's stable form, run as a log-depth
 * scan; see the header). w, u (d) or numbers; k, v (l, d) → wkv (l, d), float32.
 */
export function wkv(w: TensorLike, u: TensorLike, k: TensorLike, v: TensorLike): tf.Tensor2D {
  const fn = "wkv";
  return tf.tidy(() => {
    const a = checkArgs(fn, w, u, k, v);
    const {l, d} = a;
    const {o, p, q} = scanStates(a.w, a.k, a.v);
    const prev = (x: tf.Tensor, fill: number) => tf.pad(tf.slice(x, [0, 0], [l - 1, d]), [[1, 0], [0, 0]], fill); // state after t − 1
    const oPrev = prev(o, MIN_VALUE);
    const uk = tf.add(a.u, a.k); // (l, d) u + k_t
    const no = tf.maximum(oPrev, uk);
    const A = tf.exp(tf.sub(oPrev, no)), B = tf.exp(tf.sub(uk, no));
    const num = tf.add(tf.mul(A, prev(p, 0)), tf.mul(B, a.v));
    const den = tf.add(tf.mul(A, prev(q, 0)), B);
    return tf.div(num, den) as tf.Tensor2D; // (l, d)
  });
}

const masks = new Map<number, [Float32Array, Float32Array, Float32Array, Float32Array]>();
/** Per l: the lags t−1−s (0 where s ≥ t) and the masks s < t, s = t, s > t, each (l, 1, l). */
function lagMasks(l: number): [Float32Array, Float32Array, Float32Array, Float32Array] {
  let m = masks.get(l);
  if (!m) {
    const lag = new Float32Array(l * l), past = new Float32Array(l * l), diag = new Float32Array(l * l), future = new Float32Array(l * l);
    for (let t = 0; t < l; t++) for (let s = 0; s < l; s++) {
      const i = t * l + s;
      if (s < t) { lag[i] = t - 1 - s; past[i] = 1; } else if (s === t) diag[i] = 1; else future[i] = 1;
    }
    m = [lag, past, diag, future];
    if (masks.size > 16) masks.clear();
    masks.set(l, m);
  }
  return m;
}

/**
 * RWKV-4's WKV by its closed form (the paper's weighted sum) as a masked softmax over s ≤ t.
 * w, u (d) or numbers; k, v (l, d) → wkv (l, d), float32. Memory O(l²·d).
 */
export function wkvClosed(w: TensorLike, u: TensorLike, k: TensorLike, v: TensorLike): tf.Tensor2D {
  const fn = "wkvClosed";
  return tf.tidy(() => {
    const a = checkArgs(fn, w, u, k, v);
    const {l, d} = a;
    const [lag, past, diag, future] = lagMasks(l).map((x) => tf.tensor3d(x, [l, 1, l]));
    const kT = tf.reshape(tf.transpose(a.k), [1, d, l]); // (1, d, l): k_s
    const pastLogits = tf.sub(kT, tf.mul(lag, tf.reshape(a.w, [1, d, 1]))); // (l, d, l): −(t−1−s)w + k_s
    const bonus = tf.reshape(tf.add(a.u, a.k), [l, d, 1]); // (l, d, 1): u + k_t
    const logits = tf.add(tf.add(tf.mul(pastLogits, past), tf.mul(bonus, diag)), tf.mul(future, MASKED)); // (l, d, l)
    const P = tf.softmax(logits); // over s
    return tf.sum(tf.mul(P, tf.reshape(tf.transpose(a.v), [1, d, l])), 2) as tf.Tensor2D; // (l, d)
  });
}
