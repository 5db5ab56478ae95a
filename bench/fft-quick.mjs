// Quick benchmark of causal convolution in Node: the site's FFT (causalConvFFT) vs the direct
// block-Toeplitz matmul (causalConvDirect) vs tfjs's tf.spectral (causalConvTfSpectral), on the
// cpu and wasm backends. Median wall time of a few runs, each ending in `await y.data()`.
//   node --import tsx bench/fft-quick.mjs [l …]
// Timings on a shared machine are noisy: read the ratios.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {causalConvDirect, causalConvFFT, causalConvTfSpectral} from "../src/kernels/index.ts";

const lengths = process.argv.slice(2).map(Number).filter((n) => n > 0);
const LS = lengths.length ? lengths : [64, 128, 256, 1024, 4096, 16384];
const METHODS = {fft: causalConvFFT, direct: causalConvDirect, tfSpectral: causalConvTfSpectral};
const BUDGET_MS = 3000; // per (method, l): stop repeating once this is spent (min 1 timed run)

async function time(f, u, K) {
  const t0 = performance.now();
  const y = f(u, K);
  await y.data();
  y.dispose();
  return performance.now() - t0;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

for (const backend of ["cpu", "wasm"]) {
  await tf.setBackend(backend);
  await tf.ready();
  console.log(`\n${backend}: median ms (runs)   ratios direct/fft, tfSpectral/fft`);
  for (const l of LS) {
    const u = tf.randomNormal([l]), K = tf.randomNormal([l]);
    const row = {};
    for (const [name, f] of Object.entries(METHODS)) {
      try {
        const warm = await time(f, u, K); // warm-up (kernel setup, twiddle tables)
        const ts = [];
        let spent = warm;
        while (ts.length < 5 && (ts.length === 0 || spent < BUDGET_MS)) {
          const t = await time(f, u, K);
          ts.push(t);
          spent += t;
        }
        row[name] = {ms: median(ts), n: ts.length};
      } catch (e) {
        row[name] = {ms: NaN, n: 0, err: String(e.message).slice(0, 40)};
      }
    }
    const fmt = (r) => (r.err ? "n/a (throws)" : `${r.ms.toFixed(2)} (${r.n})`).padEnd(14);
    const ratio = (a, b) => (Number.isFinite(a.ms) && Number.isFinite(b.ms) ? (a.ms / b.ms).toFixed(2) : "–");
    console.log(`l=${String(l).padEnd(6)} fft ${fmt(row.fft)} direct ${fmt(row.direct)} tfSpectral ${fmt(row.tfSpectral)}  ${ratio(row.direct, row.fft)}  ${ratio(row.tfSpectral, row.fft)}`);
    tf.dispose([u, K]);
  }
  console.log(`tensors left: ${tf.memory().numTensors}`);
}
