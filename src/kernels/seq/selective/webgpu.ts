// The fused selective scan on WebGPU: one compute dispatch for the whole scan (WGSL).
//
// Layout of the work, after Mamba's CUDA kernel (Gu & Dao 2023, Section 3.3.2; state-spaces/mamba
// csrc/selective_scan/selective_scan_fwd_kernel.cuh): one workgroup per (batch b, channel c),
// W invocations along l, each owning I consecutive steps, so a chunk of T = W·I steps is in
// flight at once; chunks follow one another with the state carried across in workgroup memory.
// For a chunk, and for a group of G states k at a time:
//   1. each invocation composes its I steps into one affine map h ↦ a·h + b, with
//      a = Π exp(Δ_t A_k), b = the state its steps would reach from h = 0;
//   2. the workgroup scans these W maps (Hillis–Steele, log2 W levels in workgroup memory),
//      the combine being (a₁, b₁) then (a₂, b₂) = (a₁a₂, a₂b₁ + b₂);
//   3. each invocation starts from (its exclusive prefix applied to the carried state),
//      replays its I steps (exp recomputed: cheaper than keeping it) and adds C_t,k·h_t,k to
//      its y_t in registers.
// Δ's bias and softplus, exp(ΔA), the readout, D·u and the gate silu(z) all happen in
// registers; the only writes to memory are y (b, l, d) and, when asked, the last state.
// With D, z and deltaBias all given (Mamba's case) the inputs would need 9 storage buffers,
// one more than WebGPU's default per-stage limit (8), so D and deltaBias are first packed
// into one buffer by a tiny program (2·d floats): two dispatches then, one otherwise.
// Every size is a uniform; only W, I, G and which optional inputs exist are baked into the
// WGSL, and they are all in shaderKey (tfjs keys its pipeline cache by shaderKey, not by source).
import type * as tf from "@tensorflow/tfjs";
import {SELECTIVE_SCAN, type SelectiveScanAttrs, scanSizes} from "./names.js";

type Info = tf.TensorInfo;

/** Largest state size n of the fused WebGPU kernel (the carried state lives in workgroup memory). */
export const WEBGPU_MAX_N = 256;
// 128 invocations × 16 steps, states in groups of 8: the most consistent of six tunings on an
// NVIDIA H200 in two runs (Dawn, 2026-12-02; b = 1, n = 16; GPU time by timestamp queries):
// 0.13 / 0.79 ms at l = 4096, d = 64; 6.0 / 6.4 ms at l = 4096, d = 1536; 0.52 / 0.52 ms at
// l = 16384, d = 64. The first default, 64 × 16 × 16, was chosen on a software GPU (0.20,
// 6.9, 0.85 ms in the first run). bench/gpu/selective.ts times the others beside it;
// bench/gpu/results/ has the runs.
export const WEBGPU_DEFAULTS = {workgroupSize: 128, items: 16, stateGroup: 8};
/** WebGPU's default limit of workgroup memory (maxComputeWorkgroupStorageSize), kept for portability. */
export const WEBGPU_WORKGROUP_BYTES = 16384;
/** Workgroup memory of the kernel: the scanned maps (2·G·W floats) and the carried state. */
const workgroupBytes = (W: number, G: number) => 4 * (2 * G * W + WEBGPU_MAX_N);

/** The subset of tfjs-backend-webgpu's WebGPUProgram that this file fills in. */
interface Program {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: {x: number[]};
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms: string;
  workgroupSize: [number, number, number];
  size?: boolean;
  getUserCode(): string;
}

interface WebGPUBackendLike {
  runWebGPUProgram(program: Program, inputs: Info[], dtype: string, uniforms: {type: string; data: number[]}[]): Info;
  disposeData(dataId: unknown): void;
  device: {limits: Record<string, number>};
}

const flat = (t: Info): Info => ({dataId: t.dataId, shape: [t.shape.reduce((p, s) => p * s, 1)], dtype: t.dtype});

