// SSD fused per backend: the same recurrence as ssd (S_t = exp(a_t) S_{t−1} + x_t B_tᵀ,
// y_t = S_t C_t) without one tfjs op per step of the algorithm:
//   webgpu     a chunked scan in three WebGPU dispatches (below) instead of the ~40 tfjs ops of
//              the composite chunked algorithm, reading the inputs in their (b, l, h, ·) layout;
//   cpu, wasm  one loop over t on the typed arrays (their data is in CPU memory anyway),
//              10–40× faster than the composite ops there (bench/cases.ts);
//   webgl      not provided: a loop would need a synchronous readback, a stall.
//
// The WebGPU scan:
// Each row i of a head's state S (p, n) evolves on its own: S_t[i, :] = g_t S_{t−1}[i, :] +
// x_t[i] B_t with g_t = exp(a_t), y_t[i] = S_t[i, :]·C_t. One invocation owns one such row
// (n floats in registers) over one chunk of c steps:
//   pass 1  (b·h·p·nc invocations)  each chunk's end state from a zero start, and exp(Σ_chunk a)
//   pass 2  (b·h·p·n invocations)   the states before each chunk, by the recurrence over the nc
//                                   chunks (S_start[k+1] = exp(Σ_chunk k a) S_start[k] + E_k)
//   pass 3  (b·h·p·nc invocations)  the chunk again from its true start state, writing y_t[i]
//                                   (and, in the last chunk, the final state)
// Serial depth 2c + nc steps instead of l, the same work as the recurrence twice; exact up
// to float32 rounding (no matrix form, no exp of anything but a_t and chunk sums ≤ 0). This
// is the "hardware-aware" chunked scan of Mamba's selective-scan kernel (Gu & Dao 2023)
// rather than SSD's matrix form (Dao & Gu 2024), which pays only with tensor cores.
// With one chunk (c ≥ l) passes 1 and 2 are skipped: one dispatch, a plain sequential scan.
//
// Not differentiable (no gradient is registered): models train through ssd's composite ops.
// tfjs's pipeline cache is keyed by shaderKey, so the state size n (an array length in the
// WGSL) is part of it.
import * as tf from "@tensorflow/tfjs";
import {assertInteger, fail, type TensorLike} from "../validate.js";
import {ssdArgs, type SsdResult} from "./ssd.js";

const WORKGROUP = 64;

/** Chunk length of the fused scan when none is given: about √l (balances 2c against l/c), at least 16. */
export function fusedChunk(l: number): number {
  return Math.max(16, 2 ** Math.round(Math.log2(Math.sqrt(l))));
}

interface Program {
  variableNames: string[]; outputShape: number[]; shaderKey: string; dispatchLayout: {x: number[]};
  dispatch: [number, number, number]; workgroupSize: [number, number, number]; uniforms: string; getUserCode(): string;
}

function program(name: string, inputs: string[], outputShape: number[], threads: number, n: number, body: string): Program {
  return {
    variableNames: inputs, outputShape, shaderKey: `ssdFused_${name}_${n}`,
    dispatchLayout: {x: outputShape.map((_, i) => i)},
    dispatch: [Math.ceil(threads / WORKGROUP), 1, 1], workgroupSize: [WORKGROUP, 1, 1],
    uniforms: "threads : i32, l : i32, h : i32, p : i32, c : i32, nc : i32,",
    getUserCode: () => `
      const N = ${n};
      fn main(index : i32) {
        if (index >= uniforms.threads) { return; }
        ${body}
      }`
  };
}

/** Invocation (bh, k, i) of passes 1 and 3: batch·head, chunk, state row. */
const CHUNK_COORDS = `
        let i = index % uniforms.p;
        let k = (index / uniforms.p) % uniforms.nc;
        let bh = index / (uniforms.p * uniforms.nc);
        let bb = bh / uniforms.h;
        let hh = bh % uniforms.h;
        let t0 = k * uniforms.c;
        let t1 = min(t0 + uniforms.c, uniforms.l);
        var s : array<f32, N>;`;

/** Pass 1: E (b·h·nc, p·n + 1): the end state of each chunk from zero, then exp(Σ_chunk a). */
const PASS1 = `${CHUNK_COORDS}
        for (var j = 0; j < N; j++) { s[j] = 0.0; }
        var sumA = 0.0;
        for (var t = t0; t < t1; t++) {
          let row = (bb * uniforms.l + t) * uniforms.h + hh;
          let at = a[row];
          let g = exp(at);
          sumA = sumA + at;
          let xi = x[row * uniforms.p + i];
          for (var j = 0; j < N; j++) { s[j] = g * s[j] + xi * B[row * N + j]; }
        }
        let out = (bh * uniforms.nc + k) * (uniforms.p * N + 1);
        for (var j = 0; j < N; j++) { result[out + i * N + j] = s[j]; }
        if (i == 0) { result[out + uniforms.p * N] = exp(sumA); }`;

/** Pass 2: starts (b·h, nc, p·n): the state before each chunk, initial state first. */
const PASS2 = `
        let pn = uniforms.p * N;
        let e = index % pn;
        let bh = index / pn;
        var s = S0[bh * pn + e];
        for (var k = 0; k < uniforms.nc; k++) {
          result[(bh * uniforms.nc + k) * pn + e] = s;
          let row = (bh * uniforms.nc + k) * (pn + 1);
          s = E[row + pn] * s + E[row + e];
        }`;

