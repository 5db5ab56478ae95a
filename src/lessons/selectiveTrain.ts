// Page 5's last section, learning live (Gu & Dao 2023, §4.1, Tables 1 and 2): the selective
// copying and induction-heads tasks, an S4D (LTI) and a Mamba model trained in the reader's
// browser with the site's own trainer (src/models/), the shipped first-paint runs, the
// reader's test strip with each model's predictions and Mamba's Δₜ per token, and length
// extrapolation for induction heads. Plain data out; no DOM.
//
//   LiveTraining   one or two models trained side by side, one optimizer step each per turn of
//                  the event loop (the page stays responsive); pause() and train() again resume
//                  where they stopped (the Trainer keeps its Adam moments and data stream)
//   shippedRun     a first-paint run (src/data/models/TASK-MODEL.json) as the same plain data
//   testView       a model on the reader's tokens: predictions at the scored positions, Δₜ
//   extrapolate    held-out accuracy at 1×, 2×, 4× … the training length
import * as tf from "@tensorflow/tfjs";
import {
  Mamba, Trainer, defaults, evaluate, heldOutBatches, loadModel, makeModel, makeTask, nextTurn,
  type Curves, type ParamsFile, type SequenceModel, type Task
} from "../models/index.js";

export type TrainTask = "selective-copying" | "induction-heads";
export type TrainModel = "s4d" | "mamba";

export interface TrainSettings {
  task: TrainTask;
  models: TrainModel[];
  /** the training length l (selective copying: lContext + nData) */
  length: number;
  /** selective copying: coloured tokens to copy */
  nData: number;
  /** state size N; 0: each model's default (Mamba 8, S4D 16, as in the shipped runs) */
  dState: number;
  lr: number;
  steps: number;
  seed: number;
}

export const TRAIN_SETTINGS: TrainSettings = {task: "selective-copying", models: ["s4d", "mamba"], length: 64, nData: 4, dState: 0, lr: 1e-2, steps: 1600, seed: 0};
/** the page's default training length per task: the shipped runs' (the experiment CLI's defaults) */
export const DEFAULT_LENGTH: Record<TrainTask, number> = {
  "selective-copying": defaults("selective-copying", "mamba").task.lContext + defaults("selective-copying", "mamba").task.nData,
  "induction-heads": defaults("induction-heads", "mamba").task.length
};
/** the page's default number of steps per task (the experiment CLI's defaults) */
export const DEFAULT_STEPS: Record<TrainTask, number> = {
  "selective-copying": defaults("selective-copying", "mamba").steps,
  "induction-heads": defaults("induction-heads", "mamba").steps
};
/** held-out accuracy is measured every this many steps while training live */
export const EVAL_EVERY = 50;
const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** null when the settings can be trained, else why not (one sentence naming the setting). */
export function checkSettings(s: TrainSettings): string | null {
  if (s.task !== "selective-copying" && s.task !== "induction-heads") return `unknown task ${JSON.stringify(s.task)}`;
  if (!s.models.length || s.models.some((m) => m !== "s4d" && m !== "mamba")) return `models must be s4d and/or mamba, got ${JSON.stringify(s.models)}`;
  if (!Number.isInteger(s.length) || s.length < 8 || s.length > 512) return `the length must be a whole number in [8, 512], got ${s.length}`;
  if (s.task === "selective-copying" && (!Number.isInteger(s.nData) || s.nData < 1 || 2 * s.nData > s.length)) {
    return `the tokens to copy must fit twice in the length (${s.nData} tokens need l ≥ ${2 * s.nData}, got l = ${s.length})`;
  }
  if (!Number.isInteger(s.dState) || s.dState < 0 || s.dState > 64) return `the state size must be 0 (default) or 1 … 64, got ${s.dState}`;
  if (!(s.lr > 0 && s.lr < 1)) return `the learning rate must be in (0, 1), got ${s.lr}`;
  if (!Number.isInteger(s.steps) || s.steps < 1) return `the steps must be a positive whole number, got ${s.steps}`;
  return null;
}