/** Checks the tuning knobs; throws with a message naming the knob. */
export function webgpuTuning(attrs: Partial<SelectiveScanAttrs>): {W: number; I: number; G: number} {
  const W = attrs.workgroupSize ?? WEBGPU_DEFAULTS.workgroupSize;
  const I = attrs.items ?? WEBGPU_DEFAULTS.items;
  const G = attrs.stateGroup ?? WEBGPU_DEFAULTS.stateGroup;
  if (![32, 64, 128, 256].includes(W)) throw new Error(`selectiveScan: workgroupSize must be 32, 64, 128 or 256, got ${W}`);
  if (!Number.isInteger(I) || I < 1 || I > 16) throw new Error(`selectiveScan: items must be an integer in [1, 16], got ${I}`);
  if (![1, 2, 4, 8, 16].includes(G)) throw new Error(`selectiveScan: stateGroup must be 1, 2, 4, 8 or 16, got ${G}`);
  if (workgroupBytes(W, G) > WEBGPU_WORKGROUP_BYTES) {
    throw new Error(`selectiveScan: workgroupSize·stateGroup must keep workgroup memory within ${WEBGPU_WORKGROUP_BYTES} bytes, got ${workgroupBytes(W, G)} (workgroupSize ${W}, stateGroup ${G})`);
  }
  return {W, I, G};
}

/** The one-dispatch scan. Output: y (b·l·d) followed, when lastState, by the last state (b·d·n). */
class SelectiveScanProgram implements Program {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = {x: [0, 1]};
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms = "seqLen : i32, channels : i32, states : i32, batches : i32, lastOffset : i32,";
  workgroupSize: [number, number, number];
  private Dc: string;
  private biasC: string;

  constructor(nb: number, l: number, d: number, n: number, private has: {D: boolean; z: boolean; bias: boolean},
    private softplus: boolean, private lastState: boolean, private W: number, private I: number, private G: number) {
    // Rank 2, (b·l [+ b·n], d), so it never equals a (flat) input's shape: tfjs keys pipelines
    // on which inputs have the output's shape, and that would flip with the sizes.
    this.outputShape = [nb * (l + (lastState ? n : 0)), d];
    // D and deltaBias together arrive packed in one buffer DB = [D; deltaBias] (WebGPU's
    // default limit is 8 storage buffers per shader stage, and y takes one).
    const both = has.D && has.bias;
    this.variableNames = ["u", "delta", "A", "B", "C", ...(both ? ["DB"] : has.D ? ["D"] : has.bias ? ["deltaBias"] : []), ...(has.z ? ["z"] : [])];
    this.Dc = both ? "DB[c]" : "D[c]";
    this.biasC = both ? "DB[uniforms.channels + c]" : "deltaBias[c]";
    this.workgroupSize = [W, 1, 1];
    // One flat row of b·d workgroups (tfjs keys "flat" dispatches apart, and reshapes rows
    // longer than the limit into a square: the shader reads its id back either way).
    this.dispatch = [nb * d, 1, 1];
    this.shaderKey = `selectiveScan_W${W}_I${I}_G${G}_D${+has.D}_z${+has.z}_b${+has.bias}_sp${+softplus}_last${+lastState}`;
  }

