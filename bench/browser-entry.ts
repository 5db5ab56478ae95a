// Browser side of the benchmarks (bundled by tools/browser/bundle.mjs, driven by
// bench/run.mjs): window.bench.init(backend) selects a backend and checks a known answer;
// window.bench.cell(kernel, L, withJs) times one cell (see bench/cases.ts).
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import {setWasmPaths} from "@tensorflow/tfjs-backend-wasm";
import {benchCell, cases, skipReason} from "./cases.js";

const defs = cases();

async function init(backend: string): Promise<{ok: boolean; reason: string}> {
  try {
    if (backend === "wasm") setWasmPaths(new URL("./", location.href).href);
    const ok = await tf.setBackend(backend);
    await tf.ready();
    if (!ok || tf.getBackend() !== backend) return {ok: false, reason: `setBackend("${backend}") failed`};
  } catch (e) {
    return {ok: false, reason: `setBackend("${backend}") threw: ${(e as Error).message}`};
  }
  const y = tf.tidy(() => tf.reshape(tf.matMul(tf.tensor([[1, 2], [3, 4]]), tf.tensor([[5], [6]])), [2]));
  const got = Array.from(await y.data());
  y.dispose();
  const ok = Math.abs(got[0] - 17) < 1e-4 && Math.abs(got[1] - 39) < 1e-4;
  return {ok, reason: ok ? "self-check passed" : `self-check computed [${got}] instead of [17,39]`};
}

async function cell(kernel: string, L: number, withJs: boolean) {
  const def = defs.find((d) => d.kernel === kernel);
  if (!def) throw new Error(`unknown kernel ${kernel}`);
  return benchCell(def, L, tf.getBackend(), withJs);
}

(window as any).bench = {init, cell, skipReason, kernels: () => defs.map((d) => d.kernel), userAgent: navigator.userAgent};