/** The task options, model config and training options of the experiment CLI's defaults, with the page's settings over them. */
export function experimentSetup(s: TrainSettings, model: TrainModel): {task: Record<string, number>; model: Record<string, number | string>; lr: number; batch: number; warmup: number; evalBatches: number; evalBatch: number} {
  const d = defaults(s.task, model);
  const task = s.task === "selective-copying" ? {...d.task, nData: s.nData, lContext: s.length - s.nData} : {...d.task, length: s.length};
  const cfg = {...d.model, ...(s.dState > 0 ? {dState: s.dState} : {})};
  return {task, model: cfg, lr: s.lr, batch: d.train.batch ?? 32, warmup: d.train.warmup ?? 50, evalBatches: d.evalBatches, evalBatch: d.evalBatch};
}

/** The task the settings describe (both models of a run share it). */
export function taskOf(s: TrainSettings): Task {
  return makeTask(s.task, experimentSetup(s, s.models[0]).task);
}

export interface RunView {
  model: TrainModel;
  params: number;
  /** floats the model carries from token to token at the training length */
  stateSize: number;
  curves: Curves;
  step: number;
  steps: number;
  /** last held-out accuracy (NaN before the first evaluation) */
  accuracy: number;
  /** "shipped" (first paint) or "live" */
  source: "shipped" | "live";
  note: string;
}

export interface Progress {
  runs: RunView[];
  /** wall-clock steps per second of the whole run (all models together, recent steps) */
  stepsPerSecond: number;
  /** seconds until every model reaches its steps, at the recent pace */
  secondsLeft: number;
  done: boolean;
  text: string;
}

interface Live {
  model: TrainModel;
  net: SequenceModel;
  trainer: Trainer;
}

/** One or two models trained side by side, one step of each per turn of the event loop. */
export class LiveTraining {
  readonly settings: TrainSettings;
  readonly task: Task;
  private readonly live: Live[];
  private paused = false;
  private running: Promise<boolean> | null = null;
  private disposed = false;
  private times: number[] = [];
  /** wall time spent training (pauses left out), ms */
  private trainedMs = 0;

  constructor(settings: TrainSettings) {
    const why = checkSettings(settings);
    if (why) throw new Error(`LiveTraining: ${why}`);
    this.settings = settings;
    this.task = taskOf(settings);
    this.live = settings.models.map((model) => {
      const x = experimentSetup(settings, model);
      const net = makeModel(model, this.task.vocab, x.model, settings.seed, this.task.length);
      const evalSet = heldOutBatches(this.task, {seed: settings.seed, batches: x.evalBatches, batch: x.evalBatch});
      const trainer = new Trainer(net, this.task, evalSet, {lr: x.lr, batch: x.batch, warmup: Math.min(x.warmup, settings.steps), seed: settings.seed, decaySteps: settings.steps, evalEvery: EVAL_EVERY});
      return {model, net, trainer};
    });
  }

  /** The trained models by name (for testView and extrapolate; they belong to this run). */
  models(): Record<string, SequenceModel> {
    return Object.fromEntries(this.live.map((l) => [l.model, l.net]));
  }

  get step(): number {
    return Math.min(...this.live.map((l) => l.trainer.step));
  }

  get isRunning(): boolean {
    return this.running != null;
  }

  get done(): boolean {
    return this.live.every((l) => l.trainer.step >= this.settings.steps);
  }

  /**
   * Trains until every model has done its steps or pause() is called; calls onProgress after
   * every step. Resolves true when done, false when paused. Calling it again resumes.
   */
  train(onProgress: (p: Progress) => void = () => {}, yieldFn: () => Promise<void> = nextTurn): Promise<boolean> {
    if (this.disposed) throw new Error("LiveTraining.train: the run was reset (disposed)");
    if (this.running) return this.running;
    this.paused = false;
    const go = async (): Promise<boolean> => {
      try {
        const {steps} = this.settings;
        while (!this.done) {
          if (this.paused || this.disposed) return false;
          const t0 = now();
          for (const l of this.live) {
            if (l.trainer.step >= steps) continue;
            await l.trainer.trainStep();
            if (l.trainer.step % EVAL_EVERY === 0 || l.trainer.step === steps) await l.trainer.evaluate();
          }
          this.times.push(now());
          this.trainedMs += this.times[this.times.length - 1] - t0;
          if (this.times.length > 21) this.times.shift();
          onProgress(this.progress());
          await yieldFn();
        }
        return true;
      } finally {
        this.running = null;
      }
    };
    this.running = go();
    return this.running;
  }

  /** Stops after the current step; resolves when it has. */
  async pause(): Promise<void> {
    this.paused = true;
    if (this.running) await this.running;
  }