  getUserCode(): string {
    const {W, I, G} = this;
    return `
      const SW : i32 = ${W};
      const SI : i32 = ${I};
      const SG : i32 = ${G};
      var<workgroup> shA : array<f32, ${G * W}>;
      var<workgroup> shH : array<f32, ${G * W}>;
      var<workgroup> carry : array<f32, ${WEBGPU_MAX_N}>;

      // softplus with torch's threshold; log1p(e) by Goldberg's trick (no cancellation for small e).
      fn softplusF(x : f32) -> f32 {
        if (x > 20.0) { return x; }
        let e = exp(x);
        let v = 1.0 + e;
        if (v == 1.0) { return e; }
        return log(v) * (e / (v - 1.0));
      }

      fn main(index : i32) {
        let L = uniforms.seqLen;
        let Dm = uniforms.channels;
        let N = uniforms.states;
        let groups = Dm * uniforms.batches;
        let wg = i32(workgroupId.y * numWorkgroups.x + workgroupId.x);
        let valid = wg < groups; // a reshaped (square) dispatch has a few spare workgroups: they write nothing
        let c = min(wg, groups - 1) % Dm;
        let ib = min(wg, groups - 1) / Dm;
        let tid = i32(localId.x);
        for (var k = tid; k < N; k = k + SW) { carry[k] = 0.0; }
        let bias = ${this.has.bias ? this.biasC : "0.0"};
        var dt : array<f32, ${I}>;
        var dtu : array<f32, ${I}>;
        var yv : array<f32, ${I}>;
        workgroupBarrier();
        for (var t0 = 0; t0 < L; t0 = t0 + SW * SI) {
          let tb = t0 + tid * SI; // first step of this invocation
          for (var i = 0; i < SI; i = i + 1) {
            let t = tb + i;
            dt[i] = 0.0; // padding past l: Ā = 1, B̄u = 0 (the identity map)
            dtu[i] = 0.0;
            yv[i] = 0.0;
            if (t < L) {
              let idx = (ib * L + t) * Dm + c;
              let dl = ${this.softplus ? "softplusF(delta[idx] + bias)" : "delta[idx] + bias"};
              dt[i] = dl;
              dtu[i] = dl * u[idx];
            }
          }
          for (var k0 = 0; k0 < N; k0 = k0 + SG) {
            // 1. each invocation's I steps as one map (a, b), for G states
            for (var j = 0; j < SG; j = j + 1) {
              let k = k0 + j;
              var pa = 1.0;
              var ph = 0.0;
              if (k < N) {
                let Ak = A[c * N + k];
                for (var i = 0; i < SI; i = i + 1) {
                  let row = (ib * L + min(tb + i, L - 1)) * N + k;
                  let a = exp(dt[i] * Ak);
                  ph = a * ph + dtu[i] * B[row];
                  pa = pa * a;
                }
              }
              shA[j * SW + tid] = pa;
              shH[j * SW + tid] = ph;
            }
            workgroupBarrier();
            // 2. inclusive scan of the maps over the workgroup (Hillis–Steele)
            for (var off = 1; off < SW; off = off * 2) {
              var pA : array<f32, ${G}>;
              var pH : array<f32, ${G}>;
              if (tid >= off) {
                for (var j = 0; j < SG; j = j + 1) {
                  pA[j] = shA[j * SW + tid - off];
                  pH[j] = shH[j * SW + tid - off];
                }
              }
              workgroupBarrier();
              if (tid >= off) {
                for (var j = 0; j < SG; j = j + 1) {
                  let ca = shA[j * SW + tid];
                  shA[j * SW + tid] = pA[j] * ca;
                  shH[j * SW + tid] = ca * pH[j] + shH[j * SW + tid];
                }
              }
              workgroupBarrier();
            }
            // 3. replay the I steps from the exclusive prefix applied to the carried state
            for (var j = 0; j < SG; j = j + 1) {
              let k = k0 + j;
              if (k < N) {
                let Ak = A[c * N + k];
                var h = carry[k];
                if (tid > 0) { h = shA[j * SW + tid - 1] * h + shH[j * SW + tid - 1]; }
                for (var i = 0; i < SI; i = i + 1) {
                  let row = (ib * L + min(tb + i, L - 1)) * N + k;
                  h = exp(dt[i] * Ak) * h + dtu[i] * B[row];
                  yv[i] = yv[i] + C[row] * h;
                }
              }
            }
            workgroupBarrier();
            if (tid == 0) {
              for (var j = 0; j < SG; j = j + 1) {
                let k = k0 + j;
                if (k < N) { carry[k] = shA[j * SW + SW - 1] * carry[k] + shH[j * SW + SW - 1]; }
              }
            }
            workgroupBarrier();
          }
          for (var i = 0; i < SI; i = i + 1) {
            let t = tb + i;
            if (t < L && valid) {
              let idx = (ib * L + t) * Dm + c;
              var yo = yv[i];
              ${this.has.D ? `yo = yo + ${this.Dc} * u[idx];` : ""}
              ${this.has.z ? "let zz = z[idx]; yo = yo * (zz / (1.0 + exp(-zz)));" : ""}
              result[idx] = yo;
            }
          }
        }
        ${this.lastState ? `if (valid) { for (var k = tid; k < N; k = k + SW) { result[uniforms.lastOffset + (ib * Dm + c) * N + k] = carry[k]; } }` : ""}
      }
    `;
  }
}

