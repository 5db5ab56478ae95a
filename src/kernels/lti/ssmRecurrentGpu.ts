// The recurrence x_k = Ā x_{k−1} + B̄ u_k, y_k = C x_k (x_{−1} = 0) as fused GPU programs:
// the chunked form (chunks of s steps, b = 0 … nc−1) of ./ssmRecurrent.ts without its ~35–140
// small tfjs ops:
//   1. each chunk from a zero state:       e_b = Σ_{j<s} Ā^{s−1−j} B̄ u_{b·s+j}   (its end state)
//   2. a scan over the chunks, M = Ā^s:     E_b = M E_{b−1} + e_b                  (true end states)
//   3. each chunk again from E_{b−1}:       x_{b·s+j}, y_{b·s+j} = C x_{b·s+j}
// (the blocked scan of Blelloch 1990, "Prefix sums and their applications", with the affine
// steps x ↦ Āx + B̄u_k as the operator). Work O(l n²), the same as the loop.
//
// webgpu  ONE program, one workgroup: invocation b runs chunk b (steps 1 and 3, state in
//         registers, Ā in workgroup memory read as vec4 rows), and step 2 is a Hillis–Steele
//         scan over the nc ≤ T chunk ends in workgroup memory (log2 nc levels, the power
//         M^(2^j) squared in workgroup memory between levels; M = Ā^s by log2 s squarings).
//         s is a power of two, s·T ≥ l. The state size n is padded to NP (a multiple of 4,
//         baked into the shader and its shaderKey) with zeros, which leaves the answer exact.
// webgl   four fragment programs: (A) e_b[i] per fragment (b, i), (M) Ā^s[i][j] per fragment,
//         (B) E_b[i] by the sequential recurrence over chunks per fragment (nc·n² work each),
//         (C) y_k per fragment from E_{b−1}, at most s steps. n, l, s, nc are uniforms (one
//         compiled program per padded size NP ∈ {4, 8, 16, 32}).
import * as tf from "@tensorflow/tfjs";
import {pathKey, runWebGL, runWebGPU, workgroupStorageBytes, type WebGLProgramLike, type WebGPUProgramLike} from "../gpu.js";

/** The largest state size the fused programs take (larger n runs the composite forms). */
export const FUSED_MAX_N = 32;

function padN(n: number): number {
  return n <= 4 ? 4 : n <= 8 ? 8 : n <= 16 ? 16 : 32;
}
function log2ceil(x: number): number {
  let b = 0;
  while (2 ** b < x) b++;
  return b;
}

// ---- webgpu
/** Invocations (= chunks) per workgroup for padded size NP, within `bytes` of workgroup memory. */
function threadsFor(NP: number, bytes: number): number {
  // floats: Ā, P, Q (NP² each), B̄, C (NP each), the chunk ends (T·NP)
  const fixed = 3 * NP * NP + 2 * NP;
  let T = 256;
  while (T > 16 && 4 * (fixed + T * NP) > bytes) T /= 2;
  return 4 * (fixed + T * NP) <= bytes ? T : 0;
}

