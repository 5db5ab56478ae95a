// Node entry for S4's DPLR kernel on a real GPU: prints benchDplr()'s JSON on stdout (one line),
// progress on stderr (see bench/gpu/dplr.ts; the PyTorch peer is bench/gpu/dplr.py).
//   node --import ./.gpu/dawn-setup.mjs .gpu/bundle.mjs [--quick]
import {benchDplr} from "./dplr.js";

process.stdout.write(JSON.stringify(await benchDplr({quick: process.argv.includes("--quick")})) + "\n");
