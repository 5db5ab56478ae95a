// A fix for tfjs-backend-webgpu 4.22's AddN: its one program binds every input as a storage
// buffer, so a sum of more inputs than the device's maxStorageBuffersPerShaderStage − 1 (7 under
// WebGPU's default limit of 8; the output takes one more) fails pipeline validation ("The number
// of storage buffers (15) in the Compute stage exceeds the maximum per-stage limit (8)") and the
// result is an unwritten buffer. tfjs's gradients sum with AddN whenever a tensor feeds several
// ops, so training a model whose embedding or residual stream is read 8+ times got wrong
// gradients on WebGPU, silently (found on an NVIDIA H200 through Dawn, and on SwiftShader).
// Concat in the same package already splits its inputs by this limit; AddN does not.
//
// installWebGPUAddN() wraps the registered webgpu AddN: at most `limit − 1` inputs per call of
// the original program, partial sums summed again the same way (a tree of depth
// ⌈log_{limit−1} n⌉), intermediate buffers disposed. The arithmetic is the same additions in a
// different association: float32 rounding may differ in the last bits. Idempotent; a no-op
// until the webgpu backend is registered.
import * as tf from "@tensorflow/tfjs";

const PATCHED = Symbol.for("ssm-live.webgpuAddN");

type KernelFn = (args: {inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: unknown}) => tf.TensorInfo;

/** How many inputs one AddN program may take on this backend (storage buffers per stage − 1). */
export function addNInputLimit(backend: unknown): number {
  const limits = (backend as {device?: {limits?: {maxStorageBuffersPerShaderStage?: number}}})?.device?.limits;
  return Math.max(2, (limits?.maxStorageBuffersPerShaderStage ?? 8) - 1);
}

export function installWebGPUAddN(): boolean {
  const config = tf.getKernel("AddN", "webgpu");
  if (!config) return false;
  if ((config.kernelFunc as unknown as Record<symbol, boolean>)[PATCHED]) return true;
  const original = config.kernelFunc as unknown as KernelFn;
  const chunked: KernelFn = (args) => {
    const inputs = args.inputs as unknown as tf.TensorInfo[];
    const backend = args.backend as {disposeData(dataId: object): void};
    const limit = addNInputLimit(backend);
    if (inputs.length <= limit) return original(args);
    const made = new Set<tf.TensorInfo>(); // partial sums this call created (inputs are the caller's)
    let level = inputs;
    while (level.length > limit) {
      const next: tf.TensorInfo[] = [];
      for (let i = 0; i < level.length; i += limit) {
        const part = level.slice(i, i + limit);
        if (part.length === 1) { next.push(part[0]); continue; } // a leftover is carried up as is
        const sum = original({...args, inputs: part as unknown as tf.NamedTensorInfoMap});
        made.add(sum);
        next.push(sum);
      }
      for (const t of level) if (made.has(t) && !next.includes(t)) { backend.disposeData(t.dataId); made.delete(t); }
      level = next;
    }
    const out = original({...args, inputs: level as unknown as tf.NamedTensorInfoMap});
    for (const t of made) backend.disposeData(t.dataId);
    return out;
  };
  (chunked as unknown as Record<symbol, boolean>)[PATCHED] = true;
  tf.unregisterKernel("AddN", "webgpu");
  tf.registerKernel({...config, kernelFunc: chunked as unknown as tf.KernelFunc});
  return true;
}

installWebGPUAddN();