class RecurrenceWebGPU implements WebGPUProgramLike {
  variableNames = ["A", "Bv", "Cv", "u"];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = {x: [0]};
  dispatch: [number, number, number] = [1, 1, 1];
  workgroupSize: [number, number, number];
  uniforms = "n : i32, l : i32, s : i32, nc : i32, logS : i32, logNc : i32,";
  NP: number;
  T: number;
  constructor(l: number, NP: number, T: number) {
    this.outputShape = [l];
    this.NP = NP;
    this.T = T;
    this.workgroupSize = [T, 1, 1];
    this.shaderKey = `ssmRecurrence_np${NP}_t${T}`;
  }
  getUserCode(): string {
    const NP = this.NP, Q = NP / 4, T = this.T;
    // unrolled x' = Ā x (rows of Ā as vec4) and y = C·x
    const mv = (M: string, x: string, out: string) => Array.from({length: NP}, (_, i) =>
      `${out}[${i >> 2}][${i & 3}] = ${Array.from({length: Q}, (_, q) => `dot(${M}[${i * Q + q}], ${x}[${q}])`).join(" + ")};`).join("\n    ");
    return `
const NP = ${NP};
const Q = ${Q};
const T = ${T};
var<workgroup> Aw: array<vec4<f32>, ${NP * Q}>;
var<workgroup> Pw: array<vec4<f32>, ${NP * Q}>;
var<workgroup> Qw: array<vec4<f32>, ${NP * Q}>;
var<workgroup> Bw: array<vec4<f32>, ${Q}>;
var<workgroup> Cw: array<vec4<f32>, ${Q}>;
var<workgroup> Ew: array<vec4<f32>, ${T * Q}>;

fn stepA(x: ptr<function, array<vec4<f32>, ${Q}>>, uk: f32) {
  var y: array<vec4<f32>, ${Q}>;
  let xv = *x;
  ${mv("Aw", "xv", "y")}
  for (var q = 0; q < Q; q = q + 1) { (*x)[q] = y[q] + Bw[q] * uk; }
}
fn mulP(x: array<vec4<f32>, ${Q}>) -> array<vec4<f32>, ${Q}> {
  var y: array<vec4<f32>, ${Q}>;
  ${mv("Pw", "x", "y")}
  return y;
}
// P ← P·P over all invocations (Qw as the scratch), with the barriers.
fn squareP(tid: i32) {
  for (var e = tid; e < NP * NP; e = e + T) {
    let i = e / NP; let j = e % NP;
    var acc = 0.0;
    for (var k = 0; k < NP; k = k + 1) { acc = acc + Pw[i * Q + k / 4][k % 4] * Pw[k * Q + j / 4][j % 4]; }
    Qw[i * Q + j / 4][j % 4] = acc;
  }
  workgroupBarrier();
  for (var e = tid; e < NP * Q; e = e + T) { Pw[e] = Qw[e]; }
  workgroupBarrier();
}

fn main(index: i32) {
  let tid = i32(localId.x);
  let n = uniforms.n;
  for (var e = tid; e < NP * NP; e = e + T) {
    let i = e / NP; let j = e % NP;
    var v = 0.0;
    if (i < n && j < n) { v = A[i * n + j]; }
    Aw[i * Q + j / 4][j % 4] = v;
    Pw[i * Q + j / 4][j % 4] = v;
  }
  if (tid < NP) {
    var bv = 0.0; var cv = 0.0;
    if (tid < n) { bv = Bv[tid]; cv = Cv[tid]; }
    Bw[tid / 4][tid % 4] = bv;
    Cw[tid / 4][tid % 4] = cv;
  }
  workgroupBarrier();
  let s = uniforms.s;
  let l = uniforms.l;
  let nc = uniforms.nc;
  let start = tid * s;
  // 1. chunk ends from a zero state
  var x: array<vec4<f32>, ${Q}>;
  if (tid < nc) {
    for (var t = 0; t < s; t = t + 1) {
      let k = start + t;
      if (k >= l) { break; }
      stepA(&x, u[k]);
    }
    for (var q = 0; q < Q; q = q + 1) { Ew[tid * Q + q] = x[q]; }
  }
  workgroupBarrier();
  // 2. M = Ā^s, then the scan E_b = Σ_{b'≤b} M^{b−b'} e_{b'} (Hillis–Steele, P = M^(2^j) at level j)
  for (var j = 0; j < uniforms.logS; j = j + 1) { squareP(tid); }
  for (var lev = 0; lev < uniforms.logNc; lev = lev + 1) {
    let d = 1 << u32(lev);
    var v: array<vec4<f32>, ${Q}>;
    let live = tid < nc && tid >= d;
    if (live) {
      var w: array<vec4<f32>, ${Q}>;
      for (var q = 0; q < Q; q = q + 1) { w[q] = Ew[(tid - d) * Q + q]; }
      v = mulP(w);
    }
    workgroupBarrier();
    if (live) { for (var q = 0; q < Q; q = q + 1) { Ew[tid * Q + q] = Ew[tid * Q + q] + v[q]; } }
    workgroupBarrier();
    squareP(tid);
  }
  // 3. every output from the true state entering the chunk
  if (tid < nc) {
    for (var q = 0; q < Q; q = q + 1) { x[q] = vec4<f32>(0.0); if (tid > 0) { x[q] = Ew[(tid - 1) * Q + q]; } }
    for (var t = 0; t < s; t = t + 1) {
      let k = start + t;
      if (k >= l) { break; }
      stepA(&x, u[k]);
      var yk = 0.0;
      for (var q = 0; q < Q; q = q + 1) { yk = yk + dot(Cw[q], x[q]); }
      result[k] = yk;
    }
  }
}
`;
  }
}

