// Node side of the benchmarks: `node --import tsx bench/node.ts <cpu|wasm> [--js] [--quick]`
// prints progress on stderr and the cells as one JSON array on stdout (read by bench/run.mjs).
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {SIZES, benchCell, cases, skipReason, type Cell} from "./cases.js";

const [backend = "cpu", ...flags] = process.argv.slice(2);
const withJs = flags.includes("--js");
const sizes = flags.includes("--quick") ? SIZES.slice(0, 2) : SIZES;
// --kernels=a,b: only the kernels whose name matches one of the comma-separated patterns (case-insensitive).
const kernelsArg = flags.find((f) => f.startsWith("--kernels="));
const kernelRe = kernelsArg ? new RegExp(kernelsArg.slice(10).split(",").join("|"), "i") : null;
/** A cell slower than this (one call) stops the larger sizes of that kernel on this backend. */
const CAP_MS = Number(process.env.BENCH_CAP_MS ?? 3000);

await tf.setBackend(backend);
await tf.ready();
if (tf.getBackend() !== backend) throw new Error(`backend ${backend} unavailable`);
const cells: Cell[] = [];
for (const def of cases().filter((c) => !kernelRe || kernelRe.test(c.kernel))) {
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
