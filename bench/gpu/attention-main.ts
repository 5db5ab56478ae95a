// Entry for the GPU machine (bundled by the GPU prepare script; Dawn's navigator.gpu comes from
// the dawn-setup module imported before it): runs benchAttention on webgpu, progress on stderr,
// one JSON object on stdout. Options: --sizes=1024,4096,16384 --dims=16,64 --reps=7
// --kernels=softmax,linearParallel,… --cap-ms=20000
import {benchAttention} from "./attention.js";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const list = (s: string | undefined) => s?.split(",").filter(Boolean);
const nums = (s: string | undefined) => list(s)?.map(Number);
const result = await benchAttention({
  sizes: nums(arg("sizes")), dims: nums(arg("dims")), reps: arg("reps") ? Number(arg("reps")) : undefined,
  kernels: list(arg("kernels")), capMs: arg("cap-ms") ? Number(arg("cap-ms")) : undefined,
  log: (line) => process.stderr.write(line + "\n")
});
process.stdout.write(JSON.stringify(result) + "\n");
if (!result.ok) process.exitCode = 1;
