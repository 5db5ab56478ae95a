// The two classic parallel prefix scans of the recurrence h_t = a_t ⊙ h_{t−1} + b_t, level by
// level, for drawing them (page 5, /selective) and for checking every level against the loop.
//
// Glossary: l = length (axis 0), "…" = any trailing shape, scanned entry by entry; P = the
// next power of two ≥ l. A pair (a, b) is the affine map h ↦ a h + b; doing (a₁, b₁) first and
// then (a₂, b₂) is the pair (a₂a₁, a₂b₁ + b₂). That combine is associative but not commutative,
// so every formula below keeps "earlier" on the left: combine(earlier, later).
//
// Hillis–Steele (Hillis & Steele 1986, "Data parallel algorithms"): ceil(log2 l) levels; at
//   level k every position t ≥ 2^k combines the composite ending at t − 2^k with its own:
//   after level k, position t holds the composite of steps max(0, t − 2^(k+1) + 1) … t.
//   O(l log l) combines, depth log2 l. (This is linearScan's algorithm; here every level is kept.)
// Blelloch (Blelloch 1990, "Prefix sums and their applications"): work-efficient, 2·log2 P levels.
//   Up-sweep (reduce): level 0 is the P leaves (l pairs padded with the identity (1, 0));
//     node j of level k+1 = combine(node 2j, node 2j+1) of level k, so node j of level k is the
//     composite of steps j·2^k … (j+1)·2^k − 1. P − 1 combines.
//   Down-sweep: the root's exclusive prefix is the identity; a node's left child inherits its
//     exclusive prefix E, its right child gets combine(E, left child's reduction). At level 0 each
//     leaf t holds the composite of steps 0 … t − 1; one more combine with the leaf itself gives
//     the inclusive prefix, whose b-part is h_t (h_{−1} = 0). P − 1 more combines (+ l at the end).
//   Blelloch's paper stores the tree in place in one array of length P (node j of level k at
//   index (j+1)·2^k − 1); here each level is its own tensor, of length P / 2^k.
import * as tf from "@tensorflow/tfjs";
import {fail, toTensor, type TensorLike} from "../validate.js";
import {checkScanArgs} from "./linearScan.js";

/** A level of a scan: the a-parts and b-parts of its pairs, (m, …) each. */
export interface ScanLevel {
  a: tf.Tensor;
  b: tf.Tensor;
}

export interface BlellochLevels {
  /** P, the padded length (a power of two) */
  P: number;
  /** up[k] (P / 2^k, …): the up-sweep tree, up[0] the padded leaves, up[log2 P] the root */
  up: ScanLevel[];
  /** down[k] (P / 2^k, …): exclusive prefixes of the nodes of level k, down[log2 P] the root's identity */
  down: ScanLevel[];
  /** (l, …) the inclusive prefixes, cut back to l: h = b-part */
  inclusive: ScanLevel;
}

/** combine(earlier, later) = (a_l a_e, a_l b_e + b_l). */
function combine(ae: tf.Tensor, be: tf.Tensor, al: tf.Tensor, bl: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return [tf.mul(al, ae), tf.add(tf.mul(al, be), bl)];
}

function args(fn: string, a: TensorLike, b: TensorLike, maxL: number): {a: tf.Tensor; b: tf.Tensor; l: number} {
  const at = toTensor(a, fn, "a");
  const bt = toTensor(b, fn, "b");
  checkScanArgs(at, bt, fn);
  const l = at.shape[0];
  if (l > maxL) fail(fn, `a must have at most ${maxL} steps along axis 0 (every level is kept), but got ${l}`);
  return {a: at, b: bt, l};
}

/**
 * Every level of the Hillis–Steele scan: levels[0] = (a, b) and levels[k] after the k-th
 * shift-and-combine (shift 2^(k−1)), ceil(log2 l) + 1 levels of (l, …) each. The last level's
 * b-part is h. For small inputs (l ≤ 4096): all levels are kept. The caller owns the tensors.
 */