  progress(): Progress {
    const n = this.times.length;
    const stepsPerSecond = n >= 2 ? (1000 * (n - 1)) / (this.times[n - 1] - this.times[0]) : 0;
    const left = this.settings.steps - this.step;
    const secondsLeft = stepsPerSecond > 0 ? left / stepsPerSecond : NaN;
    const runs = this.live.map((l) => runView(l, this.settings.steps, this.settings.seed));
    return {runs, stepsPerSecond, secondsLeft, done: this.done, text: progressText(this.step, this.settings.steps, stepsPerSecond, secondsLeft, this.done, this.trainedMs / 1000)};
  }

  /** Stops and frees every tensor of the run (models and optimizers). */
  async dispose(): Promise<void> {
    await this.pause();
    if (this.disposed) return;
    this.disposed = true;
    for (const l of this.live) {
      l.trainer.dispose();
      l.net.params.dispose();
    }
  }
}

function runView(l: Live, steps: number, seed: number): RunView {
  const c = l.trainer.curves;
  return {
    model: l.model, params: l.net.params.count(), stateSize: l.net.stateSize(l.trainer.task.length),
    curves: {step: [...c.step], loss: [...c.loss], evalStep: [...c.evalStep], evalLoss: [...c.evalLoss], evalAccuracy: [...c.evalAccuracy]},
    step: l.trainer.step, steps, accuracy: c.evalAccuracy.at(-1) ?? NaN, source: "live", note: `seed ${seed}, trained in this browser`
  };
}

/**
 * The progress line: step, pace (steps per second, or seconds per step below one step a
 * second, so a slow device never reads "0.0 steps/s"), time left; once done, the training
 * time (pauses left out) where it is known.
 */
export function progressText(step: number, steps: number, sps: number, secondsLeft: number, done: boolean, trainedSeconds = 0): string {
  if (done) return trainedSeconds > 0 ? `Done: ${steps} steps in ${formatDuration(trainedSeconds)} of training.` : `Done: ${steps} steps.`;
  const rate = sps >= 1 ? `${sps.toFixed(sps < 10 ? 1 : 0)} steps/s` : `${(1 / sps).toFixed(1 / sps < 10 ? 1 : 0)} s per step`;
  const pace = sps > 0 ? ` · ${rate} · about ${formatDuration(secondsLeft)} left` : "";
  return `Step ${step} of ${steps}${pace}.`;
}

export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${Math.max(1, Math.round(s))} s`;
  const m = Math.floor(s / 60), r = Math.round(s - 60 * m);
  return m < 60 ? `${m} min ${r} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * A page's yield between training steps: the next animation frame (so the browser paints and
 * handles input between steps, not only runs other tasks) or 100 ms, whichever comes first (a
 * hidden tab has no frames), then a macrotask.
 */
export function frameYield(): Promise<void> {
  const raf = (globalThis as {requestAnimationFrame?: (f: () => void) => number}).requestAnimationFrame;
  if (!raf) return nextTurn();
  return new Promise<void>((resolve) => {
    let done = false;
    const go = () => { if (!done) { done = true; resolve(); } };
    raf(go);
    setTimeout(go, 100);
  }).then(nextTurn);
}

// ---------------------------------------------------------------- first paint

export interface Shipped {
  settings: TrainSettings;
  model: SequenceModel;
  run: RunView;
  /** induction heads: accuracy per test length, as the shipping script measured it */
  extrapolation?: Record<string, number>;
}

/** A shipped run (saveModel's JSON with meta.result, meta.curves, meta.defaults) as the page draws it. The caller disposes `model.params`. */
export function shippedRun(file: ParamsFile): Shipped {
  const meta = (file?.meta ?? {}) as {result?: Record<string, unknown>; curves?: Curves; defaults?: {task: Record<string, number>; train?: {lr?: number}}};
  if (!meta.result || !meta.curves || !meta.defaults) throw new Error("shippedRun: file must carry meta.result, meta.curves and meta.defaults");
  const r = meta.result, t = meta.defaults.task;
  const task = r.task as TrainTask, model = r.model as TrainModel;
  const length = task === "selective-copying" ? t.lContext + t.nData : t.length;
  const steps = Number(r.steps);
  const settings: TrainSettings = {...TRAIN_SETTINGS, task, models: [model], length, nData: t.nData ?? TRAIN_SETTINGS.nData, lr: meta.defaults.train?.lr ?? 3e-3, steps, seed: Number(r.seed)};
  const net = loadModel(file);
  const c = meta.curves;
  return {
    settings, model: net,
    extrapolation: r.extrapolation as Record<string, number> | undefined,
    run: {
      model, params: net.params.count(), stateSize: net.stateSize(length), curves: c, step: steps, steps,
      accuracy: Number(r.accuracy), source: "shipped", note: `shipped run: seed ${r.seed}, ${steps} steps on ${r.backend} in Node`
    }
  };
}

