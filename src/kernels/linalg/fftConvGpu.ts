// Real linear convolution by FFT as a few GPU programs (webgpu, webgl): the fused form of
// convolveReal (./fft.ts), which builds the same computation from ~16·log2 N small tfjs ops.
//
// Math (as convolveReal): a, b (B, l) real, N = nextPowerOfTwo(2l); pack z = a + ib (zero
// padded to N), Z = FFT(z); with Z_k = p + iq and Z_{N−k} = r + is the spectrum of a ∗ b is
//     P_k = A_k·B_k = [(pq + rs)/2] − i[(p² − q² − r² + s²)/4],
// and c = Re IFFT(P), of which the first `length` entries are returned.
//
// The FFT is Stockham's self-sorting formulation (no bit reversal; Van Loan 1992,
// "Computational Frameworks for the Fast Fourier Transform", §1.7), mixed radix, in the form
// of E. Bainville's OpenCL FFT: with p = the product of the radices done so far (p = 1 first)
// and t = N/R, element i ∈ [0, t) of a radix-R pass reads x_j = in[i + j·t], j < R, and with
// k = i mod p writes
//     out[(i − k)·R + k + q·p] = Σ_j x_j · ω^{j(k + q·p)},   ω = exp(∓2πi/(p·R)),   q < R,
// i.e. a twiddle by ω^{jk} and a length-R DFT. After passes whose radices multiply to N the
// output is the DFT in natural order.
//
// webgpu  ONE program per row b (a workgroup of 256 invocations, B workgroups): the packing,
//         every radix-4 pass (a radix-2 one first when log2 N is odd), the spectral product,
//         the inverse passes and the real part, with storageBarrier() between passes. The
//         passes ping-pong between two halves of the program's output, (B, 4N) floats; the
//         last pass writes the real result to the start of each row, which one tf.slice
//         returns: two dispatches in all, whatever N. The transform stays on one compute unit
//         per row: O(N log N / 256) steps, tens of microseconds for N = 32768 on a current GPU,
//         against the ~0.26 ms that each extra dispatch cost through tfjs + Dawn on an H200 (2026-12-01).
// webgl   one fragment program per pass (a fragment computes one real number, so the passes
//         are large-radix to be few: radix ≤ 32, ⌈log2 N / 5⌉ passes per transform). The
//         first forward pass reads a and b directly (packing and zero padding), the first
//         inverse pass forms the product P from Z_k and Z_{N−k} as it reads, and the last
//         inverse pass writes only Re for the first `length` outputs: 2⌈log2 N / 5⌉ programs
//         in all, e.g. 6 for N = 8192. Every size is a uniform (enableShapeUniforms and
//         customUniforms): three compiled programs serve every l and batch.
import * as tf from "@tensorflow/tfjs";
import {GLSL_COMPLEX, WGSL_COMPLEX, runWebGL, runWebGPU, type WebGLProgramLike, type WebGPUProgramLike} from "../gpu.js";

const WG = 256; // invocations per workgroup (the WebGPU default limit)
/** Rows per webgpu call: one workgroup each, within the 65535 workgroups of one dispatch dimension. */
const MAX_ROWS = 65535;
const MAX_BINDING_BYTES = 1 << 27;

