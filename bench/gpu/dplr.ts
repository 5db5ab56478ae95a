// S4's DPLR kernel against the naive kernel on WebGPU in Node (Dawn), for the real-GPU
// reference rows: benchDplr() is run by bench/gpu/all.ts (`… OUTDIR dplr [--quick]`), or on its
// own through bench/gpu/dplr-main.ts:
//   node --import ./.gpu/dawn-setup.mjs .gpu/bundle.mjs [--quick]
// It selects the webgpu backend, checks known answers against float64 plain JS (dplrKernel
// and ssmKernel on LegS N = 16, L = 256), then times per (N, L), HiPPO-LegS, bilinear Δ = 0.01:
//   dplr      dplrKernel (Cauchy sums + Woodbury + inverse FFT as tfjs ops)
//   dense     ssmKernel on Ā, B̄ (powers of Ā by doubling, tfjs matmuls)
//   dplrF64   dplrKernelF64 (plain float64 JS, same machine)
//   denseF64  ssmKernelLoop (plain float64 JS loop x ← Āx)
// Timed by the page's own helper (src/lessons/dplrCost.ts measureDplrCost): median ms of 5
// calls after a warm-up, each tfjs call with `await y.data()`; setup (the DPLR form, C̃, Ā)
// not timed; a cell is skipped once its predicted time (local slope) passes 3 s.
// Prints one JSON object on stdout; progress on stderr. Never a synchronous readback.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import {discretizeF64, dplrCtilde, dplrKernel, ssmKernel, ssmKernelLoop} from "../../src/kernels/index.js";
import {legsDplr, measureDplrCost, seededC} from "../../src/lessons/dplrCost.js";

const delta = 0.01;
const log = (s: string) => process.stderr.write(s + "\n");

export async function benchDplr({quick = false, totalMs = 7 * 60_000}: {quick?: boolean; totalMs?: number} = {}): Promise<Record<string, unknown>> {
const Ns = quick ? [4, 64, 256] : [4, 8, 16, 32, 64, 128, 256, 512];
const Ls = quick ? [1024] : [1024, 4096, 16384];
await tf.setBackend("webgpu");
await tf.ready();
if (tf.getBackend() !== "webgpu") throw new Error(`webgpu backend unavailable (active: ${tf.getBackend()})`);

function setup(N: number, L: number) {
  const sys = legsDplr(N), C = seededC(N);
  const {Ab, Bb} = discretizeF64(sys.real.A, sys.real.B, delta, "bilinear");
  return {sys, C, Ct: dplrCtilde(sys, C, delta, L), Ab, Bb, Ab64: Ab.flat(), Bb64: Bb.flat(), AbT: tf.tensor2d(Ab), BbT: tf.tensor2d(Bb), CT: tf.tensor2d([C])};
}

// ---- known answers (float64 plain JS as the reference)
const check = await (async () => {
  const N = 16, L = 256, s = setup(N, L);
  const exact = ssmKernelLoop(s.Ab64, s.Bb64, s.C, L);
  const Kp = dplrKernel(s.sys, s.Ct, delta, L), Kd = ssmKernel(s.AbT, s.BbT, s.CT, L);
  const [kp, kd] = await Promise.all([Kp.data(), Kd.data()]);
  tf.dispose([Kp, Kd, s.AbT, s.BbT, s.CT]);
  let scale = 0, ep = 0, ed = 0;
  for (let i = 0; i < L; i++) { scale = Math.max(scale, Math.abs(exact[i])); ep = Math.max(ep, Math.abs(kp[i] - exact[i])); ed = Math.max(ed, Math.abs(kd[i] - exact[i])); }
  const ok = ep < 1e-4 * scale && ed < 1e-4 * scale;
  return {ok, N, L, scale, dplrRelError: ep / scale, denseRelError: ed / scale};
})();
log(`check: ${JSON.stringify(check)}`);

const points = check.ok ? await measureDplrCost({
  Ns, Ls, delta, reps: 5, stat: "median", budgetMs: 3000, totalMs, // default 7 min: within the device tool's 10 min per command
  onPoint: (p) => log(`  ${p.method.padEnd(8)} N=${String(p.N).padEnd(4)} L=${String(p.L).padEnd(6)} ${p.ms.toFixed(2)} ms (first ${p.firstMs.toFixed(1)} ms)`)
}) : [];
const cells = points.map(({method, N, L, ms, reps, firstMs}) => ({method, N, L, ms, reps, firstMs}));
return {kernel: "dplr", backend: tf.getBackend(), tfjs: tf.version_core, delta, Ns, Ls, check, numTensors: tf.memory().numTensors, cells};
}