// ---------------------------------------------------------------- the reader's test strip

/** The reader's tokens, by the task's token names separated by spaces. */
export function parseTestTokens(text: string, task: Task, maxLength = 4 * task.length): {tokens: Int32Array; error?: undefined} | {tokens?: undefined; error: string} {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 4) return {error: `write at least 4 tokens, got ${parts.length}`};
  if (parts.length > maxLength) return {error: `at most ${maxLength} tokens, got ${parts.length}`};
  const ids = new Int32Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const id = task.tokenNames.indexOf(parts[i] === "." ? "·" : parts[i]); // "." types the noise token
    if (id < 0) return {error: `${JSON.stringify(parts[i])} is not a token of this task (use ${task.tokenNames.join(" ")})`};
    ids[i] = id;
  }
  return {tokens: ids};
}

export function formatTestTokens(tokens: ArrayLike<number>, task: Task): string {
  return Array.from(tokens, (t) => task.tokenNames[t]).join(" ");
}

/**
 * The reader's click on token i: a content token moves to the next content token (selective
 * copying: noise → colour 1 → … → last colour → noise); markers and S stay, as does bad text.
 */
export function cycleToken(text: string, i: number, task: Task): string {
  const p = parseTestTokens(text, task);
  if (!p.tokens || !(i >= 0 && i < p.tokens.length)) return text;
  const t = p.tokens[i], last = task.tokenNames.length - 1; // the marker / S is the last id
  if (t === last) return text;
  p.tokens[i] = (t + 1) % last;
  return formatTestTokens(p.tokens, task);
}

/** One held-out-style sequence of the task, as text (seeded). */
export function sampleTestText(task: Task, seed = 7, length = task.length): string {
  let s = (seed * 2654435761) >>> 0 || 1;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
  return formatTestTokens(task.sample(rand, 1, length).inputs, task);
}

/**
 * Where the task scores a prediction on the reader's tokens, and what it should be:
 * selective copying: the k-th recall marker "?" should give the k-th coloured token;
 * induction heads: the last token, if it is S, should give the token after the first S.
 */
export function expectedTargets(tokens: ArrayLike<number>, task: Task): {position: number; target: number}[] {
  const names = task.tokenNames;
  if (task.name === "selective-copying") {
    const marker = names.length - 1;
    const colours = Array.from(tokens).filter((t) => t !== 0 && t !== marker);
    const out: {position: number; target: number}[] = [];
    let k = 0;
    for (let i = 0; i < tokens.length; i++) if (tokens[i] === marker) out.push({position: i, target: k < colours.length ? colours[k++] : -1});
    return out;
  }
  const S = names.length - 1, L = tokens.length;
  if (tokens[L - 1] !== S) return [];
  let first = -1;
  for (let i = 0; i < L - 1; i++) if (tokens[i] === S) { first = i; break; }
  return [{position: L - 1, target: first >= 0 && first + 1 < L - 1 ? tokens[first + 1] : -1}];
}

export interface TestView {
  model: string;
  /** argmax prediction at every position */
  predicted: Int32Array;
  /** its probability */
  confidence: Float64Array;
  /** Mamba: Δₜ of the first layer, averaged over its E channels; null for S4D */
  delta: Float64Array | null;
  scored: {position: number; target: number; predicted: number; right: boolean}[];
  accuracy: number;
}