class FftConvWebGPU implements WebGPUProgramLike {
  variableNames = ["a", "b"];
  outputShape: number[];
  shaderKey = `ssmFftConv_wg${WG}`;
  dispatchLayout: {x: number[]};
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WG, 1, 1];
  uniforms = "l : i32, N : i32, logN : i32, len : i32,";
  constructor(rows: number, N: number) {
    this.outputShape = [rows, 4 * N];
    this.dispatchLayout = {x: [0, 1]};
    this.dispatch = [rows, 1, 1];
  }
  getUserCode(): string {
    return `
${WGSL_COMPLEX}
const WG = ${WG};
var<private> row: i32;
var<private> tid: i32;

// mode 0: read the complex buffer at offset src; mode 1: read z = a + ib (zero padded).
fn load(mode: i32, src: i32, i: i32) -> vec2<f32> {
  if (mode == 1) {
    if (i < uniforms.l) { return vec2<f32>(a[row * uniforms.l + i], b[row * uniforms.l + i]); }
    return vec2<f32>(0.0, 0.0);
  }
  return vec2<f32>(result[src + 2 * i], result[src + 2 * i + 1]);
}
// mode 0: write complex at offset dst; mode 1: write Re only, at the start of the row, for i < len.
fn store(mode: i32, dst: i32, i: i32, z: vec2<f32>) {
  if (mode == 1) {
    if (i < uniforms.len) { result[row * 4 * uniforms.N + i] = z.x; }
    return;
  }
  result[dst + 2 * i] = z.x;
  result[dst + 2 * i + 1] = z.y;
}
fn tw(m: i32, M: i32, sign: f32) -> vec2<f32> { let c = cisTurn(m, M); return vec2<f32>(c.x, sign * c.y); }
fn pass2(p: i32, sign: f32, inMode: i32, src: i32, outMode: i32, dst: i32) {
  let t = uniforms.N / 2;
  for (var i = tid; i < t; i = i + WG) {
    let k = i & (p - 1);
    let x0 = load(inMode, src, i);
    let x1 = cmul(load(inMode, src, i + t), tw(k, 2 * p, sign));
    let o = (i - k) * 2 + k;
    store(outMode, dst, o, x0 + x1);
    store(outMode, dst, o + p, x0 - x1);
  }
}
fn pass4(p: i32, sign: f32, inMode: i32, src: i32, outMode: i32, dst: i32) {
  let t = uniforms.N / 4;
  for (var i = tid; i < t; i = i + WG) {
    let k = i & (p - 1);
    let x0 = load(inMode, src, i);
    let x1 = cmul(load(inMode, src, i + t), tw(k, 4 * p, sign));
    let x2 = cmul(load(inMode, src, i + 2 * t), tw(2 * k, 4 * p, sign));
    let x3 = cmul(load(inMode, src, i + 3 * t), tw(3 * k, 4 * p, sign));
    let s02 = x0 + x2; let d02 = x0 - x2; let s13 = x1 + x3; let d13 = x1 - x3;
    let rd13 = vec2<f32>(-sign * d13.y, sign * d13.x); // (sign·i)·d13
    let o = (i - k) * 4 + k;
    store(outMode, dst, o, s02 + s13);
    store(outMode, dst, o + p, d02 + rd13);
    store(outMode, dst, o + 2 * p, s02 - s13);
    store(outMode, dst, o + 3 * p, d02 - rd13);
  }
}

fn main(index: i32) {
  row = i32(workgroupId.x); // dispatch (rows, 1, 1), rows ≤ MAX_ROWS: tfjs does not reshape it
  tid = i32(localId.x);
  let N = uniforms.N;
  let ping = row * 4 * N;
  let pong = ping + 2 * N;
  // Passes per transform S; buffer writes before the last pass: 2S (S forward, the product,
  // S − 1 inverse), an even number, so writing ping first leaves the last input in pong.
  var src = pong;
  var dst = ping;
  var inMode = 1;
  for (var dir = 0; dir < 2; dir = dir + 1) {
    let sign = select(-1.0, 1.0, dir == 1);
    var p = 1;
    var bits = uniforms.logN;
    loop {
      if (bits == 0) { break; }
      let last = dir == 1 && bits <= 2; // the pass that leaves bits = 0 (radix-2 runs only first)
      let outMode = select(0, 1, last);
      if ((bits & 1) == 1) {
        pass2(p, sign, inMode, src, outMode, dst);
        p = p * 2; bits = bits - 1;
      } else {
        pass4(p, sign, inMode, src, outMode, dst);
        p = p * 4; bits = bits - 2;
      }
      storageBarrier();
      inMode = 0; src = dst; dst = select(ping, pong, dst == ping);
    }
    if (dir == 0) {
      // P_k from Z_k and Z_{N−k}, with the inverse transform's 1/N.
      let inv = 1.0 / f32(N);
      for (var kk = tid; kk < N; kk = kk + WG) {
        let zk = load(0, src, kk);
        let zn = load(0, src, (N - kk) & (N - 1));
        let re = (zk.x * zk.y + zn.x * zn.y) * 0.5 * inv;
        let im = -((zk.x - zn.x) * (zk.x + zn.x) - (zk.y - zn.y) * (zk.y + zn.y)) * 0.25 * inv;
        store(0, dst, kk, vec2<f32>(re, im));
      }
      storageBarrier();
      src = dst; dst = select(ping, pong, dst == ping);
    }
  }
}
`;
  }
}

function convolveWebGPU(a: tf.Tensor2D, b: tf.Tensor2D, length: number): tf.Tensor2D {
  const [rows, l] = a.shape;
  const N = nextPow2(2 * l);
  const program = new FftConvWebGPU(rows, N);
  const out = runWebGPU(program, [a, b], [{type: "int32", data: [l]}, {type: "int32", data: [N]},
    {type: "int32", data: [Math.log2(N)]}, {type: "int32", data: [length]}]);
  return tf.slice(out, [0, 0], [rows, length]) as tf.Tensor2D; // (rows, length)
}

// ---- webgl: one program per pass
const MAX_RADIX = 32;

