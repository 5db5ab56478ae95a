// The experiment CLI:  npm run experiment -- TASK --model M [--steps N] [--seed S]
//   [--backend wasm|cpu] [--save FILE] [--until-accuracy A] [--KEY VALUE …]
//   (KEY: any task/model/training default, e.g. --lr 0.001 --dState 16 --maxPairs 8)
// --until-accuracy A (0 ≤ A ≤ 1) ends the training at the first held-out evaluation (every
// --evalEvery steps) whose accuracy is ≥ A; the JSON then gives "reachedAt": {"step","seconds"}
// (null when A was never reached), the time to A with evaluations included.
// Runs the same models, tasks and training loop as the pages, prints progress on stderr and,
// as its last stdout line, one JSON object {"task","model","steps","seed","accuracy","loss","seconds",…}.
import {writeFileSync} from "node:fs";
import {TASKS, checkExperiment, runExperiment, type TaskName} from "../src/models/experiments.js";
import {saveModel} from "../src/models/model.js";
import {loadNames} from "../src/models/namesNode.js";
import {readPretrainedNames, useNodeBackend} from "../src/models/node.js";

const USAGE = `usage: npm run experiment -- TASK --model M [--steps N] [--seed S] [--backend wasm|cpu] [--save FILE] [--until-accuracy A] [--KEY VALUE …]
tasks and models: ${Object.entries(TASKS).map(([t, ms]) => `${t} (${ms.join(", ")})`).join("; ")}`;

function parse(argv: string[]) {
  const out: {task?: string; flags: Record<string, string>} = {flags: {}};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const [k, inline] = a.slice(2).split("=", 2);
      const v = inline ?? argv[++i];
      if (v == null) throw new Error(`--${k} needs a value`);
      out.flags[k] = v;
    } else if (!out.task) out.task = a;
    else throw new Error(`unexpected argument ${JSON.stringify(a)}`);
  }
  return out;
}

async function main() {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const {task, flags} = args;
  const {model, steps, seed, backend = "wasm", save, "until-accuracy": untilText, ...set} = flags;
  if (!task || !(task in TASKS) || !model) {
    console.error(USAGE);
    process.exit(2);
  }
  const int = (s: string | undefined, name: string) => {
    if (s == null) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) { console.error(`--${name} must be a whole number ≥ 0, got ${s}\n${USAGE}`); process.exit(2); }
    return n;
  };
  let until: number | undefined;
  if (untilText != null) {
    until = Number(untilText);
    if (untilText.trim() === "" || !(until >= 0 && until <= 1)) { console.error(`--until-accuracy must be a number from 0 to 1, got ${untilText}\n${USAGE}`); process.exit(2); }
    if (task === "supra-uptraining") { console.error(`--until-accuracy does not apply to supra-uptraining (it reports perplexities)\n${USAGE}`); process.exit(2); }
  }
  try {
    checkExperiment(task, model);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(1);
  }
  // Keep stdout for the result line: anything a library logs goes to stderr.
  console.log = (...a: unknown[]) => console.error(...a);
  await useNodeBackend(backend);
  const pretrained = task === "supra-uptraining" ? readPretrainedNames() : undefined;
  if (task === "supra-uptraining" && !pretrained) {
    console.error("supra-uptraining needs the pretrained softmax model: run `npm run pretrain -- supra` first");
    process.exit(1);
  }
  let reachedAt: {step: number; seconds: number} | null = null;
  const run = await runExperiment(task as TaskName, model, {
    steps: int(steps, "steps"), seed: int(seed, "seed"), set,
    stopWhen: until == null ? undefined : ({step, accuracy, seconds}) => {
      if (accuracy < until!) return false;
      reachedAt = {step, seconds};
      return true;
    },
    log: (line) => process.stderr.write(line + "\n"),
    names: task === "supra-uptraining" ? loadNames() : undefined,
    pretrained: pretrained ?? undefined
  });
  if (save) {
    const file = await saveModel(run.model, {result: run.result, curves: run.curves});
    writeFileSync(save, JSON.stringify(file));
    process.stderr.write(`saved ${save}\n`);
  }
  run.model.params.dispose();
  const result = until == null ? run.result : {...run.result, untilAccuracy: until, reachedAt};
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
