// S4's DPLR kernel against the naive kernel, time per call against the state size N (and L):
//   node --import tsx bench/dplr.ts [cpu|wasm] [--quick]        (npm run bench:dplr -- wasm)
// Runs the page's own measuring helper (src/lessons/dplrCost.ts: readback per tfjs call,
// minimum of 3 calls after a warm-up) on one tfjs backend in Node, beside the same two
// algorithms in plain float64 JavaScript, and prints a table plus the max difference between
// the kernels at each N. Writes bench/results/dplr-<backend>.json. Numbers, never assertions.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {mkdirSync, writeFileSync} from "node:fs";
import {cpus, loadavg} from "node:os";
import {DPLR_COST_KEYS, dplrAgreement, dplrCostLabel, measureDplrCost, type DplrCostPoint} from "../src/lessons/dplrCost.js";

const [backend = "cpu", ...flags] = process.argv.slice(2).filter((a) => a !== "--");
const quick = flags.includes("--quick");
const Ns = quick ? [4, 16, 64, 256] : [4, 8, 16, 32, 64, 128, 256, 512];
const Ls = quick ? [1024] : [256, 1024, 4096];
const delta = 0.01;

await tf.setBackend(backend);
await tf.ready();
if (tf.getBackend() !== backend) throw new Error(`backend ${backend} unavailable`);
const started = Date.now();
const points: DplrCostPoint[] = await measureDplrCost({
  Ns, Ls, delta, budgetMs: 3000, totalMs: 30 * 60_000,
  onPoint: (p) => process.stderr.write(`  ${backend} ${p.method.padEnd(8)} N=${String(p.N).padEnd(4)} L=${String(p.L).padEnd(5)} ${p.ms.toFixed(2)} ms\n`)
});

const fmt = (ms: number | undefined) => (ms == null ? "—" : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const get = (m: string, N: number, L: number) => points.find((p) => p.method === m && p.N === N && p.L === L)?.ms;
const header = ["L", "N", ...DPLR_COST_KEYS.map((k) => `${k} ms`), "dense/dplr", "denseF64/dplrF64"];
const rows: string[][] = [];
for (const L of Ls) {
  for (const N of Ns) {
    const ms = DPLR_COST_KEYS.map((k) => get(k, N, L));
    if (ms.every((x) => x == null)) continue;
    const ratio = (a?: number, b?: number) => (a != null && b != null && b > 0 ? `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}x` : "—");
    rows.push([String(L), String(N), ...ms.map(fmt), ratio(ms[1], ms[0]), ratio(ms[3], ms[2])]);
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((x, i) => x.padStart(widths[i])).join("  ");
const table = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");

// The printed difference, at L = 1024 for every N.
const agreement = [];
for (const N of Ns) agreement.push(await dplrAgreement(N, delta, 1024));
const agreeTable = ["N  max|K|  |dplr−dense|/max|K|  |dplr−f64|/max|K|  |dense−f64|/max|K|  |dplrF64−f64|/max|K|",
  ...agreement.map((a) => [a.N, a.scale.toPrecision(3), ...[a.dplrVsDense, a.dplrVsExact, a.denseVsExact, a.dplrF64VsExact].map((d) => (d / a.scale).toExponential(2))].join("  "))].join("\n");

const load = loadavg().map((x) => +x.toFixed(1));
console.log(`\nS4 DPLR kernel vs the naive kernel, HiPPO-LegS, bilinear Δ = ${delta}, backend ${backend} (Node ${process.version}, ${cpus().length} cores, load average ${load.join(" ")} at the end).`);
console.log("Minimum ms per call of 3 after a warm-up, tfjs calls with readback; setup (DPLR form, C̃, Ā) not timed.");
for (const k of DPLR_COST_KEYS) console.log(`  ${k.padEnd(9)} ${dplrCostLabel(k)}`);
console.log(table);
console.log(`\nDifference between the kernels at L = 1024 (f64 = the float64 loop C Āᵏ B̄):\n${agreeTable}`);
const elapsed = (Date.now() - started) / 1000;
console.log(`total ${elapsed.toFixed(0)} s`);
mkdirSync(new URL("./results/", import.meta.url), {recursive: true});
writeFileSync(new URL(`./results/dplr-${backend}.json`, import.meta.url), JSON.stringify({
  date: new Date().toISOString(), backend, node: process.version, cores: cpus().length, loadavg: load, delta, Ns, Ls, elapsedS: elapsed, table, agreement, points
}, null, 1));