/** inMode 0: the complex (rows, 2N) texture x; 1: z = a + ib from a, b (rows, l); 2: P from Z. */
class FftPassWebGL implements WebGLProgramLike {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms = true;
  customUniforms = [
    {name: "uN", type: "int" as const}, {name: "uP", type: "int" as const}, {name: "uR", type: "int" as const},
    {name: "uL", type: "int" as const}, {name: "uSgn", type: "float" as const}
  ];
  constructor(inMode: 0 | 1 | 2, realOut: boolean, rows: number, width: number) {
    this.variableNames = inMode === 1 ? ["a", "b"] : ["x"];
    this.outputShape = [rows, width];
    const load = inMode === 1
      ? `vec2 ld(int r, int i) { return i < uL ? vec2(getA(r, i), getB(r, i)) : vec2(0.0); }`
      : inMode === 0
        ? `vec2 ld(int r, int i) { return vec2(getX(r, 2 * i), getX(r, 2 * i + 1)); }`
        : `vec2 zz(int r, int i) { return vec2(getX(r, 2 * i), getX(r, 2 * i + 1)); }
           vec2 ld(int r, int i) {
             vec2 zk = zz(r, i);
             vec2 zn = zz(r, (uN - i) - ((uN - i) / uN) * uN);
             float inv = 1.0 / float(uN);
             return vec2((zk.x * zk.y + zn.x * zn.y) * 0.5 * inv,
                         -((zk.x - zn.x) * (zk.x + zn.x) - (zk.y - zn.y) * (zk.y + zn.y)) * 0.25 * inv);
           }`;
    this.userCode = `
${GLSL_COMPLEX}
${load}
void main() {
  ivec2 rc = getOutputCoords();
  int r = rc.x;
  int o = ${realOut ? "rc.y" : "rc.y / 2"};
  int part = ${realOut ? "0" : "rc.y - (rc.y / 2) * 2"};
  int p = uP, R = uR;
  int k = o - (o / p) * p;
  int q = (o / p) - (o / (p * R)) * R;
  int g = o / (p * R);
  int i = g * p + k;
  int t = uN / R;
  int M = p * R;
  int step = k + q * p;
  // ω^{j·step} exactly (cisTurn) every 8th j, by one rotation from the previous j in between:
  // rounding errors grow over at most 7 rotations.
  vec2 w1 = cisTurn(step, M);
  w1.y *= uSgn;
  vec2 w = vec2(1.0, 0.0);
  vec2 acc = vec2(0.0);
  for (int j = 0; j < ${MAX_RADIX}; j++) {
    if (j >= R) break;
    if (j > 0) {
      if (j - (j / 8) * 8 == 0) { w = cisTurn(j * step, M); w.y *= uSgn; } else { w = cmul(w, w1); }
    }
    acc += cmul(ld(r, i + j * t), w);
  }
  setOutput(part == 0 ? acc.x : acc.y);
}
`;
  }
}

/** Radices (≤ 32) whose product is N = 2^bits, as even as possible: ⌈bits / 5⌉ passes. */
export function radixPlan(N: number): number[] {
  const bits = Math.round(Math.log2(N));
  if (bits === 0) return [];
  const passes = Math.ceil(bits / 5);
  const plan: number[] = [];
  for (let s = 0; s < passes; s++) plan.push(2 ** (Math.floor(bits / passes) + (s < bits % passes ? 1 : 0)));
  return plan;
}

function convolveWebGL(a: tf.Tensor2D, b: tf.Tensor2D, length: number): tf.Tensor2D {
  const [rows, l] = a.shape;
  const N = nextPow2(2 * l);
  const plan = radixPlan(N);
  const run = (inMode: 0 | 1 | 2, realOut: boolean, inputs: tf.Tensor[], p: number, R: number, sgn: number) =>
    runWebGL(new FftPassWebGL(inMode, realOut, rows, realOut ? length : 2 * N), inputs, [[N], [p], [R], [l], [sgn]]);
  let x: tf.Tensor = tf.tensor([0]); // replaced below
  let p = 1;
  plan.forEach((R, s) => { x = run(s === 0 ? 1 : 0, false, s === 0 ? [a, b] : [x], p, R, -1); p *= R; });
  p = 1;
  plan.forEach((R, s) => { x = run(s === 0 ? 2 : 0, s === plan.length - 1, [x], p, R, 1); p *= R; });
  return x as tf.Tensor2D; // (rows, length)
}

function nextPow2(n: number): number {
  let N = 1;
  while (N < n) N *= 2;
  return N;
}

/**
 * Real linear convolution c (rows, length) of a, b (rows, l) by the fused programs of the
 * active GPU backend, or null on other backends. Call inside tf.tidy with validated float32
 * tensors, 1 ≤ length ≤ 2l − 1.
 */
export function convolveRealGpu(a: tf.Tensor2D, b: tf.Tensor2D, length: number): tf.Tensor2D | null {
  const backend = tf.getBackend();
  if (backend === "webgpu") {
    const rows = a.shape[0];
    // scratch (rows, 4N) floats in one storage binding (128 MiB is the WebGPU default limit)
    if (16 * nextPow2(2 * a.shape[1]) > MAX_BINDING_BYTES) return null;
    const perCall = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_BINDING_BYTES / (16 * nextPow2(2 * a.shape[1])))));
    if (rows <= perCall) return convolveWebGPU(a, b, length);
    const parts: tf.Tensor2D[] = [];
    for (let r = 0; r < rows; r += perCall) {
      const n = Math.min(perCall, rows - r);
      parts.push(convolveWebGPU(tf.slice(a, [r, 0], [n, -1]), tf.slice(b, [r, 0], [n, -1]), length));
    }
    return tf.concat(parts, 0);
  }
  if (backend === "webgl") return convolveWebGL(a, b, length);
  return null;
}
