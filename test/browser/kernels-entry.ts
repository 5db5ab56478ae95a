// Browser side of test/browser/kernels.test.mjs: tfjs with all four backends, the kernels
// and golden fixtures, bundled by esbuild (no site build). Exposes window.kernelChecks:
//   init(backend)  select it, then accept it only if it computes a known answer
//   list()         names of the checks
//   run(name)      {actual, expected, scale}: the test compares with per-backend tolerances
//   pool(cap, idleMs) drags through 48 tensor sizes without and then with capGpuPool(cap), then
//                  waits past idleMs for the idle release
// The checks themselves live in checks/*.ts, one file per area of the kernels.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import {setWasmPaths} from "@tensorflow/tfjs-backend-wasm";
import {checks} from "./checks/registry.js";
import "./checks/seq.js";
import "./checks/lti.js";
import "./checks/fused.js";
import "./checks/linattn.js";
import "./checks/family.js";
import "./checks/selective.js";
import "./checks/scanlevels.js";
import "./checks/dplr.js";
import "./checks/addn.js";
import {capGpuPool, gpuPoolFreeBytes, gpuPoolStats} from "../../src/runtime/gpuPool.js";

/** Selects `backend` and accepts it only if it computes a known small answer. */
async function init(backend: string): Promise<{ok: boolean; reason: string}> {
  try {
    if (backend === "wasm") setWasmPaths(new URL("./", location.href).href);
    const ok = await tf.setBackend(backend);
    await tf.ready();
    if (!ok || tf.getBackend() !== backend) return {ok: false, reason: `setBackend("${backend}") failed (active: ${tf.getBackend()})`};
  } catch (e) {
    return {ok: false, reason: `setBackend("${backend}") threw: ${(e as Error).message}`};
  }
  // [[1,2],[3,4]]·[5,6] = [17,39]; exp(0) + 1 = 2; a software WebGPU adapter can return zeros here.
  const y = tf.tidy(() => tf.concat([tf.reshape(tf.matMul(tf.tensor([[1, 2], [3, 4]]), tf.tensor([[5], [6]])), [2]), tf.add(tf.exp(tf.zeros([1])), 1)]));
  const got = Array.from(await y.data());
  y.dispose();
  const want = [17, 39, 2];
  const ok = got.every((g, i) => Math.abs(g - want[i]) < 1e-4);
  return ok ? {ok, reason: `computed [${got}] correctly`} : {ok, reason: `self-check computed [${got.map((g) => +g.toFixed(4))}] instead of [${want}]`};
}

async function run(name: string): Promise<{actual: number[]; expected: number[]; numTensorsBefore: number; numTensorsAfter: number}> {
  const check = checks.get(name);
  if (!check) throw new Error(`unknown check ${name}`);
  const before = tf.memory().numTensors;
  // The check's inputs are created inside the scope and freed with it; only `actual` is kept.
  let expected: ArrayLike<number> = [];
  let expectedT: tf.Tensor | null = null;
  const actualT = tf.tidy(() => {
    const r = check();
    if (r.expected instanceof tf.Tensor) expectedT = tf.keep(r.expected);
    else expected = r.expected;
    return r.actual;
  });
  const actual = Array.from(await actualT.data());
  const want: number[] = expectedT ? Array.from(await (expectedT as tf.Tensor).data()) : Array.from(expected);
  tf.dispose([actualT, ...(expectedT ? [expectedT as tf.Tensor] : [])]);
  return {actual, expected: want, numTensorsBefore: before, numTensorsAfter: tf.memory().numTensors};
}

/** GPU bytes allocated (webgl and webgpu name the field differently), live bytes, free bytes. */
function gpuBytes() {
  const m = tf.memory() as tf.MemoryInfo & {numBytesInGPU?: number; numBytesInGPUAllocated?: number; numBytesAllocatedInGPU?: number};
  return {allocated: m.numBytesInGPUAllocated ?? m.numBytesAllocatedInGPU ?? 0, used: m.numBytesInGPU ?? 0, free: gpuPoolFreeBytes() ?? 0};
}

/**
 * What a slider that changes a length does to tfjs's pool: 48 moves, each computing
 * y = 2x + 1 on a new size (x of 4096 + 1024·k floats) and disposing everything. First without
 * the cap (the pool keeps every size), then, on sizes not seen before, with capGpuPool(cap):
 * the free bytes must stay ≤ cap and every result must still be right. Then a pause longer than
 * idleMs: the free pool must be given back whole.
 */
async function pool(cap: number, idleMs: number) {
  const drag = async (offset: number) => {
    const start = gpuBytes();
    let maxAllocated = start.allocated, maxFree = 0, wrong = 0; // free bytes after each move
    for (let k = 0; k < 48; k++) {
      const n = 4096 + 1024 * (offset + k);
      const y = tf.tidy(() => tf.add(tf.mul(tf.fill([n], k + 1), 2), 1));
      const got = await y.data();
      y.dispose();
      if (got[0] !== 2 * (k + 1) + 1 || got[n - 1] !== 2 * (k + 1) + 1) wrong++;
      const b = gpuBytes();
      maxAllocated = Math.max(maxAllocated, b.allocated);
      maxFree = Math.max(maxFree, b.free);
    }
    return {start: start.allocated, end: gpuBytes().allocated, maxAllocated, maxFree, wrong};
  };
  const uncapped = await drag(0);
  const refused = capGpuPool(tf.backend(), cap, {idleMs});
  const capped = await drag(48);
  // one more small result, computed and freed: its texture or buffer stays for reuse
  const last = tf.tidy(() => tf.add(tf.fill([16384], 1), 1));
  await last.data();
  last.dispose();
  const {free: freeBeforeIdle, allocated: allocatedBeforeIdle} = gpuBytes();
  await new Promise((r) => setTimeout(r, idleMs + 400));
  const idle = gpuBytes();
  return {uncapped, capped, refused, freeBeforeIdle, allocatedBeforeIdle, idle, stats: gpuPoolStats(), numTensors: tf.memory().numTensors};
}

(window as any).kernelChecks = {init, run, pool, list: () => [...checks.keys()], tfVersion: tf.version_core};

