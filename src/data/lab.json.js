// Data loader for /lab: the reference rows the page shows beside the reader's own, all from
// files committed in this repository (nothing is fetched at run time):
//   - every H200 run under bench/gpu/results/ (tfjs-webgpu through Dawn in Node, PyTorch on
//     CUDA), as rows by bench/gpu/reference.mjs, the module that also prints the tables of
//     bench/gpu/README.md (bench/gpu/summarize.mjs), so the page and the README agree;
//   - the numpy baselines of bench/results/numpy-lab.json (bench/numpy_lab.py).
// Framework runs this at build time.
import {existsSync, readFileSync} from "node:fs";
import {readRuns} from "../../bench/gpu/reference.mjs";

const root = new URL("../../", import.meta.url);
// runs with no kernel rows (run 4 holds training speed only, see its README) are left out
const runs = readRuns(new URL("bench/gpu/results/", root).pathname).filter(({rows}) => rows.length > 0).map(({meta, rows}) => ({meta, rows}));
const numpyFile = new URL("bench/results/numpy-lab.json", root);
const numpy = existsSync(numpyFile) ? JSON.parse(readFileSync(numpyFile, "utf8")) : null;
process.stdout.write(JSON.stringify({
  runs,
  numpy: numpy && {date: numpy.date, command: numpy.command, machine: numpy.machine, numpy: numpy.numpy, file: "bench/results/numpy-lab.json", cells: numpy.cells}
}));
