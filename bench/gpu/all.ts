// One entry for a real-GPU session (Node + Dawn; see bench/gpu/README.md): runs the webgpu
// benchmarks named on the command line, each writing its JSON to OUTDIR/<name>-webgpu.json as
// soon as it finishes (so a run cut short keeps what it measured). Progress on stderr.
//   node --import ./.gpu/dawn-setup.mjs .gpu/bundle.mjs OUTDIR [selective,attention,lti,dplr,train,reach90] [--quick]
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {benchSelective} from "./selective.js";
import {benchAttention} from "./attention.js";
import {benchLti} from "./lti.js";
import {benchDplr} from "./dplr.js";
import {benchTrain} from "./train.js";
import {benchReach90} from "./reach90.js";

const [outDir = ".", list = "selective,attention", ...rest] = process.argv.slice(2);
const quick = rest.includes("--quick");
const log = (line: string) => process.stderr.write(line + "\n");
const benches: Record<string, () => Promise<Record<string, unknown>>> = {
  selective: () => benchSelective(quick ? {sizes: [{l: 256, d: 16}], reps: 10, variants: [{workgroupSize: 128, items: 8, stateGroup: 8}]} : {}),
  attention: () => benchAttention(quick ? {sizes: [256], dims: [16], reps: 3, log} : {log}),
  lti: () => benchLti(quick ? {sizes: [256]} : {}),
  dplr: () => benchDplr({quick, totalMs: 150_000}),
  train: () => benchTrain(quick ? {steps: 2, only: ["selective-copying:mamba"], log} : {log}),
  reach90: () => benchReach90(quick ? {budgetS: 20, log} : {log})
};
for (const name of list.split(",")) {
  const run = benches[name];
  if (!run) { log(`all: unknown benchmark ${name} (known: ${Object.keys(benches).join(", ")})`); process.exitCode = 2; continue; }
  const t0 = performance.now();
  log(`all: ${name} …`);
  try {
    const result = await run();
    writeFileSync(join(outDir, `${name}-webgpu.json`), JSON.stringify({date: new Date().toISOString(), seconds: (performance.now() - t0) / 1000, ...result}, null, 1));
    log(`all: ${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } catch (e) {
    writeFileSync(join(outDir, `${name}-webgpu.json`), JSON.stringify({error: String((e as Error)?.stack ?? e)}));
    log(`all: ${name} failed: ${(e as Error)?.message ?? e}`);
    process.exitCode = 1;
  }
}