export function hillisSteeleLevels(a: TensorLike, b: TensorLike): ScanLevel[] {
  const fn = "hillisSteeleLevels";
  return tf.tidy(() => {
    const {a: at, b: bt, l} = args(fn, a, b, 4096);
    const rest = at.shape.slice(1);
    const zeros = rest.map(() => 0);
    const noPad = rest.map(() => [0, 0] as [number, number]);
    const levels: ScanLevel[] = [{a: tf.clone(at), b: tf.clone(bt)}];
    for (let s = 1; s < l; s *= 2) {
      const {a: A, b: B} = levels[levels.length - 1];
      // The composite ending at t − s, the identity (1, 0) before step 0.
      const Ae = tf.pad(tf.slice(A, [0, ...zeros], [l - s, ...rest]), [[s, 0], ...noPad], 1);
      const Be = tf.pad(tf.slice(B, [0, ...zeros], [l - s, ...rest]), [[s, 0], ...noPad], 0);
      const [a2, b2] = combine(Ae, Be, A, B);
      levels.push({a: a2, b: b2});
    }
    return levels as unknown as tf.TensorContainer;
  }) as unknown as ScanLevel[];
}

/** Splits (2m, …) into its even and odd rows, (m, …) each. */
function evenOdd(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const [P, ...rest] = x.shape;
  const pairs = tf.reshape(x, [P / 2, 2, ...rest]);
  const [even, odd] = tf.unstack(pairs, 1);
  return [even, odd];
}

/** Interleaves (m, …) and (m, …) into (2m, …): even rows from `even`, odd rows from `odd`. */
function interleave(even: tf.Tensor, odd: tf.Tensor): tf.Tensor {
  const [m, ...rest] = even.shape;
  return tf.reshape(tf.stack([even, odd], 1), [2 * m, ...rest]);
}

/** The levels of Blelloch's up-sweep and down-sweep, padded to P = 2^⌈log2 l⌉ (see the header). */
function blelloch(at: tf.Tensor, bt: tf.Tensor, l: number): BlellochLevels {
  const rest = at.shape.slice(1);
  let P = 1;
  while (P < l) P *= 2;
  const pad = [[0, P - l], ...rest.map(() => [0, 0] as [number, number])] as [number, number][];
  const up: ScanLevel[] = [{a: tf.pad(at, pad, 1), b: tf.pad(bt, pad, 0)}]; // identity (1, 0) after step l − 1
  while (up[up.length - 1].a.shape[0] > 1) {
    const {a, b} = up[up.length - 1];
    const [ae, ao] = evenOdd(a);
    const [be, bo] = evenOdd(b);
    const [pa, pb] = combine(ae, be, ao, bo); // left child first, then the right one
    up.push({a: pa, b: pb});
  }
  const K = up.length - 1; // log2 P
  const down: ScanLevel[] = new Array(K + 1);
  down[K] = {a: tf.onesLike(up[K].a), b: tf.zerosLike(up[K].b)};
  for (let k = K; k > 0; k--) {
    const E = down[k];
    const [la] = evenOdd(up[k - 1].a);
    const [lb] = evenOdd(up[k - 1].b);
    const [ra, rb] = combine(E.a, E.b, la, lb); // the right child: E, then the left subtree
    down[k - 1] = {a: interleave(E.a, ra), b: interleave(E.b, rb)};
  }
  const begin = [0, ...rest.map(() => 0)], size = [l, ...rest];
  const [ia, ib] = combine(tf.slice(down[0].a, begin, size), tf.slice(down[0].b, begin, size), at, bt);
  return {P, up, down, inclusive: {a: ia, b: ib}};
}

/**
 * Every level of Blelloch's work-efficient scan (up-sweep tree, down-sweep exclusive prefixes,
 * the inclusive prefixes). a, b (l, …) with l ≤ 4096. The caller owns every tensor returned.
 */
export function blellochLevels(a: TensorLike, b: TensorLike): BlellochLevels {
  const fn = "blellochLevels";
  return tf.tidy(() => {
    const {a: at, b: bt, l} = args(fn, a, b, 4096);
    return blelloch(at, bt, l) as unknown as tf.TensorContainer;
  }) as unknown as BlellochLevels;
}

/**
 * h_t = a_t ⊙ h_{t−1} + b_t along axis 0 (h_{−1} = 0) by Blelloch's work-efficient scan:
 * 2·log2 P levels and about 2P combines, against linearScan's log2 l levels and l·log2 l
 * combines (Hillis–Steele). a, b (l, …) → h (l, …). Same result as linearScan up to rounding.
 */
export function blellochScan(a: TensorLike, b: TensorLike): tf.Tensor {
  const fn = "blellochScan";
  return tf.tidy(() => {
    const {a: at, b: bt, l} = args(fn, a, b, Number.MAX_SAFE_INTEGER);
    if (l === 1) return tf.clone(bt);
    return blelloch(at, bt, l).inclusive.b;
  });
}
