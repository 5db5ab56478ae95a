// The fused selective scan on the cpu and wasm backends: tensor data already lives in CPU
// memory there (a JS typed array on cpu, the wasm heap on wasm), so the kernel reads it in
// place and runs the one-pass loop of loop.ts straight into the output's memory.
import type * as tf from "@tensorflow/tfjs";
import {selectiveScanInto} from "./loop.js";
import {SELECTIVE_SCAN, type SelectiveScanAttrs, scanSizes} from "./names.js";

type Info = tf.TensorInfo;

/** cpu backend: `backend.data.get(dataId).values` is the tensor's typed array. */
function cpuKernel({inputs, backend, attrs}: {inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: unknown}): Info | Info[] {
  const be = backend as {data: {get(id: unknown): {values: Float32Array}}; makeTensorInfo(s: number[], dt: string, v: Float32Array): Info};
  const {deltaSoftplus, returnLastState} = attrs as unknown as SelectiveScanAttrs;
  const {nb, l, d, n} = scanSizes(inputs);
  const read = (t: Info | undefined) => (t ? be.data.get(t.dataId).values : null);
  const y = new Float32Array(nb * l * d);
  const last = returnLastState ? new Float32Array(nb * d * n) : null;
  selectiveScanInto({
    u: read(inputs.u)!, delta: read(inputs.delta)!, A: read(inputs.A)!, B: read(inputs.B)!, C: read(inputs.C)!,
    D: read(inputs.D), z: read(inputs.z), deltaBias: read(inputs.deltaBias), deltaSoftplus, nb, l, d, n
  }, y, last);
  const yInfo = be.makeTensorInfo([nb, l, d], "float32", y);
  return last ? [yInfo, be.makeTensorInfo([nb, d, n], "float32", last)] : yInfo;
}

/** wasm backend: outputs are allocated on the heap first, then every array is a heap view. */
function wasmKernel({inputs, backend, attrs}: {inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: unknown}): Info | Info[] {
  const be = backend as {makeOutput(s: number[], dt: string): Info; typedArrayFromHeap(t: Info): Float32Array};
  const {deltaSoftplus, returnLastState} = attrs as unknown as SelectiveScanAttrs;
  const {nb, l, d, n} = scanSizes(inputs);
  // Allocate before taking views: a malloc may grow (and so detach) the heap.
  const yInfo = be.makeOutput([nb, l, d], "float32");
  const lastInfo = returnLastState ? be.makeOutput([nb, d, n], "float32") : null;
  const view = (t: Info | undefined) => (t ? be.typedArrayFromHeap(t) : null);
  selectiveScanInto({
    u: view(inputs.u)!, delta: view(inputs.delta)!, A: view(inputs.A)!, B: view(inputs.B)!, C: view(inputs.C)!,
    D: view(inputs.D), z: view(inputs.z), deltaBias: view(inputs.deltaBias), deltaSoftplus, nb, l, d, n
  }, view(yInfo)!, view(lastInfo ?? undefined));
  return lastInfo ? [yInfo, lastInfo] : yInfo;
}

export const cpuKernelConfig: tf.KernelConfig = {kernelName: SELECTIVE_SCAN, backendName: "cpu", kernelFunc: cpuKernel as tf.KernelFunc};
export const wasmKernelConfig: tf.KernelConfig = {kernelName: SELECTIVE_SCAN, backendName: "wasm", kernelFunc: wasmKernel as tf.KernelFunc};