/** A model on the reader's tokens (one sequence); reads back asynchronously, leaves no tensor. */
export async function testView(name: string, model: SequenceModel, tokens: Int32Array, task: Task): Promise<TestView> {
  const L = tokens.length;
  const [pred, conf, delta] = tf.tidy(() => {
    const x = tf.tensor2d(tokens, [1, L], "int32");
    const out = model instanceof Mamba ? model.forward(x, true) : {logits: model.logits(x), trace: undefined};
    const p = tf.softmax(out.logits, -1); // (1, L, V)
    const d = out.trace ? tf.mean(out.trace.delta[0], -1) : null; // (1, L)
    return [tf.argMax(out.logits, -1), tf.max(p, -1), d] as const;
  });
  const [pv, cv, dv] = await Promise.all([pred.data(), conf.data(), delta ? delta.data() : Promise.resolve(null)]);
  tf.dispose([pred, conf, ...(delta ? [delta] : [])]);
  const predicted = Int32Array.from(pv as Int32Array);
  const scored = expectedTargets(tokens, task).map(({position, target}) => ({position, target, predicted: predicted[position], right: predicted[position] === target}));
  return {
    model: name, predicted, confidence: Float64Array.from(cv as Float32Array), delta: dv ? Float64Array.from(dv as Float32Array) : null,
    scored, accuracy: scored.length ? scored.filter((s) => s.right).length / scored.length : NaN
  };
}

/**
 * Mamba's mean Δₜ by kind of token on the reader's strip: selective copying's colours, noise
 * and markers; induction heads' S tokens, the token after the first S, and the rest. Empty
 * kinds are left out.
 */
export function deltaByKind(tokens: ArrayLike<number>, delta: ArrayLike<number>, task: Task): {kind: string; mean: number; count: number}[] {
  const last = task.tokenNames.length - 1;
  let first = -1;
  for (let i = 0; i < tokens.length; i++) if (tokens[i] === last) { first = i; break; }
  const kindOf = task.name === "selective-copying"
    ? (t: number) => (t === 0 ? "noise" : t === last ? "markers" : "colours")
    : (t: number, i: number) => (t === last ? "S" : i === first + 1 && first >= 0 ? "the token after the first S" : "other tokens");
  const acc = new Map<string, {sum: number; count: number}>();
  for (let i = 0; i < tokens.length; i++) {
    const k = kindOf(tokens[i], i), a = acc.get(k) ?? {sum: 0, count: 0};
    a.sum += delta[i];
    a.count++;
    acc.set(k, a);
  }
  return [...acc].map(([kind, a]) => ({kind, mean: a.sum / a.count, count: a.count}));
}

/**
 * Mamba's mean Δₜ at and just after the tokens the task needs kept (selective copying's colours,
 * induction heads' token after the first S), by offset 0 … maxOffset from each such token, and
 * over every position outside those windows. The gate need not open on the kept token itself:
 * the block's causal convolution (d_conv = 4) carries a token into the next three positions'
 * inputs, so Δ can open a few steps later and still write it into the state.
 */
export function deltaAfterKept(tokens: ArrayLike<number>, delta: ArrayLike<number>, task: Task, maxOffset = 3): {kept: string; offsets: {offset: number; mean: number; count: number}[]; elsewhere: {mean: number; count: number}} {
  const last = task.tokenNames.length - 1, L = tokens.length;
  const keptAt: number[] = [];
  if (task.name === "selective-copying") {
    for (let i = 0; i < L; i++) if (tokens[i] !== 0 && tokens[i] !== last) keptAt.push(i);
  } else {
    for (let i = 0; i < L - 1; i++) if (tokens[i] === last) { keptAt.push(i + 1); break; }
  }
  const sums = Array.from({length: maxOffset + 1}, () => ({sum: 0, count: 0}));
  const inWindow = new Uint8Array(L);
  for (const p of keptAt) {
    for (let k = 0; k <= maxOffset && p + k < L; k++) {
      sums[k].sum += delta[p + k];
      sums[k].count++;
      inWindow[p + k] = 1;
    }
  }
  let sum = 0, count = 0;
  for (let i = 0; i < L; i++) if (!inWindow[i]) { sum += delta[i]; count++; }
  return {
    kept: task.name === "selective-copying" ? "colour" : "token after the first S",
    offsets: sums.map((a, offset) => ({offset, mean: a.count ? a.sum / a.count : NaN, count: a.count})),
    elsewhere: {mean: count ? sum / count : NaN, count}
  };
}

// ---------------------------------------------------------------- length extrapolation

/** Held-out accuracy at the training length times each factor (one batch of `batch` sequences each). */
export async function extrapolate(model: SequenceModel, task: Task, {seed = 0, factors = [1, 2, 4, 8], batch = 64, signal}: {seed?: number; factors?: number[]; batch?: number; signal?: {aborted: boolean}} = {}): Promise<{length: number; accuracy: number}[]> {
  const out: {length: number; accuracy: number}[] = [];
  for (const f of factors) {
    if (signal?.aborted) break;
    const length = task.length * f;
    const r = await evaluate(model, heldOutBatches(task, {seed, batches: 1, batch, length}));
    out.push({length, accuracy: r.accuracy});
    await nextTurn();
  }
  return out;
}

