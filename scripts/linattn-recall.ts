// Writes src/data/linear-attention-recall.json: the associative-recall runs page 6 paints first
// (before the reader trains them again live), one result line and curve per model of the
// figure (lessons/linearAttentionTraining.ts RECALL_MODELS), made by the experiment CLI's code:
//
//   node --import tsx scripts/linattn-recall.ts [KEY …] [--seed S] [--steps N] [--import KEY=FILE …]
//   KEY: softmax, linear, linear-big, mamba, mamba-big (default: every key not yet in the file)
//   --import KEY=FILE  takes the run from FILE instead of training: the last JSON line printed by
//                      `npm run experiment -- associative-recall --model M …` with the same
//                      settings, or a shipped model file whose meta.result is that line
//
// Runs are merged into the file one by one, so an interrupted call keeps what it finished.
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {runExperiment} from "../src/models/experiments.js";
import {useNodeBackend} from "../src/models/node.js";
import {RECALL_MODELS, type RecallFile, type RecallKey} from "../src/lessons/linearAttentionTraining.js";

const OUT = new URL("../src/data/linear-attention-recall.json", import.meta.url);
const log = (s: string) => process.stderr.write(s + "\n");
const round = (x: number) => Number(x.toPrecision(4));

type Run = RecallFile["runs"][number];
function entry(key: RecallKey, r: Record<string, unknown>): Run {
  const by = r.accuracyByPairs as Record<string, number>;
  if (!by || r.task !== "associative-recall" || r.model !== RECALL_MODELS[key].model) throw new Error(`${key}: not an associative-recall run of model ${RECALL_MODELS[key].model}`);
  return {key, steps: r.steps as number, seed: r.seed as number,
    result: {accuracyByPairs: Object.fromEntries(Object.entries(by).map(([k, v]) => [k, round(v)])), stateSize: r.stateSize as number, params: r.params as number, seconds: round(r.seconds as number)}};
}

async function main() {
  const args = process.argv.slice(2);
  const take = (k: string) => { const out: string[] = []; let i; while ((i = args.indexOf(`--${k}`)) >= 0) out.push(args.splice(i, 2)[1]); return out; };
  const seed = Number(take("seed")[0] ?? 0);
  const steps = take("steps")[0];
  const imports = take("import");
  const file: RecallFile = existsSync(OUT) ? JSON.parse(readFileSync(OUT, "utf8")) : {runs: []};
  const save = (run: Run) => {
    file.runs = [...file.runs.filter((r) => r.key !== run.key), run].sort((a, b) => Object.keys(RECALL_MODELS).indexOf(a.key) - Object.keys(RECALL_MODELS).indexOf(b.key));
    writeFileSync(OUT, JSON.stringify(file, null, 1) + "\n");
    log(`${run.key}: ${JSON.stringify(run.result.accuracyByPairs)} → ${OUT.pathname}`);
  };
  for (const spec of imports) {
    const [key, path] = spec.split("=");
    if (!(key in RECALL_MODELS)) throw new Error(`--import: unknown key ${key}`);
    const text = readFileSync(path, "utf8").trim();
    const json = JSON.parse(text.slice(text.lastIndexOf("\n") + 1));
    save(entry(key as RecallKey, (json.meta?.result ?? json) as Record<string, unknown>));
  }
  const keys = (args.length ? args : Object.keys(RECALL_MODELS).filter((k) => !file.runs.some((r) => r.key === k) && !imports.length)) as RecallKey[];
  if (keys.length) await useNodeBackend("wasm");
  for (const key of keys) {
    const spec = RECALL_MODELS[key];
    if (!spec) throw new Error(`unknown key ${key}; keys: ${Object.keys(RECALL_MODELS).join(", ")}`);
    const run = await runExperiment("associative-recall", spec.model, {seed, steps: steps ? Number(steps) : undefined, set: spec.set, log});
    run.model.params.dispose();
    save(entry(key, run.result as unknown as Record<string, unknown>));
  }
}

main().catch((e) => { console.error(e instanceof Error ? e.stack : e); process.exit(1); });
