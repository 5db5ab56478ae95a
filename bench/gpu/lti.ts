// Node + Dawn (WebGPU) benchmark of the LTI and attention kernels: the fused GPU programs
// beside their composite tfjs forms and the fastest path the site picks, at L = 1024, 4096,
// 16384, with the shapes of bench/cases.ts (n = 16, d = 16). Every timed call ends in a
// readback (`await y.data()`); the value is the median of several calls after a warm-up.
// Before timing, each fused kernel is checked against a float64 JavaScript loop (a known
// answer), and the per-dispatch floor is measured (one op + readback, ten chained ops).
// Used by bench/gpu/lti-main.ts (`npm run bench -- --gpu`, or the bundle on a GPU machine).
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import {causalConvFFTFused, ssmRecurrentFused, softmaxAttentionFused, softmaxAttentionLoop, pathKey} from "../../src/kernels/index.js";
import {benchCell, cases, type Cell} from "../cases.js";

export const GPU_SIZES = [1024, 4096, 16384];
export const GPU_KERNELS = [
  "causalConv", "causalConvFFT", "causalConvFFTComposite", "causalConvDirect",
  "ssmRecurrent", "ssmRecurrentFused", "ssmRecurrentComposite",
  "softmaxAttention", "softmaxAttentionFused", "softmaxAttentionComposite"
];

function rnd(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({length: n}, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1);
}
function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0, scale = 1;
  for (let i = 0; i < want.length; i++) { err = Math.max(err, Math.abs(got[i] - want[i])); scale = Math.max(scale, Math.abs(want[i])); }
  return got.length === want.length ? err / scale : Infinity;
}

/** Each fused kernel against a float64 loop (l = 1000): max |error| / max(1, max |expected|). */
async function knownAnswers(): Promise<Record<string, number>> {
  const l = 1000, n = 16, d = 16;
  const u = rnd(l, 1), K = rnd(l, 2);
  const conv = new Float64Array(l);
  for (let k = 0; k < l; k++) for (let j = 0; j <= k; j++) conv[k] += K[j] * u[k - j];
  const A = new Float32Array(n * n);
  for (let i = 0; i < n; i++) { A[i * n + i] = 0.97; if (i + 1 < n) A[i * n + i + 1] = 0.05; }
  const B = rnd(n, 3), C = rnd(n, 4);
  const rec = new Float64Array(l);
  let x = new Float64Array(n);
  for (let k = 0; k < l; k++) {
    const x2 = new Float64Array(n);
    for (let i = 0; i < n; i++) { let s = B[i] * u[k]; for (let j = 0; j < n; j++) s += A[i * n + j] * x[j]; x2[i] = s; rec[k] += C[i] * s; }
    x = x2;
  }
  const q = rnd(l * d, 5), kk = rnd(l * d, 6), v = rnd(l * d, 7);
  const att = softmaxAttentionLoop(q, kk, v, l, d, d);
  const out: Record<string, number> = {};
  const run = async (name: string, f: () => tf.Tensor, want: ArrayLike<number>) => {
    const y = f();
    out[name] = maxRelErr(await y.data(), want);
    y.dispose();
  };
  await run("causalConvFFTFused", () => causalConvFFTFused(u, K), conv);
  await run("ssmRecurrentFused", () => tf.tidy(() => ssmRecurrentFused(tf.tensor(A, [n, n]), tf.tensor(B, [n, 1]), tf.tensor(C, [1, n]), u)), rec);
  await run("softmaxAttentionFused", () => tf.tidy(() => softmaxAttentionFused(tf.tensor(q, [l, d]), tf.tensor(kk, [l, d]), tf.tensor(v, [l, d]))), att);
  return out;
}

/** The floor every tfjs call pays: one op + readback of 1K floats, and ten chained ops. */
async function floor(): Promise<{oneOpMs: number; tenOpsMs: number}> {
  const x = tf.tensor(rnd(1024, 9));
  const time = async (ops: number) => {
    const ts: number[] = [];
    for (let r = 0; r < 12; r++) {
      const t0 = performance.now();
      const y = tf.tidy(() => { let z = x; for (let i = 0; i < ops; i++) z = tf.add(z, 1); return z; });
      await y.data();
      y.dispose();
      if (r >= 2) ts.push(performance.now() - t0);
    }
    ts.sort((a, b) => a - b);
    return ts[ts.length >> 1];
  };
  const res = {oneOpMs: await time(1), tenOpsMs: await time(10)};
  x.dispose();
  return res;
}

export async function benchLti({sizes = GPU_SIZES}: {sizes?: number[]} = {}): Promise<Record<string, unknown>> {
  const ok = await tf.setBackend("webgpu");
  await tf.ready();
  if (!ok || tf.getBackend() !== "webgpu") throw new Error(`webgpu backend unavailable (active: ${tf.getBackend()})`);
  const backend = tf.backend() as unknown as {adapterInfo?: {vendor?: string; architecture?: string}; device?: {limits?: Record<string, number>}};
  const checks = await knownAnswers();
  const bad = Object.entries(checks).filter(([, e]) => !(e < 1e-4));
  if (bad.length) throw new Error(`known-answer check failed: ${bad.map(([k, e]) => `${k} error ${e}`).join(", ")}`);
  const fl = await floor();
  const defs = cases().filter((d) => GPU_KERNELS.includes(d.kernel));
  const cells: Cell[] = [];
  for (const def of defs) {
    for (const L of sizes) {
      const cell = await benchCell(def, L, "webgpu", false);
      cells.push(cell);
      process.stderr.write(`  webgpu ${def.kernel.padEnd(26)} L=${String(L).padEnd(5)} ${cell.ms == null ? "—" : cell.ms.toFixed(3) + " ms"}${cell.note ? ` ${cell.note}` : ""}\n`);
    }
  }
  const limits = backend.device?.limits;
  return {
    date: new Date().toISOString(), tfjs: tf.version_core, pathKey: pathKey(),
    adapter: backend.adapterInfo ? {vendor: backend.adapterInfo.vendor, architecture: backend.adapterInfo.architecture} : null,
    limits: limits ? {maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize, maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize} : null,
    sizes, knownAnswerMaxRelError: checks, floor: fl, numTensorsAfter: tf.memory().numTensors, cells
  };
}
