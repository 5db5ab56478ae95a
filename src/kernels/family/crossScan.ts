// VMamba's four-way cross-scan (Liu et al. 2024, "VMamba: Visual State Space Model",
// its 2D-Selective-Scan, SS2D): an image is flattened into four sequences, each one is run
// through a 1-D scan, and the four results are put back in image order and summed.
//
//   order 0  row-major            (r, c) in the order r·W + c
//   order 1  column-major         c·H + r  (the image transposed, then flattened)
//   order 2  order 0 reversed
//   order 3  order 1 reversed
//   y(r, c) = Σ_{k=0..3} scan_k(x flattened by order k)[position of (r, c) in order k]
//
// So every pixel sees, through the four causal scans, the pixels before it in four directions,
// a global receptive field from four 1-D recurrences. In the site's notation each scan_k is
// any 1-D SSM x_i = Ā_i x_{i−1} + B̄_i u_i, y_i = C_i x_i along its sequence (VMamba runs a
// selective scan with its own parameters per direction; decayScan below is the simplest LTI
// stand-in). As in the official PyTorch code (MzeroMiko/VMamba,
// classification/models/csms6s.py: CrossScan.forward and CrossMerge.forward), orders 2 and
// 3 are flips of 0 and 1, and the merge flips them back, un-transposes order 1 and adds.
//
// Layout: images are (H, W, C) (channels last, the site's convention), sequences
// (4, L, C), L = H·W. crossScanOrders gives the index maps as plain data:
// orders[k][i] = the pixel index r·W + c at position i of sequence k.
import * as tf from "@tensorflow/tfjs";
import {scanPairs} from "../seq/linearScan.js";
import {assertInteger, assertRank, assertShape, assertValues, fail, shapeString, toTensor, type TensorLike} from "../validate.js";
import {channelArg} from "./args.js";

export const CROSS_SCAN_NAMES = ["row-major", "column-major", "row-major reversed", "column-major reversed"] as const;

/**
 * The four scan orders of an H×W image as plain data: orders[k][i] = pixel index r·W + c
 * visited at step i of sequence k (row-major, column-major, and both reversed). Each is a
 * permutation of 0 … H·W − 1.
 */
export function crossScanOrders(H: number, W: number): {names: readonly string[]; orders: Int32Array[]} {
  const fn = "crossScanOrders";
  assertInteger(H, fn, "H", 1, 1 << 12);
  assertInteger(W, fn, "W", 1, 1 << 12);
  const L = H * W;
  const row = Int32Array.from({length: L}, (_, i) => i);
  const col = Int32Array.from({length: L}, (_, i) => (i % H) * W + Math.floor(i / H)); // i = c·H + r
  return {names: CROSS_SCAN_NAMES, orders: [row, col, row.slice().reverse(), col.slice().reverse()]};
}

/** Inverse permutations: inverse[k][p] = the position of pixel p in sequence k. */
function inverses(orders: Int32Array[]): Int32Array[] {
  return orders.map((o) => {
    const inv = new Int32Array(o.length);
    o.forEach((p, i) => { inv[p] = i; });
    return inv;
  });
}

function checkImage(fn: string, x: TensorLike): tf.Tensor3D {
  const xt = toTensor(x, fn, "x");
  assertRank(xt, 3, fn, "x", "(H, W, C)");
  if (xt.shape.some((s) => s < 1)) fail(fn, `x must have shape (H, W, C) with every size ≥ 1, but got ${shapeString(xt.shape)}`);
  assertValues(fn, [[xt, "x", "finite"]]);
  return xt as tf.Tensor3D;
}

/** Call inside tf.tidy: (H, W, C) → (4, L, C). */
function scanOf(x: tf.Tensor3D): tf.Tensor3D {
  const [H, W, C] = x.shape, L = H * W;
  const {orders} = crossScanOrders(H, W);
  const idx = new Int32Array(4 * L);
  orders.forEach((o, k) => idx.set(o, k * L));
  return tf.reshape(tf.gather(tf.reshape(x, [L, C]), tf.tensor1d(idx, "int32")), [4, L, C]) as tf.Tensor3D;
}

