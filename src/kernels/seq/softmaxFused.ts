// Softmax attention o = softmax(q kᵀ/√d_k + mask) v as ONE GPU program (webgpu, webgl), for
// small widths d_k, d_v ≤ FUSED_MAX_D: the l×l matrix is never stored. Each query keeps the
// online-softmax state of FlashAttention (Dao et al. 2022; Milakov & Gimelshein 2018,
// "Online normalizer calculation for softmax") while it walks the keys:
//     m ← max(m, s_j),   ℓ ← ℓ·e^{m_old − m} + e^{s_j − m},   a ← a·e^{m_old − m} + e^{s_j − m} v_j,
// with s_j = q·k_j/√d_k (j ≤ t when causal), and o = a/ℓ at the end. Memory O(l·d).
//
// webgpu  a workgroup holds BQ = 16 queries × S = 4 key splits (64 invocations): tiles of
//         BK = 64 keys and values are staged in workgroup memory and shared by the 16
//         queries; invocation (query, split) takes every S-th key of a tile, and the S partial
//         states of a query are merged at the end (m = max m_s, ℓ = Σ ℓ_s e^{m_s − m}, same for
//         a) through workgroup memory. A causal block stops after its last query's key.
//         d_k, d_v and `causal` are baked into the WGSL and its shaderKey; l is a uniform.
// webgl   one fragment per output entry (t, c): the same online softmax over the keys, the
//         scores recomputed for each of the d_v columns (d_v× the arithmetic of one pass, no
//         l×l texture). l is a uniform (enableShapeUniforms): one program per (d_k, causal).
import * as tf from "@tensorflow/tfjs";
import {pathKey, runWebGL, runWebGPU, type WebGLProgramLike, type WebGPUProgramLike} from "../gpu.js";
import {assertRank, assertShape, fail, toTensor, type TensorLike} from "../validate.js";

/** The largest d_k and d_v the fused programs take. */
export const FUSED_MAX_D = 32;

const BQ = 16; // queries per workgroup
const S = 4; // key splits per query
const BK = 64; // keys per tile