/** Copies `size` floats from offset `start` of a flat input (splits the packed output). */
class CopyProgram implements Program {
  outputShape: number[];
  shaderKey = "selectiveScanCopy";
  dispatchLayout = {x: [0]};
  dispatch: [number, number, number];
  variableNames = ["x"];
  uniforms = "start : i32,";
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  constructor(size: number) {
    this.outputShape = [size];
    this.dispatch = [Math.ceil(size / 64), 1, 1];
  }
  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) { setOutputAtIndex(index, x[uniforms.start + index]); }
      }
    `;
  }
}

/** DB = [D; deltaBias] (2·d): one buffer for both per-channel vectors. */
class PackProgram implements Program {
  outputShape: number[];
  shaderKey = "selectiveScanPack";
  dispatchLayout = {x: [0]};
  dispatch: [number, number, number];
  variableNames = ["D", "deltaBias"];
  uniforms = "";
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  constructor(d: number) {
    this.outputShape = [2 * d];
    this.dispatch = [Math.ceil((2 * d) / 64), 1, 1];
  }
  getUserCode(): string {
    return `
      fn main(index : i32) {
        let d = uniforms.outShape / 2;
        if (index < d) { setOutputAtIndex(index, D[index]); }
        else if (index < uniforms.size) { setOutputAtIndex(index, deltaBias[index - d]); }
      }
    `;
  }
}

/** Whether the fused WebGPU kernel takes these sizes (else selectiveScan uses the composite ops). */
export function webgpuSupports(backend: unknown, nb: number, l: number, d: number, n: number): boolean {
  const limits = (backend as WebGPUBackendLike).device?.limits ?? {};
  const maxGroups = limits.maxComputeWorkgroupsPerDimension ?? 65535;
  const maxBytes = limits.maxStorageBufferBindingSize ?? 134217728;
  return n <= WEBGPU_MAX_N && nb * d <= maxGroups * maxGroups && 4 * (nb * l * d + nb * d * n) <= maxBytes && 4 * nb * l * n <= maxBytes;
}

function webgpuKernel({inputs, backend, attrs}: {inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: unknown}): Info | Info[] {
  const be = backend as WebGPUBackendLike;
  const at = attrs as unknown as SelectiveScanAttrs;
  const {W, I, G} = webgpuTuning(at);
  const {nb, l, d, n} = scanSizes(inputs);
  const has = {D: inputs.D != null, z: inputs.z != null, bias: inputs.deltaBias != null};
  const program = new SelectiveScanProgram(nb, l, d, n, has, at.deltaSoftplus, at.returnLastState, W, I, G);
  const packed = has.D && has.bias ? be.runWebGPUProgram(new PackProgram(d), [flat(inputs.D!), flat(inputs.deltaBias!)], "float32", []) : null;
  const DB = packed ? [packed] : has.D ? [flat(inputs.D!)] : has.bias ? [flat(inputs.deltaBias!)] : [];
  const ins = [...[inputs.u!, inputs.delta!, inputs.A!, inputs.B!, inputs.C!].map(flat), ...DB, ...(has.z ? [flat(inputs.z!)] : [])];
  const sizeY = nb * l * d;
  const uniforms = [l, d, n, nb, sizeY].map((v) => ({type: "int32", data: [v]}));
  const out = be.runWebGPUProgram(program, ins, "float32", uniforms);
  if (packed) be.disposeData(packed.dataId);
  if (!at.returnLastState) return {...out, shape: [nb, l, d]};
  const y = be.runWebGPUProgram(new CopyProgram(sizeY), [out], "float32", [{type: "int32", data: [0]}]);
  const last = be.runWebGPUProgram(new CopyProgram(nb * d * n), [out], "float32", [{type: "int32", data: [sizeY]}]);
  be.disposeData(out.dataId);
  return [{...y, shape: [nb, l, d]}, {...last, shape: [nb, d, n]}];
}

export const webgpuKernelConfig: tf.KernelConfig = {kernelName: SELECTIVE_SCAN, backendName: "webgpu", kernelFunc: webgpuKernel as tf.KernelFunc};
