// Running the site's own GPU programs through tfjs: the glue shared by the fused kernels
// (linalg/fftConvGpu.ts, lti/ssmRecurrentGpu.ts, seq/softmaxFused.ts).
//
// tfjs runs a custom program on the active backend's own queue, with its own buffers and
// textures, so a fused program composes with ordinary tfjs ops and the result is an
// ordinary tensor (tracked by the caller's tf.tidy, read back with `await data()`):
//   webgpu  backend.runWebGPUProgram(program, inputs, dtype, uniforms) with a WebGPUProgram
//           (WGSL from getUserCode(); inputs are `array<f32>` storage buffers named after
//           variableNames, the output is `result`). The pipeline cache key is `shaderKey`
//           plus ranks and dtypes, NOT the source: every constant baked into the WGSL must be
//           in `shaderKey`, or a stale pipeline is reused.
//   webgl   backend.runWebGLProgram(program, inputs, dtype, uniformValues) with a GPGPUProgram
//           (GLSL ES 3.0 `userCode`, one fragment per output element). The program cache key
//           is the source plus the shapes unless `enableShapeUniforms` is set: then shapes
//           are uniforms and one compiled program serves every size (no compile per slider
//           move); sizes the code itself needs go in `customUniforms`.
// Twiddles and other angles use `cisTurn(m, M)` = exp(2πi·m/M) computed from the integers
// m, M (exact octant reduction, then Taylor polynomials on [0, π/4]) instead of the shader's
// sin/cos, whose accuracy the WebGPU and WebGL specs leave loose (2⁻¹¹ absolute in WGSL):
// about 1e-7 on every device, the same as float64 twiddles rounded to float32.
import * as tf from "@tensorflow/tfjs";

export type GpuBackend = "webgl" | "webgpu";

/** The active backend when it is webgl or webgpu (the site's fused programs run there), else null. */
export function activeGpu(): GpuBackend | null {
  const b = tf.getBackend();
  return b === "webgl" || b === "webgpu" ? b : null;
}

/** A WebGPU uniform value as tfjs passes it. */
export interface GpuUniform {type: "int32" | "float32" | "uint32"; data: number[]}

/** The subset of tfjs-backend-webgpu's WebGPUProgram that the site's programs fill in. */
export interface WebGPUProgramLike {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: {x: number[]; y?: number[]; z?: number[]};
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms?: string;
  workgroupSize: [number, number, number];
  getUserCode(): string;
}

/** The subset of tfjs-backend-webgl's GPGPUProgram that the site's programs fill in. */
export interface WebGLProgramLike {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms?: boolean;
  customUniforms?: {name: string; type: "float" | "int" | "vec2" | "ivec2" | "ivec3" | "ivec4"}[];
}

function toTensor(info: tf.TensorInfo): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** Runs a WebGPU program on the webgpu backend: inputs float32 tensors → a new float32 tensor. */
export function runWebGPU(program: WebGPUProgramLike, inputs: tf.Tensor[], uniforms: GpuUniform[] = []): tf.Tensor {
  const backend = tf.backend() as unknown as {runWebGPUProgram(p: unknown, i: tf.TensorInfo[], d: string, u?: GpuUniform[]): tf.TensorInfo};
  return toTensor(backend.runWebGPUProgram(program, inputs, "float32", uniforms));
}

/** Runs a WebGL program on the webgl backend: inputs float32 tensors → a new float32 tensor. */
export function runWebGL(program: WebGLProgramLike, inputs: tf.Tensor[], uniforms: number[][] = []): tf.Tensor {
  const backend = tf.backend() as unknown as {runWebGLProgram(p: unknown, i: tf.TensorInfo[], d: string, u?: number[][]): tf.TensorInfo};
  return toTensor(backend.runWebGLProgram(program, inputs, "float32", uniforms));
}

/** The device's workgroup-memory limit in bytes on webgpu (16384 is the WebGPU minimum). */
export function workgroupStorageBytes(): number {
  const device = (tf.backend() as unknown as {device?: {limits?: {maxComputeWorkgroupStorageSize?: number}}}).device;
  return device?.limits?.maxComputeWorkgroupStorageSize ?? 16384;
}

