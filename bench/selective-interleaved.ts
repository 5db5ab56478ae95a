// The fused cpu/wasm selective scan against the plain JS loop, timed alternately (fused, loop,
// fused, loop, …) so that a busy machine slows both alike; the composite ops once beside them.
//   node --import tsx bench/selective-interleaved.ts [pairs]      (prints a table; numbers, not tests)
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {selectiveScan, selectiveScanComposite, selectiveScanLoop} from "../src/kernels/index.js";

const pairs = Number(process.argv[2] ?? 5);
const uniform = (count: number, seed: number, lo = -1, hi = 1) => {
  let s = seed >>> 0;
  return Float32Array.from({length: count}, () => lo + (hi - lo) * ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296));
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rows: string[][] = [["backend", "L", "d", "fused ms", "JS loop ms", "fused/JS", "composite ms", "composite/JS"]];
for (const backend of ["cpu", "wasm"]) {
  await tf.setBackend(backend);
  await tf.ready();
  for (const [L, d] of [[1024, 64], [4096, 64], [16384, 64], [4096, 1536]]) {
    const n = 16;
    const u = uniform(L * d, 3), delta = uniform(L * d, 4, 0.001, 0.1), A = Float32Array.from({length: d * n}, (_, i) => -(1 + (i % n)));
    const B = uniform(L * n, 5), C = uniform(L * n, 6), D = uniform(d, 7);
    const ts = [tf.tensor(u, [1, L, d]), tf.tensor(delta, [1, L, d]), tf.tensor(A, [d, n]), tf.tensor(B, [1, L, n]), tf.tensor(C, [1, L, n]), tf.tensor(D)] as const;
    const fused = async () => { const t0 = performance.now(); const y = selectiveScan(...ts); await y.data(); y.dispose(); return performance.now() - t0; };
    const loop = () => { const t0 = performance.now(); selectiveScanLoop(u, delta, A, B, C, D, 1, L, d, n); return performance.now() - t0; };
    await fused();
    const f: number[] = [], j: number[] = [];
    for (let i = 0; i < pairs; i++) { f.push(await fused()); j.push(loop()); }
    let comp = "—", compRatio = "—";
    if (L * d <= 1024 * 64) {
      const t0 = performance.now();
      const y = selectiveScanComposite(...ts);
      await y.data();
      y.dispose();
      const ms = performance.now() - t0;
      comp = ms.toFixed(0);
      compRatio = `${(ms / median(j)).toFixed(0)}x`;
    }
    rows.push([backend, String(L), String(d), median(f).toFixed(1), median(j).toFixed(1), (median(f) / median(j)).toFixed(2), comp, compRatio]);
    process.stderr.write(`  ${rows[rows.length - 1].join("  ")}\n`);
    tf.dispose([...ts]);
  }
}
const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`Selective scan b=1, n=16 on ${process.version}: medians of ${pairs} alternating runs (fused incl. await data()); composite: one run`);
for (const r of rows) console.log(r.map((x, i) => x.padStart(w[i])).join("  "));
