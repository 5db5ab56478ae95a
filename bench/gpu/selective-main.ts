// Node entry for the real-GPU run: prints benchSelective()'s JSON on stdout (one line).
// Bundled with the GPU prepare script and run with Dawn's navigator.gpu (see bench/gpu/README.md).
//   node … .gpu/bundle.mjs            the full run (l=4096 d=64, l=4096 d=1536, l=16384 d=64)
//   node … .gpu/bundle.mjs --quick    one small size, few variants (to check a setup, e.g. on SwiftShader)
import {benchSelective} from "./selective.js";

const quick = process.argv.includes("--quick");
const result = await benchSelective(quick
  ? {sizes: [{l: 256, d: 16}], reps: 10, variants: [{workgroupSize: 128, items: 8, stateGroup: 8}]}
  : {});
process.stdout.write(JSON.stringify(result) + "\n");