// ---------------------------------------------------------------- what the figures draw

const COLOR: Record<TrainModel, string> = {s4d: "#9c755f", mamba: "#4e79a7"};
const LABEL: Record<TrainModel, string> = {s4d: "S4D (LTI)", mamba: "Mamba (selective)"};
export const modelLabel = (m: string): string => LABEL[m as TrainModel] ?? m;

/** Loss and accuracy series for LineChart (one pair per model). */
export function curveSeries(runs: readonly RunView[]): {loss: {name: string; x: number[]; y: number[]; color: string; dash?: boolean}[]; accuracy: {name: string; x: number[]; y: number[]; color: string; points: boolean}[]} {
  return {
    loss: runs.flatMap((r) => (r.curves.step.length ? [{name: `${LABEL[r.model]}: training loss`, ...smooth(r.curves.step, r.curves.loss), color: COLOR[r.model]}] : [])),
    accuracy: runs.flatMap((r) => (r.curves.evalStep.length ? [{name: `${LABEL[r.model]}: held-out accuracy`, x: r.curves.evalStep, y: r.curves.evalAccuracy.map((a) => 100 * a), color: COLOR[r.model], points: true}] : []))
  };
}

/** A running mean over `w` steps (the raw per-batch loss is noisy); long curves thinned to ≤ 600 points. */
export function smooth(x: readonly number[], y: readonly number[], w = 20): {x: number[]; y: number[]} {
  const xs: number[] = [], ys: number[] = [];
  const every = Math.max(1, Math.ceil(x.length / 600));
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    sum += y[i];
    if (i >= w) sum -= y[i - w];
    if (i % every === 0 || i === y.length - 1) { xs.push(x[i]); ys.push(sum / Math.min(i + 1, w)); }
  }
  return {x: xs, y: ys};
}

/** One line per model: its accuracy, size and where the run comes from. */
export function runSentence(r: RunView, task: TrainTask): string {
  const at = r.curves.evalStep.at(-1);
  const acc = Number.isFinite(r.accuracy) ? `${(100 * r.accuracy).toFixed(1)} % held-out accuracy` : "no held-out accuracy yet";
  const what = task === "selective-copying" ? "of the copied tokens right" : "of the final predictions right";
  const when = at != null && at !== r.step ? ` at step ${at} (now at step ${r.step})` : ` after ${r.step} step${r.step === 1 ? "" : "s"}`;
  return `${LABEL[r.model]}: ${acc} (${what})${when}; ${r.params.toLocaleString("en")} parameters, a state of ${r.stateSize.toLocaleString("en")} numbers; ${r.note}.`;
}

/** The test strip's cells and rows (TokenStrip). */
export function testFigure(tokens: Int32Array, task: Task, views: readonly TestView[]): {tokens: {label: string; muted: boolean; marked: boolean; sub: string}[]; rows: {name: string; values: Float64Array; color: string; domain?: [number, number]; colors?: string[]; labels?: string[]}[]} {
  const scored = new Map(expectedTargets(tokens, task).map((s) => [s.position, s.target]));
  const noise = task.name === "selective-copying" ? 0 : -1;
  const cells = Array.from(tokens, (t, i) => ({
    label: task.tokenNames[t], muted: t === noise, marked: scored.has(i),
    sub: scored.has(i) ? `→ ${scored.get(i)! >= 0 ? task.tokenNames[scored.get(i)!] : "?"}` : ""
  }));
  const rows = views.flatMap((v) => {
    const r: {name: string; values: Float64Array; color: string; domain?: [number, number]; colors?: string[]; labels?: string[]}[] = [];
    const m = v.model as TrainModel;
    // Δ on [0, max(0.1, max Δ)]: 0.1 is dt_max of the initialisation, so an untrained Δ looks small, not full
    if (v.delta) r.push({name: `${LABEL[m]}: Δₜ (layer 1, mean over its channels)`, values: v.delta, color: "#f28e2b", domain: [0, Math.max(0.1, ...v.delta)]});
    const right = (i: number) => v.predicted[i] === scored.get(i);
    r.push({name: `${LABEL[m]}: prediction where scored (tall: right, red: wrong)`, domain: [0, 1], color: COLOR[m],
      values: Float64Array.from(tokens, (_, i) => (scored.has(i) ? (right(i) ? 1 : 0.3) : 0)),
      colors: Array.from(tokens, (_, i) => (scored.has(i) && !right(i) ? "#e15759" : COLOR[m])),
      labels: Array.from(tokens, (_, i) => (scored.has(i) ? task.tokenNames[v.predicted[i]] : ""))});
    return r;
  });
  return {tokens: cells, rows};
}