class SoftmaxAttentionWebGPU implements WebGPUProgramLike {
  variableNames = ["q", "k", "v"];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = {x: [0, 1]};
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [BQ * S, 1, 1];
  uniforms = "l : i32,";
  dk: number;
  dv: number;
  causal: boolean;
  constructor(l: number, dk: number, dv: number, causal: boolean) {
    this.outputShape = [l, dv];
    this.dispatch = [Math.ceil(l / BQ), 1, 1];
    this.dk = dk;
    this.dv = dv;
    this.causal = causal;
    this.shaderKey = `ssmSoftmaxAttention_dk${dk}_dv${dv}_${causal ? "causal" : "full"}_bq${BQ}_s${S}_bk${BK}`;
  }
  getUserCode(): string {
    const {dk, dv} = this;
    const K4 = Math.ceil(dk / 4), V4 = Math.ceil(dv / 4);
    const slots = (BQ * S) / 2; // partial states parked per merge level
    const tileVec4 = Math.max(BK * (K4 + V4), slots * (V4 + 1));
    return `
const DK = ${dk};
const DV = ${dv};
const K4 = ${K4};
const V4 = ${V4};
const BQ = ${BQ};
const S = ${S};
const BK = ${BK};
var<workgroup> tile: array<vec4<f32>, ${tileVec4}>; // keys then values of a tile; later the merge slots
var<workgroup> blockStart: i32;

fn ld4(which: i32, row: i32, c: i32) -> vec4<f32> {
  // 4 entries of row \`row\` of q, k or v from column 4c (zeros past the width)
  var r = vec4<f32>(0.0);
  let w = select(DK, DV, which == 2);
  for (var e = 0; e < 4; e = e + 1) {
    let col = 4 * c + e;
    if (col < w) {
      if (which == 0) { r[e] = q[row * DK + col]; } else if (which == 1) { r[e] = k[row * DK + col]; } else { r[e] = v[row * DV + col]; }
    }
  }
  return r;
}

fn main(index: i32) {
  let tid = i32(localIndex);
  let qi = tid / S;
  let sj = tid % S;
  let l = uniforms.l;
  if (tid == 0) { blockStart = i32(workgroupId.x) * BQ; }
  let b0 = workgroupUniformLoad(&blockStart);
  let t = b0 + qi;
  let scale = inverseSqrt(f32(DK));
  var qv: array<vec4<f32>, K4>;
  if (t < l) { for (var c = 0; c < K4; c = c + 1) { qv[c] = ld4(0, t, c) * scale; } }
  var m = -1.0e30;
  var ell = 0.0;
  var acc: array<vec4<f32>, V4>;
  let kEnd = ${this.causal ? "min(l, b0 + BQ)" : "l"};
  for (var j0 = 0; j0 < kEnd; j0 = j0 + BK) {
    for (var e = tid; e < BK * (K4 + V4); e = e + BQ * S) {
      let key = e / (K4 + V4);
      let c = e % (K4 + V4);
      var val = vec4<f32>(0.0);
      if (j0 + key < l) { val = select(ld4(2, j0 + key, c - K4), ld4(1, j0 + key, c), c < K4); }
      tile[e] = val;
    }
    workgroupBarrier();
    if (t < l) {
      for (var r = sj; r < BK; r = r + S) {
        let j = j0 + r;
        if (j >= ${this.causal ? "min(l, t + 1)" : "l"}) { break; }
        var sc = 0.0;
        for (var c = 0; c < K4; c = c + 1) { sc = sc + dot(qv[c], tile[r * (K4 + V4) + c]); }
        let mNew = max(m, sc);
        let f = exp(m - mNew);
        let p = exp(sc - mNew);
        ell = ell * f + p;
        for (var c = 0; c < V4; c = c + 1) { acc[c] = acc[c] * f + p * tile[r * (K4 + V4) + K4 + c]; }
        m = mNew;
      }
    }
    workgroupBarrier();
  }
  // merge the S partial states of each query: split sj + d hands its state to split sj
  for (var d = S / 2; d >= 1; d = d / 2) {
    let slot = (qi * (S / 2) + (sj - d)) * (V4 + 1);
    if (sj >= d && sj < 2 * d) {
      tile[slot] = vec4<f32>(m, ell, 0.0, 0.0);
      for (var c = 0; c < V4; c = c + 1) { tile[slot + 1 + c] = acc[c]; }
    }
    workgroupBarrier();
    if (sj < d) {
      let other = (qi * (S / 2) + sj) * (V4 + 1);
      let st = tile[other];
      let mNew = max(m, st.x);
      let f = exp(m - mNew);
      let g = exp(st.x - mNew);
      ell = ell * f + st.y * g;
      for (var c = 0; c < V4; c = c + 1) { acc[c] = acc[c] * f + tile[other + 1 + c] * g; }
      m = mNew;
    }
    workgroupBarrier();
  }
  if (sj == 0 && t < l) {
    let inv = 1.0 / ell;
    for (var c = 0; c < DV; c = c + 1) { result[t * DV + c] = acc[c / 4][c % 4] * inv; }
  }
}
`;
  }
}

class SoftmaxAttentionWebGL implements WebGLProgramLike {
  variableNames = ["Q", "K", "V"];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms = true;
  customUniforms = [{name: "uL", type: "int" as const}];
  constructor(l: number, dk: number, dv: number, causal: boolean) {
    this.outputShape = [l, dv];
    this.userCode = `
const int DK = ${dk};
const int MAXL = 1 << 24;
void main() {
  ivec2 tc = getOutputCoords();
  int t = tc.x;
  int c = tc.y;
  float scale = inversesqrt(float(DK));
  float qv[DK];
  for (int e = 0; e < DK; e++) qv[e] = getQ(t, e) * scale;
  float m = -1.0e30, ell = 0.0, acc = 0.0;
  int kEnd = ${causal ? "t + 1" : "uL"};
  for (int j = 0; j < MAXL; j++) {
    if (j >= kEnd) break;
    float s = 0.0;
    for (int e = 0; e < DK; e++) s += qv[e] * getK(j, e);
    float mNew = max(m, s);
    float f = exp(m - mNew);
    float p = exp(s - mNew);
    ell = ell * f + p;
    acc = acc * f + p * getV(j, c);
    m = mNew;
  }
  setOutput(acc / ell);
}
`;
  }
}