function recurrenceWebGPU(A: tf.Tensor2D, B: tf.Tensor, C: tf.Tensor, u: tf.Tensor1D): tf.Tensor1D | null {
  const n = A.shape[0];
  const l = u.shape[0];
  const NP = padN(n);
  const T = threadsFor(NP, workgroupStorageBytes());
  if (T === 0) return null;
  const logS = log2ceil(Math.ceil(l / T));
  const s = 2 ** logS;
  const nc = Math.ceil(l / s);
  const program = new RecurrenceWebGPU(l, NP, T);
  const ints = [n, l, s, nc, logS, log2ceil(nc)].map((v) => ({type: "int32" as const, data: [v]}));
  return runWebGPU(program, [A, B, C, u], ints) as tf.Tensor1D;
}

// ---- webgl
const GLSL_MAX_STEPS = 1 << 14; // loop bound for s and nc (a constant bound with break, as GLSL ES wants)

function glslHeader(NP: number): string {
  return `
const int NP = ${NP};
float Am[NP * NP];
void loadA() {
  for (int i = 0; i < NP; i++) for (int j = 0; j < NP; j++) Am[i * NP + j] = (i < uN && j < uN) ? getA(i, j) : 0.0;
}
float bAt(int i) { return i < uN ? getBv(i, 0) : 0.0; }
`;
}
const STEP = `
    float y[NP];
    for (int i = 0; i < NP; i++) { float acc = 0.0; for (int j = 0; j < NP; j++) acc += Am[i * NP + j] * x[j]; y[i] = acc; }`;

/** mode "ends": (nc, NP) chunk ends; "power": (NP, NP) Ā^s; "carries": (nc, NP) E_b; "out": (l) y. */
class RecurrencePassWebGL implements WebGLProgramLike {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms = true;
  customUniforms = [{name: "uN", type: "int" as const}, {name: "uL", type: "int" as const}, {name: "uS", type: "int" as const}, {name: "uNc", type: "int" as const}];
  constructor(mode: "ends" | "power" | "carries" | "out", NP: number, shape: number[]) {
    this.outputShape = shape;
    const body = {
      ends: `
  ivec2 rc = getOutputCoords();
  int b = rc.x;
  loadA();
  float x[NP];
  for (int i = 0; i < NP; i++) x[i] = 0.0;
  for (int t = 0; t < ${GLSL_MAX_STEPS}; t++) {
    int k = b * uS + t;
    if (t >= uS || k >= uL) break;
    float uk = getU(k);${STEP}
    for (int i = 0; i < NP; i++) x[i] = y[i] + bAt(i) * uk;
  }
  float v = 0.0;
  for (int i = 0; i < NP; i++) if (i == rc.y) v = x[i];
  setOutput(v);`,
      power: `
  ivec2 rc = getOutputCoords();
  loadA();
  float x[NP];
  for (int i = 0; i < NP; i++) x[i] = i == rc.y ? 1.0 : 0.0;
  for (int t = 0; t < ${GLSL_MAX_STEPS}; t++) {
    if (t >= uS) break;${STEP}
    for (int i = 0; i < NP; i++) x[i] = y[i];
  }
  float v = 0.0;
  for (int i = 0; i < NP; i++) if (i == rc.x) v = x[i];
  setOutput(v);`,
      carries: `
  ivec2 rc = getOutputCoords();
  for (int i = 0; i < NP; i++) for (int j = 0; j < NP; j++) Am[i * NP + j] = getM(i, j);
  float x[NP];
  for (int i = 0; i < NP; i++) x[i] = 0.0;
  for (int c = 0; c < ${GLSL_MAX_STEPS}; c++) {
    if (c > rc.x) break;${STEP}
    for (int i = 0; i < NP; i++) x[i] = y[i] + getE(c, i);
  }
  float v = 0.0;
  for (int i = 0; i < NP; i++) if (i == rc.y) v = x[i];
  setOutput(v);`,
      out: `
  int k = getOutputCoords();
  int b = k / uS;
  loadA();
  float x[NP];
  for (int i = 0; i < NP; i++) x[i] = b > 0 ? getE(b - 1, i) : 0.0;
  for (int t = 0; t < ${GLSL_MAX_STEPS}; t++) {
    int kk = b * uS + t;
    if (kk > k) break;
    float uk = getU(kk);${STEP}
    for (int i = 0; i < NP; i++) x[i] = y[i] + bAt(i) * uk;
  }
  float v = 0.0;
  for (int i = 0; i < NP; i++) v += (i < uN ? getCv(0, i) : 0.0) * x[i];
  setOutput(v);`
    }[mode];
    this.variableNames = {ends: ["A", "Bv", "U"], power: ["A", "Bv"], carries: ["M", "E"], out: ["A", "Bv", "Cv", "U", "E"]}[mode];
    this.userCode = `${mode === "carries" ? `const int NP = ${NP};\nfloat Am[NP * NP];` : glslHeader(NP)}
void main() {${body}
}
`;
  }
}