/** The paper's numbers (Gu & Dao 2023) beside which the page puts its own. */
export const PAPER = {
  selectiveCopying: [
    {model: "S4, no gate (LTI)", accuracy: 18.3},
    {model: "Mamba block with S4 (LTI)", accuracy: 56.4}, {model: "Mamba (S6)", accuracy: 99.8}
  ],
  setting: "Table 1: sequences of length 4096, 16 tokens to copy, vocabulary 16, 2-layer models; Table 2: induction heads trained at length 256, tested up to 2²⁰"
} as const;

// ---------------------------------------------------------------- the section's state

/** Whether a shipped run was trained with these settings (task, length, tokens to copy, default state size). */
export function shippedMatches(sh: Shipped, s: TrainSettings): boolean {
  const a = sh.settings;
  return a.task === s.task && a.length === s.length && s.dState === 0 && (s.task !== "selective-copying" || a.nData === s.nData);
}

/**
 * What the section shows for one choice of settings: the shipped runs that match them until
 * the reader presses Train, then the live run (which replaces them), paused, resumed or reset.
 */
export class TrainingSession {
  readonly settings: TrainSettings;
  readonly why: string | null;
  private readonly shipped: Shipped[];
  private live: LiveTraining | null = null;

  /** shipped: every first-paint run the page loaded (it keeps and disposes them). */
  constructor(settings: TrainSettings, shipped: readonly Shipped[]) {
    this.settings = settings;
    this.why = checkSettings(settings);
    this.shipped = settings.models.map((m) => shipped.find((sh) => sh.run.model === m && shippedMatches(sh, settings))).filter((x): x is Shipped => x != null);
  }

  get status(): "empty" | "shipped" | "running" | "paused" | "done" {
    if (!this.live) return this.shipped.length ? "shipped" : "empty";
    return this.live.isRunning ? "running" : this.live.done ? "done" : "paused";
  }

  /** The task the runs are on (the live run's, else the settings'). */
  task(): Task {
    return this.live?.task ?? taskOf(this.settings);
  }

  /** The curves to draw: the live run's, else the matching shipped runs'. */
  runs(): RunView[] {
    if (this.live) return this.live.progress().runs;
    return this.shipped.map((s) => s.run);
  }

  /** The chosen models that have nothing to show yet (no live run and no shipped run for these settings). */
  missing(): TrainModel[] {
    if (this.live) return [];
    return this.settings.models.filter((m) => !this.shipped.some((s) => s.run.model === m));
  }

  /** The models the test strip and extrapolation use, by name. */
  models(): Record<string, SequenceModel> {
    if (this.live) return this.live.models();
    return Object.fromEntries(this.shipped.map((s) => [s.run.model, s.model]));
  }

  /** Shipped induction-heads extrapolation (accuracy per length), when the shown run is shipped. */
  shippedExtrapolation(): {model: string; points: {length: number; accuracy: number}[]}[] {
    if (this.live) return [];
    return this.shipped.filter((s) => s.extrapolation).map((s) => ({model: s.run.model, points: Object.entries(s.extrapolation!).map(([l, a]) => ({length: Number(l), accuracy: a}))}));
  }

  /** Starts (or resumes) training live; resolves true when done, false when paused or reset. */
  train(onProgress: (p: Progress) => void, yieldFn?: () => Promise<void>): Promise<boolean> {
    if (this.why) throw new Error(`TrainingSession.train: ${this.why}`);
    this.live ??= new LiveTraining(this.settings);
    return this.live.train(onProgress, yieldFn);
  }

  pause(): Promise<void> {
    return this.live ? this.live.pause() : Promise.resolve();
  }

  progress(): Progress | null {
    return this.live ? this.live.progress() : null;
  }

  /** Drops the live run (its tensors freed); the shipped runs show again. */
  async reset(): Promise<void> {
    const l = this.live;
    this.live = null;
    if (l) await l.dispose();
  }
}
