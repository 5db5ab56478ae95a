// Registers the fused selective-scan kernel of every backend with tfjs (tf.registerKernel),
// so that tf.engine().runKernel("SelectiveScan", …) runs the active backend's own program,
// and says for which sizes each one applies (selectiveScan falls back to composite ops
// outside them). Importing this module registers them; registering twice is a no-op.
import * as tf from "@tensorflow/tfjs";
import {cpuKernelConfig, wasmKernelConfig} from "./cpu.js";
import {SELECTIVE_SCAN} from "./names.js";
import {webglKernelConfig, webglSupports} from "./webgl.js";
import {webgpuKernelConfig, webgpuSupports} from "./webgpu.js";

const CONFIGS = [cpuKernelConfig, wasmKernelConfig, webglKernelConfig, webgpuKernelConfig];

export function registerSelectiveScanKernels(): void {
  for (const c of CONFIGS) if (!tf.getKernel(c.kernelName, c.backendName)) tf.registerKernel(c);
}
registerSelectiveScanKernels();

/**
 * Why the active backend's fused kernel cannot run these sizes, or "" when it can.
 * (No fused kernel for the backend at all is also a reason.)
 */
export function fusedUnsupported(nb: number, l: number, d: number, n: number): string {
  const name = tf.getBackend();
  if (!tf.getKernel(SELECTIVE_SCAN, name)) return `no fused selective-scan kernel for backend ${name}`;
  if (name === "webgl" && !webglSupports()) return "the fused WebGL kernel needs WebGL 2";
  if (name === "webgpu" && !webgpuSupports(tf.backend(), nb, l, d, n)) {
    return `sizes (b=${nb}, l=${l}, d=${d}, n=${n}) exceed the fused WebGPU kernel's limits (n ≤ 256, b·d ≤ workgroups per dimension squared, buffers ≤ maxStorageBufferBindingSize)`;
  }
  return "";
}