/** Call inside tf.tidy: (4, L, C) → (H, W, C), the sum of the four un-permuted sequences. */
function mergeOf(ys: tf.Tensor3D, H: number, W: number): tf.Tensor3D {
  const L = H * W, C = ys.shape[2];
  const inv = inverses(crossScanOrders(H, W).orders);
  const idx = new Int32Array(4 * L);
  inv.forEach((o, k) => o.forEach((i, p) => { idx[k * L + p] = k * L + i; }));
  const back = tf.reshape(tf.gather(tf.reshape(ys, [4 * L, C]), tf.tensor1d(idx, "int32")), [4, L, C]); // each in pixel order
  return tf.reshape(tf.sum(back, 0), [H, W, C]) as tf.Tensor3D;
}

/** The four sequences of an image: x (H, W, C) → (4, H·W, C), sequence k in order k. */
export function crossScan2d(x: TensorLike): tf.Tensor3D {
  return tf.tidy(() => scanOf(checkImage("crossScan2d", x)));
}

/**
 * The merge: ys (4, H·W, C), sequence k in order k → (H, W, C), each sequence put back in
 * pixel order and the four summed. merge(scan(x)) = 4x.
 */
export function crossMerge2d(ys: TensorLike, H: number, W: number): tf.Tensor3D {
  const fn = "crossMerge2d";
  return tf.tidy(() => {
    assertInteger(H, fn, "H", 1, 1 << 12);
    assertInteger(W, fn, "W", 1, 1 << 12);
    const yt = toTensor(ys, fn, "ys");
    assertShape(yt, [4, H * W, null], fn, "ys", "(4, H·W, C)");
    return mergeOf(yt as tf.Tensor3D, H, W);
  });
}

/** A 1-D scan over the four sequences at once: (4, L, C) → (4, L, C'), causal along L. */
export type SequenceScan = (seqs: tf.Tensor3D) => tf.Tensor3D;

/**
 * VMamba's cross-scan with the caller's 1-D scan: merge(scan(crossScan2d(x))).
 * x (H, W, C) → (H, W, C'). The scan is called once, inside this function's tf.tidy, on the
 * (4, H·W, C) sequences, and must return a (4, H·W, C') tensor.
 */
export function crossScanMerge2d(x: TensorLike, scan: SequenceScan): tf.Tensor3D {
  const fn = "crossScanMerge2d";
  if (typeof scan !== "function") fail(fn, `scan must be a function (4, L, C) → (4, L, C'), got ${typeof scan}`);
  return tf.tidy(() => {
    const xt = checkImage(fn, x);
    const [H, W] = xt.shape;
    const ys = scan(scanOf(xt));
    if (!(ys instanceof tf.Tensor)) fail(fn, `scan must return a tf.Tensor, got ${String(ys)}`);
    assertRank(ys, 3, fn, "scan's result", "(4, L, C')");
    assertShape(ys, [4, H * W, null], fn, "scan's result", "(4, L, C')");
    return mergeOf(tf.cast(ys, "float32") as tf.Tensor3D, H, W);
  });
}

/**
 * The simplest 1-D scan for crossScanMerge2d: per channel the LTI recurrence
 * h_i = a ⊙ h_{i−1} + u_i along each sequence (the parallel scan of ../seq/linearScan.ts).
 * a (C) or a number → a SequenceScan (4, L, C) → (4, L, C).
 */
export function decayScan(a: TensorLike): SequenceScan {
  return (seqs: tf.Tensor3D) => tf.tidy(() => {
    const [K, L, C] = seqs.shape;
    const at = channelArg(a, C, "decayScan", "a");
    const u = tf.transpose(seqs, [1, 0, 2]); // (L, 4, C)
    const h = scanPairs(tf.broadcastTo(tf.reshape(at, [1, 1, C]), [L, K, C]), u);
    return tf.transpose(h, [1, 0, 2]) as tf.Tensor3D; // (4, L, C)
  });
}
