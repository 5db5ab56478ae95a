// Node side of the benchmarks: `node --import tsx bench/node.ts <cpu|wasm> [--js] [--quick]`
// prints progress on stderr and the cells as one JSON array on stdout (read by bench/run.mjs).
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {existsSync} from "node:fs";
import {SIZES, benchCell, cases, skipReason, type Cell, type LtiKernels} from "./cases.js";

const [backend = "cpu", ...flags] = process.argv.slice(2);
const withJs = flags.includes("--js");
const sizes = flags.includes("--quick") ? SIZES.slice(0, 2) : SIZES;
/** A cell slower than this (one call) stops the larger sizes of that kernel on this backend. */
const CAP_MS = Number(process.env.BENCH_CAP_MS ?? 3000);

async function loadLti(): Promise<LtiKernels> {
  const lti: LtiKernels = {};
  const dir = new URL("../src/kernels/", import.meta.url);
  for (const [file, names] of Object.entries({ssmKernel: ["ssmKernel"], ssmRecurrent: ["ssmRecurrent"], causalConv: ["causalConvFFT", "causalConvDirect"]})) {
    if (!existsSync(new URL(`${file}.ts`, dir))) continue;
    const mod = await import(new URL(`${file}.js`, dir).href);
    for (const n of names) if (typeof mod[n] === "function") (lti as any)[n] = mod[n];
  }
  return lti;
}

await tf.setBackend(backend);
await tf.ready();
if (tf.getBackend() !== backend) throw new Error(`backend ${backend} unavailable`);
const cells: Cell[] = [];
for (const def of cases(await loadLti())) {
  let stop = "";
  let prev: Cell | null = null;
  for (const L of sizes) {
    if (!stop && prev?.ms != null) stop = skipReason(def.kernel, prev.L, prev.ms, prev.firstMs ?? 0, L, CAP_MS);
    const cell: Cell = stop
      ? {kernel: def.kernel, shape: "", backend, L, ms: null, reps: 0, firstMs: null, jsMs: null, note: stop}
      : await benchCell(def, L, backend, withJs);
    cells.push(cell);
    process.stderr.write(`  ${backend.padEnd(6)} ${def.kernel.padEnd(24)} L=${String(L).padEnd(5)} ` +
      `${cell.ms == null ? "—" : cell.ms.toFixed(2) + " ms"}${cell.jsMs != null ? ` (JS ${cell.jsMs.toFixed(2)} ms)` : ""}${cell.note ? ` ${cell.note}` : ""}\n`);
    prev = cell;
  }
}
process.stdout.write(JSON.stringify(cells));
