// The fused selective scan on WebGL 2 (GLSL fragment programs).
//
// A fragment program writes one value per pixel and its invocations cannot talk to each
// other, so the scan is split into a few passes over chunks of T steps (a chunked scan,
// as in Blelloch 1990's "scan by blocks"):
//   1. chunk maps   one pixel per (b, d, n, chunk j, part): the chunk's composed affine map
//                   h ↦ a·h + h_end with a = exp(A_k ΣΔ), h_end the state it reaches from 0;
//   2. combine      ceil(log2 #chunks) Hillis–Steele levels over the chunks (same program,
//                   the stride a uniform): (a₁, b₁) then (a₂, b₂) = (a₁a₂, a₂b₁ + b₂);
//   3. output       one pixel per y_t: the carried state entering t's chunk, then the
//                   chunk's steps up to t replayed for four states at a time (vec4), C_t·h_t,
//                   D·u_t and the gate silu(z_t) — so y is the only (b, l, d) write;
//   4. last state   (only with returnLastState) the scanned map of the last chunk.
// Δ's bias and softplus and exp(ΔA) are recomputed where needed, never stored. The memory
// written besides y is 2·b·d·n·⌈l/T⌉ floats per pass (the chunk maps), not b·l·d·n.
//
// Shapes never enter the GLSL: every input is bound flat (rank 1), the programs set
// enableShapeUniforms (tfjs passes the texture shapes as uniforms) and the sizes l, d, n, T
// and the stride are custom uniforms, so moving l, d or n compiles nothing new (tfjs keys a
// WebGL program by its source plus, with shape uniforms, a few rank/shape flags: see the
// browser check "selectiveScan compiles none of its GPU programs anew …"; the flags change
// only when an output outgrows one texture row, so two warm-ups, small and large, cover them).
// tfjs's own upload of CPU data to a texture compiles an encode program per new shape unless
// its flag WEBGL_USE_SHAPES_UNIFORMS is on (measured: with it on, moving l, d, n compiled
// nothing at all); that flag belongs to the backend setup, not to this kernel.
import * as tf from "@tensorflow/tfjs";
import {SELECTIVE_SCAN, type SelectiveScanAttrs, scanSizes} from "./names.js";

type Info = tf.TensorInfo;

interface Program {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms: boolean;
  customUniforms: {name: string; type: "int"}[];
}

interface WebGLBackendLike {
  runWebGLProgram(program: Program, inputs: Info[], dtype: string, uniforms: number[][]): Info;
  texData: {get(id: unknown): {isPacked?: boolean}};
  unpackTensor(t: Info): Info;
  uploadToGPU(id: unknown): void;
  disposeIntermediateTensorInfo(t: Info): void;
}

const flat = (t: Info): Info => ({dataId: t.dataId, shape: [t.shape.reduce((p, s) => p * s, 1)], dtype: t.dtype});

/** Default chunk length: the whole sequence up to 16 steps, else 16 (few combine levels, short replays). */
export function webglChunk(l: number): number {
  return Math.min(l, 16);
}

const SOFTPLUS = `
  // softplus with torch's threshold; log1p(e) by Goldberg's trick (no cancellation for small e).
  float softplusF(float x) {
    if (x > 20.0) return x;
    float e = exp(x);
    float v = 1.0 + e;
    if (v == 1.0) return e;
    return log(v) * (e / (v - 1.0));
  }
`;

const ints = (...names: string[]) => names.map((name) => ({name, type: "int" as const}));

/** The effective Δ at flat index i of (b, l, d) for channel c (bias, softplus). */
function deltaAt(hasBias: boolean, softplus: boolean, i: string, c: string): string {
  const raw = hasBias ? `getDelta(${i}) + getDeltaBias(${c})` : `getDelta(${i})`;
  return softplus ? `softplusF(${raw})` : `(${raw})`;
}

class ChunkMapsProgram implements Program {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms = true;
  customUniforms = ints("sL", "sD", "sN", "sT", "sNC");
  constructor(size: number, hasBias: boolean, softplus: boolean) {
    this.variableNames = ["u", "delta", "A", "B", ...(hasBias ? ["deltaBias"] : [])];
    this.outputShape = [size];
    this.userCode = `${SOFTPLUS}
      void main() {
        int idx = getOutputCoords();
        int part = idx - (idx / 2) * 2;
        int r = idx / 2;
        int j = r - (r / sNC) * sNC; r = r / sNC;
        int k = r - (r / sN) * sN; r = r / sN;
        int c = r - (r / sD) * sD;
        int ib = r / sD;
        float Ak = getA(c * sN + k);
        int t0 = j * sT;
        int t1 = min(t0 + sT, sL);
        float sumDt = 0.0;
        float h = 0.0;
        for (int t = t0; t < t1; t++) {
          int i = (ib * sL + t) * sD + c;
          float dt = ${deltaAt(hasBias, softplus, "i", "c")};
          if (part == 0) sumDt += dt;
          else h = exp(dt * Ak) * h + dt * getU(i) * getB((ib * sL + t) * sN + k);
        }
        setOutput(part == 0 ? exp(Ak * sumDt) : h);
      }`;
  }
}

class CombineProgram implements Program {
  variableNames = ["P"];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms = true;
  customUniforms = ints("sNC", "sStride");
  constructor(size: number) {
    this.outputShape = [size];
    this.userCode = `
      void main() {
        int idx = getOutputCoords();
        int part = idx - (idx / 2) * 2;
        int r = idx / 2;
        int j = r - (r / sNC) * sNC;
        float v = getP(idx);
        if (j >= sStride) {
          int p = 2 * (r - sStride);
          float curA = getP(2 * r);
          v = part == 0 ? getP(p) * curA : curA * getP(p + 1) + v;
        }
        setOutput(v);
      }`;
  }
}