/** Above this l the composite's l×l matrices (4 l² bytes each, several alive) are refused. */
export const COMPOSITE_MAX_L = 4096;

/**
 * Whether softmaxAttention should take the fused program at length l on the active backend
 * (pathKey()), from these medians (ms, headless Chromium, SwiftShader, 2 shared cores,
 * causal, d = 16; fused vs composite):
 *   webgpu  l = 32: 5.2 vs 40;  64: 13 vs 19;  128: 6.0 vs 39;  256: 15 vs 460;
 *           1024: 172 vs 2716                                         → always fused
 *   webgl   l = 32: 6.7 vs 72;  64: 8.3 vs 15;  128: 24 vs 23;  256: 83 vs 46;
 *           1024: 1887 vs 486;  4096: 53336 vs 11697                  → fused to l = 64
 * and above COMPOSITE_MAX_L, where only the fused program's O(l·d) memory fits. The webgl
 * program recomputes each score for every output column (d_v× the arithmetic), which
 * software rendering pays in full; no hardware webgl was measured, so it keeps this rule.
 */
export function useFusedSoftmax(l: number): boolean {
  const key = pathKey();
  if (key === "webgpu" || key === "webgpu-software") return true;
  if (key === "webgl" || key === "webgl-software") return l <= 64 || l > COMPOSITE_MAX_L;
  return false;
}

/**
 * softmax(q kᵀ/√d_k + mask) v by the active GPU backend's fused program, or null where there
 * is none (cpu, wasm; d_k or d_v > FUSED_MAX_D) or, unless `force`, where useFusedSoftmax
 * prefers the composite. q, k (l, d_k), v (l, d_v): validated float32 tensors; call inside
 * tf.tidy.
 */
export function softmaxAttentionGpu(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, causal: boolean, force = false): tf.Tensor | null {
  const [l, dk] = q.shape as [number, number];
  const dv = v.shape[1] as number;
  if (dk > FUSED_MAX_D || dv > FUSED_MAX_D) return null;
  if (!force && !useFusedSoftmax(l)) return null;
  const backend = tf.getBackend();
  if (backend === "webgpu" && Math.ceil(l / BQ) <= 65535) return runWebGPU(new SoftmaxAttentionWebGPU(l, dk, dv, causal), [q, k, v], [{type: "int32", data: [l]}]);
  if (backend === "webgl") return runWebGL(new SoftmaxAttentionWebGL(l, dk, dv, causal), [q, k, v], [[l]]);
  return null;
}

/**
 * softmaxAttention by the fused GPU program whatever the crossovers say: for tests and
 * benchmarks. q, k (l, d_k), v (l, d_v) → (l, d_v). Throws on cpu and wasm and for
 * d_k or d_v > FUSED_MAX_D. (Values are not checked here: softmaxAttention does that.)
 */
export function softmaxAttentionFused(q: TensorLike, k: TensorLike, v: TensorLike, {causal = true}: {causal?: boolean} = {}): tf.Tensor {
  const fn = "softmaxAttentionFused";
  return tf.tidy(() => {
    const qt = toTensor(q, fn, "q");
    assertRank(qt, 2, fn, "q", "(l,d_k)");
    const [l, dk] = qt.shape as number[];
    if (l < 1) fail(fn, `q must have at least one row, but got shape (${qt.shape.join(",")})`);
    const kt = toTensor(k, fn, "k");
    assertShape(kt, [l, dk], fn, "k", "(l,d_k)");
    const vt = toTensor(v, fn, "v");
    assertShape(vt, [l, null], fn, "v", "(l,d_v)");
    const o = softmaxAttentionGpu(qt, kt, vt, causal, true);
    if (!o) fail(fn, `has no fused program on the ${tf.getBackend()} backend for d_k = ${dk}, d_v = ${vt.shape[1]} (webgl and webgpu, d ≤ ${FUSED_MAX_D})`);
    return o;
  });
}