function recurrenceWebGL(A: tf.Tensor2D, B: tf.Tensor, C: tf.Tensor, u: tf.Tensor1D): tf.Tensor1D {
  const n = A.shape[0];
  const l = u.shape[0];
  const NP = padN(n);
  // s ≈ (2 l n)^(1/3) balances the outputs' ≤ s steps against the carries' nc steps.
  const s = Math.min(GLSL_MAX_STEPS, 2 ** Math.max(0, Math.round(Math.log2(Math.cbrt(2 * l * n)))));
  const nc = Math.ceil(l / s);
  const uni = [[n], [l], [s], [nc]];
  const Bm = tf.reshape(B, [n, 1]), Cm = tf.reshape(C, [1, n]);
  const E0 = runWebGL(new RecurrencePassWebGL("ends", NP, [nc, NP]), [A, Bm, u], uni);
  const M = runWebGL(new RecurrencePassWebGL("power", NP, [NP, NP]), [A, Bm], uni);
  const E = runWebGL(new RecurrencePassWebGL("carries", NP, [nc, NP]), [M, E0], uni);
  return runWebGL(new RecurrencePassWebGL("out", NP, [l]), [A, Bm, Cm, u, E], uni) as tf.Tensor1D;
}

/**
 * Whether ssmRecurrent should take the fused programs for state size n and length l on the
 * active backend (pathKey()), from these medians (ms, headless Chromium, SwiftShader, 2
 * shared cores, noisy; fused vs composite, n = 16 / n = 4):
 *   webgpu  l = 64: 7.3 vs 802 / 4.6 vs 317;  1024: 28 vs 664 / 2.7 vs 499;
 *           4096: 16 vs 1818 / 20 vs 628;     16384: 39 vs 5168 / 48 vs 2191     → always fused
 *   webgl   n = 16: l = 256: 216 vs 33;  1024: 1034 vs 29;  16384: 8042 vs 217  → composite
 *           n = 4:  l = 256: 32 vs 86;   1024: 11 vs 84;    4096: 277 vs 43     → fused to l = 2048
 * (software webgl pays for every fragment's loop; the composite's few large ops are cheap
 * there). No hardware webgl was measured: it keeps the software rule. A hardware webgpu
 * runs the one-dispatch program (bench/gpu, the H200 numbers) where the composite pays for
 * 35–140 dispatches: always fused.
 */
export function useFusedRecurrence(n: number, l: number): boolean {
  const key = pathKey();
  if (key === "webgpu" || key === "webgpu-software") return true;
  if (key === "webgl" || key === "webgl-software") return n <= 4 && l <= 2048;
  return false;
}

/**
 * y (l) of the recurrence by the active GPU backend's fused programs, or null where there
 * are none (other backends, n > FUSED_MAX_N, l beyond the webgl loop bound) or, unless
 * `force`, where useFusedRecurrence prefers the composite. Ab (n, n), Bb (n, 1), C (1, n),
 * u (l): validated float32 tensors; call inside tf.tidy.
 */
export function ssmRecurrentGpu(Ab: tf.Tensor2D, Bb: tf.Tensor, C: tf.Tensor, u: tf.Tensor1D, force = false): tf.Tensor1D | null {
  const n = Ab.shape[0];
  if (n > FUSED_MAX_N) return null;
  if (!force && !useFusedRecurrence(n, u.shape[0])) return null;
  const backend = tf.getBackend();
  if (backend === "webgpu") return recurrenceWebGPU(Ab, Bb, C, u);
  if (backend === "webgl" && u.shape[0] <= GLSL_MAX_STEPS * GLSL_MAX_STEPS) return recurrenceWebGL(Ab, Bb, C, u);
  return null;
}