class OutputProgram implements Program {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms = true;
  customUniforms = ints("sL", "sD", "sN", "sT", "sNC");
  constructor(size: number, has: {D: boolean; z: boolean; bias: boolean}, softplus: boolean) {
    this.variableNames = ["u", "delta", "A", "B", "C", "P", ...(has.D ? ["D"] : []), ...(has.z ? ["z"] : []), ...(has.bias ? ["deltaBias"] : [])];
    this.outputShape = [size];
    const four = (f: (x: string) => string) => `vec4(${["x", "y", "z", "w"].map((q) => f(`kc.${q}`)).join(", ")})`;
    this.userCode = `${SOFTPLUS}
      void main() {
        int idx = getOutputCoords();
        int c = idx - (idx / sD) * sD;
        int r = idx / sD;
        int t = r - (r / sL) * sL;
        int ib = r / sL;
        int j = t / sT;
        int t0 = j * sT;
        int base = (ib * sD + c) * sN;
        float acc = 0.0;
        for (int k0 = 0; k0 < sN; k0 += 4) {
          ivec4 ks = ivec4(k0, k0 + 1, k0 + 2, k0 + 3);
          vec4 m = vec4(lessThan(ks, ivec4(sN)));
          ivec4 kc = min(ks, ivec4(sN - 1));
          vec4 Ak = ${four((k) => `getA(c * sN + ${k})`)} * m;
          vec4 h = vec4(0.0);
          if (j > 0) h = ${four((k) => `getP(2 * ((base + ${k}) * sNC + j - 1) + 1)`)} * m;
          for (int s = t0; s <= t; s++) {
            int i = (ib * sL + s) * sD + c;
            float dt = ${deltaAt(has.bias, softplus, "i", "c")};
            int row = (ib * sL + s) * sN;
            vec4 Bv = ${four((k) => `getB(row + ${k})`)} * m;
            h = exp(dt * Ak) * h + (dt * getU(i)) * Bv;
          }
          int rowT = (ib * sL + t) * sN;
          acc += dot(${four((k) => `getC(rowT + ${k})`)} * m, h);
        }
        ${has.D ? "acc += getD(c) * getU(idx);" : ""}
        ${has.z ? "float zz = getZ(idx); acc *= zz / (1.0 + exp(-zz));" : ""}
        setOutput(acc);
      }`;
  }
}

class LastStateProgram implements Program {
  variableNames = ["P"];
  outputShape: number[];
  userCode = `
    void main() {
      int r = getOutputCoords();
      setOutput(getP(2 * (r * sNC + sNC - 1) + 1));
    }`;
  enableShapeUniforms = true;
  customUniforms = ints("sNC");
  constructor(size: number) {
    this.outputShape = [size];
  }
}

/** Whether the fused WebGL kernel runs here (WebGL 2: integer arithmetic and dynamic loops in GLSL). */
export function webglSupports(): boolean {
  return tf.env().getNumber("WEBGL_VERSION") === 2;
}

function webglKernel({inputs, backend, attrs}: {inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: unknown}): Info | Info[] {
  const be = backend as WebGLBackendLike;
  const at = attrs as unknown as SelectiveScanAttrs;
  const {nb, l, d, n} = scanSizes(inputs);
  const T = at.chunk ?? webglChunk(l);
  if (!Number.isInteger(T) || T < 1) throw new Error(`selectiveScan: chunk must be an integer ≥ 1, got ${T}`);
  const nC = Math.ceil(l / T);
  const has = {D: inputs.D != null, z: inputs.z != null, bias: inputs.deltaBias != null};
  const temps: Info[] = [];
  // Bind every input flat and unpacked, as a texture (tfjs would otherwise upload inputs of
  // ≤ 4 values as uniforms, whose GLSL depends on the size).
  const bind = (t: Info): Info => {
    if (be.texData.get(t.dataId).isPacked) {
      const unpacked = be.unpackTensor(t);
      temps.push(unpacked);
      return flat(unpacked);
    }
    be.uploadToGPU(t.dataId);
    return flat(t);
  };
  const [u, delta, A, B, C] = [inputs.u!, inputs.delta!, inputs.A!, inputs.B!, inputs.C!].map(bind);
  const opt = (t: Info | undefined) => (t ? [bind(t)] : []);
  const [D, z, bias] = [opt(inputs.D), opt(inputs.z), opt(inputs.deltaBias)];
  const sizes = [[l], [d], [n], [T], [nC]];
  const pairs = 2 * nb * d * n * nC;
  let P = be.runWebGLProgram(new ChunkMapsProgram(pairs, has.bias, at.deltaSoftplus), [u, delta, A, B, ...bias], "float32", sizes);
  for (let stride = 1; stride < nC; stride *= 2) {
    const next = be.runWebGLProgram(new CombineProgram(pairs), [P], "float32", [[nC], [stride]]);
    be.disposeIntermediateTensorInfo(P);
    P = next;
  }
  const y = be.runWebGLProgram(new OutputProgram(nb * l * d, has, at.deltaSoftplus), [u, delta, A, B, C, P, ...D, ...z, ...bias], "float32", sizes);
  const last = at.returnLastState ? be.runWebGLProgram(new LastStateProgram(nb * d * n), [P], "float32", [[nC]]) : null;
  be.disposeIntermediateTensorInfo(P);
  temps.forEach((t) => be.disposeIntermediateTensorInfo(t));
  const yInfo = {...y, shape: [nb, l, d]};
  return last ? [yInfo, {...last, shape: [nb, d, n]}] : yInfo;
}

export const webglKernelConfig: tf.KernelConfig = {kernelName: SELECTIVE_SCAN, backendName: "webgl", kernelFunc: webglKernel as tf.KernelFunc};