/** Pass 3: y (b·l·h·p) followed by the final state (b·h·p·n), from the chunk start states. */
const PASS3 = `${CHUNK_COORDS}
        let pn = uniforms.p * N;
        for (var j = 0; j < N; j++) { s[j] = starts[(bh * uniforms.nc + k) * pn + i * N + j]; }
        for (var t = t0; t < t1; t++) {
          let row = (bb * uniforms.l + t) * uniforms.h + hh;
          let g = exp(a[row]);
          let xi = x[row * uniforms.p + i];
          var acc = 0.0;
          for (var j = 0; j < N; j++) {
            let v = g * s[j] + xi * B[row * N + j];
            s[j] = v;
            acc = acc + v * C[row * N + j];
          }
          result[row * uniforms.p + i] = acc;
        }
        if (k == uniforms.nc - 1) {
          let tail = uniforms.l * uniforms.p * (uniforms.threads / (uniforms.p * uniforms.nc)); // b·l·h·p
          for (var j = 0; j < N; j++) { result[tail + bh * pn + i * N + j] = s[j]; }
        }`;

/** The backends ssdFused runs on. */
export const FUSED_BACKENDS = ["webgpu", "cpu", "wasm"];

/**
 * The recurrence as one loop over t per (batch, head) on flat row-major arrays, the state in
 * float64: x (b·l·h·p), a (b·l·h), B, C (b·l·h·n), S0 (b·h·p·n) or null.
 */
function scanLoop(x: ArrayLike<number>, a: ArrayLike<number>, B: ArrayLike<number>, C: ArrayLike<number>, S0: ArrayLike<number> | null,
  nb: number, l: number, h: number, p: number, n: number): [Float32Array, Float32Array] {
  const y = new Float32Array(nb * l * h * p);
  const last = new Float32Array(nb * h * p * n);
  const S = new Float64Array(p * n);
  for (let bh = 0; bh < nb * h; bh++) {
    const [ib, ih] = [Math.floor(bh / h), bh % h];
    for (let e = 0; e < p * n; e++) S[e] = S0 ? S0[bh * p * n + e] : 0;
    for (let t = 0; t < l; t++) {
      const row = (ib * l + t) * h + ih; // (b, l, h) index of this step
      const g = Math.exp(a[row]);
      for (let i = 0; i < p; i++) {
        const xi = x[row * p + i];
        let acc = 0;
        for (let j = 0; j < n; j++) {
          const v = (S[i * n + j] = g * S[i * n + j] + xi * B[row * n + j]);
          acc += v * C[row * n + j];
        }
        y[row * p + i] = acc;
      }
    }
    for (let e = 0; e < p * n; e++) last[bh * p * n + e] = S[e];
  }
  return [y, last];
}

/**
 * SSD fused for the active backend (see the header): same arguments and result as ssd, on
 * webgpu (WebGPU programs), cpu and wasm (a loop); webgl is refused. opts.chunk is the
 * WebGPU scan's chunk length (default fusedChunk(l) ≈ √l; any chunk gives the same answer up
 * to float32 rounding); the loop ignores it.
 */
export function ssdFused(x: TensorLike, a: TensorLike, B: TensorLike, C: TensorLike, opts: {chunk?: number; initialState?: TensorLike | null} = {}): SsdResult {
  const fn = "ssdFused";
  const active = tf.getBackend();
  if (!FUSED_BACKENDS.includes(active)) fail(fn, `runs on ${FUSED_BACKENDS.join(", ")}, but the active backend is ${active}`);
  if (opts != null && typeof opts !== "object") fail(fn, `opts must be an object, got ${typeof opts}`);
  const {chunk, initialState = null} = opts ?? {};
  if (chunk != null) assertInteger(chunk, fn, "chunk", 1);
  const [y, finalState] = tf.tidy(() => {
    const s = ssdArgs(fn, x, a, B, C, initialState);
    const {nb, l, h, p, n} = s;
    if (active !== "webgpu") {
      const [yv, last] = scanLoop(s.x.dataSync(), s.a.dataSync(), s.B.dataSync(), s.C.dataSync(), s.S0?.dataSync() ?? null, nb, l, h, p, n);
      return [tf.tensor(yv, [nb, l, h, p]), tf.tensor(last, [nb, h, p, n])];
    }
    const c = Math.min(chunk ?? fusedChunk(l), l);
    const nc = Math.ceil(l / c);
    const bh = nb * h;
    const backend = tf.backend() as unknown as {runWebGPUProgram(p: Program, inputs: tf.TensorInfo[], dtype: string, uniforms: {type: string; data: number[]}[]): tf.TensorInfo};
    const run = (prog: Program, inputs: tf.Tensor[], threads: number): tf.Tensor => {
      // one entry per field of the uniforms struct (tfjs aligns each entry as one field)
      const uniforms = [threads, l, h, p, c, nc].map((v) => ({type: "int32", data: [v]}));
      return tf.engine().makeTensorFromTensorInfo(backend.runWebGPUProgram(prog, inputs, "float32", uniforms));
    };
    const S0 = s.S0 ?? tf.zeros([nb, h, p, n]);
    let starts: tf.Tensor;
    if (nc === 1) starts = S0; // (b, h, p, n) = (b·h, 1, p·n)
    else {
      const E = run(program("chunks", ["x", "a", "B"], [bh * nc, p * n + 1], bh * nc * p, n, PASS1), [s.x, s.a, s.B], bh * nc * p);
      starts = run(program("starts", ["E", "S0"], [bh, nc, p * n], bh * p * n, n, PASS2), [E, S0], bh * p * n);
    }
    const size = nb * l * h * p;
    const out = run(program("outputs", ["x", "a", "B", "C", "starts"], [size + bh * p * n], bh * nc * p, n, PASS3), [s.x, s.a, s.B, s.C, starts], bh * nc * p);
    return [tf.reshape(tf.slice(out, [0], [size]), [nb, l, h, p]), tf.reshape(tf.slice(out, [size], [bh * p * n]), [nb, h, p, n])];
  });
  return {y, finalState};
}
