// Node entry for the real-GPU run: prints benchSelective()'s JSON on stdout (one line), progress
// on stderr. It needs a navigator.gpu from Dawn before tfjs loads (node --import a setup module
// that assigns the `webgpu` package's globals, as the GPU prepare script's dawn-setup.mjs does).
//   node --import ./.gpu/dawn-setup.mjs .gpu/bundle.mjs           the full run (l=4096 d=64, l=4096 d=1536, l=16384 d=64)
//   node --import ./.gpu/dawn-setup.mjs .gpu/bundle.mjs --quick   one small size, one extra tuning (checks a setup,
//                                                                 e.g. on SwiftShader: about 2 minutes on a busy 2-core box)
// The PyTorch peer for the same command: python3 bench/gpu/selective_torch.py (CUDA; JSON on stdout).
import {benchSelective} from "./selective.js";

const quick = process.argv.includes("--quick");
const result = await benchSelective(quick
  ? {sizes: [{l: 256, d: 16}], reps: 10, variants: [{workgroupSize: 128, items: 8, stateGroup: 8}]}
  : {});
process.stdout.write(JSON.stringify(result) + "\n");