/** WGSL: cisTurn(m, M) = (cos, sin)(2π m/M) for integers m ≥ 0, M ≥ 1; cmul; the polynomial kernels. */
export const WGSL_COMPLEX = `
fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
fn cisTurn(m: i32, M: i32) -> vec2<f32> {
  let m8 = (m % M) * 8;
  let o = m8 / M;
  let rem = m8 - o * M;
  var x = f32(rem) / f32(M);
  if ((o & 1) == 1) { x = f32(M - rem) / f32(M); }
  x = x * 0.78539816339744831;
  let x2 = x * x;
  let s = x * (1.0 + x2 * (-0.16666666666666667 + x2 * (0.0083333333333333333 + x2 * (-0.00019841269841269841 + x2 * 2.7557319223985891e-6))));
  let c = 1.0 + x2 * (-0.5 + x2 * (0.041666666666666667 + x2 * (-0.0013888888888888889 + x2 * (2.4801587301587302e-5 - x2 * 2.7557319223985891e-7))));
  var z = vec2<f32>(c, s);
  if ((o & 1) == 1) { z = vec2<f32>(s, c); }
  let q = o / 2;
  if (q == 1) { z = vec2<f32>(-z.y, z.x); } else if (q == 2) { z = -z; } else if (q == 3) { z = vec2<f32>(z.y, -z.x); }
  return z;
}
`;

/** GLSL ES 3.0: the same cisTurn and cmul. */
export const GLSL_COMPLEX = `
vec2 cmul(vec2 a, vec2 b) { return vec2(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
vec2 cisTurn(int m, int M) {
  int m8 = (m - (m / M) * M) * 8;
  int o = m8 / M;
  int rem = m8 - o * M;
  bool odd = (o - (o / 2) * 2) == 1;
  float x = float(odd ? M - rem : rem) / float(M) * 0.78539816339744831;
  float x2 = x * x;
  float s = x * (1.0 + x2 * (-0.16666666666666667 + x2 * (0.0083333333333333333 + x2 * (-0.00019841269841269841 + x2 * 2.7557319223985891e-6))));
  float c = 1.0 + x2 * (-0.5 + x2 * (0.041666666666666667 + x2 * (-0.0013888888888888889 + x2 * (2.4801587301587302e-5 - x2 * 2.7557319223985891e-7))));
  vec2 z = odd ? vec2(s, c) : vec2(c, s);
  int q = o / 2;
  if (q == 1) z = vec2(-z.y, z.x); else if (q == 2) z = -z; else if (q == 3) z = vec2(z.y, -z.x);
  return z;
}
`;

const softwareCache = new WeakMap<object, boolean>();

/**
 * True when the active webgl/webgpu backend renders in software (SwiftShader, as on headless
 * machines without a GPU; also llvmpipe), false on a hardware GPU, null on cpu/wasm. Read
 * once per backend instance from the WebGPU adapter info or the WebGL renderer string.
 */
export function softwareGpu(): boolean | null {
  const name = activeGpu();
  if (!name) return null;
  const backend = tf.backend() as unknown as {adapterInfo?: {vendor?: string; architecture?: string}; gpgpu?: {gl?: WebGL2RenderingContext}};
  let soft = softwareCache.get(backend);
  if (soft === undefined) {
    let text = "";
    try {
      if (name === "webgpu") text = `${backend.adapterInfo?.vendor ?? ""} ${backend.adapterInfo?.architecture ?? ""}`;
      else {
        const gl = backend.gpgpu?.gl;
        const ext = gl?.getExtension("WEBGL_debug_renderer_info");
        text = gl ? String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : "";
      }
    } catch {
      text = "";
    }
    soft = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i.test(text); // as runtime/backend.ts
    softwareCache.set(backend, soft);
  }
  return soft;
}

/**
 * The key of the active backend in the site's tables of measured crossovers: "cpu", "wasm",
 * "webgl", "webgpu", or "webgl-software" / "webgpu-software" when the GPU is emulated (the
 * crossovers there differ from a hardware GPU's: arithmetic is expensive, dispatches cheap).
 */
export function pathKey(): string {
  const b = tf.getBackend();
  return softwareGpu() ? `${b}-software` : b;
}
