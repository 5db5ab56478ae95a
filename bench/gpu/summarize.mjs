// Prints the real-GPU results of one run (a folder of bench/gpu/results/) as Markdown tables:
// tfjs-webgpu through Dawn beside PyTorch on the same GPU, both medians with a readback.
//   node bench/gpu/summarize.mjs bench/gpu/results/h200-2026-12-02-run2
// The rows and their pairings come from bench/gpu/reference.mjs, which the /lab page's data
// loader reads too: the page's reference rows and these tables are the same numbers.
import {readRun, summaryTables} from "./reference.mjs";

console.log(summaryTables(readRun(process.argv[2]).rows));
