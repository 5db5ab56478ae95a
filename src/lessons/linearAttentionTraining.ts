// Page 6's two training sections, on the models of src/models/ (the same code the experiment
// CLI runs):
//
//   associative recall   multi-query associative recall (MQAR, Zoology: Arora et al. 2023):
//                        softmax attention, linear attention and Mamba of the same width,
//                        accuracy against the number of key-value pairs; a larger state for the
//                        fixed-state models. First paint from shipped runs, replaced live.
//   linearization        SUPRA (Mercat et al. 2024): a pretrained character-level softmax
//                        transformer's attention swapped for linear attention (a learned ReLU
//                        map, RetNet's decays, GroupNorm), its perplexity measured, uptrained,
//                        beside the same linear model trained from scratch for the same steps.
//
// Both train on the page's main thread one step per macrotask (the models' Trainer), pause
// and resume where they stopped, and hand plain arrays to the page. No DOM.
import * as tf from "@tensorflow/tfjs";
import {
  defaults, evaluate, heldOutBatches, heldOutNames, loadModel, makeModel, makeTask, namesCorpus, namesTask, nextTurn, perplexity,
  sampleNames, swapToLinear, Trainer, Transformer, type Batch, type ParamsFile, type SequenceModel, type TransformerConfig
} from "../models/index.js";

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

// ---------------------------------------------------------------- associative recall

export type RecallKey = "softmax" | "linear" | "linear-big" | "mamba" | "mamba-big";
export interface RecallSpec { model: "softmax" | "linear" | "mamba"; set: Record<string, number>; label: string }
/** The models of the recall figure: all of width D = 32 and 2 layers (the CLI's defaults), two with a larger state (3-4×). */
export const RECALL_MODELS: Record<RecallKey, RecallSpec> = {
  softmax: {model: "softmax", set: {}, label: "softmax attention"},
  linear: {model: "linear", set: {}, label: "linear attention, d_k = 8"},
  "linear-big": {model: "linear", set: {dKey: 32}, label: "linear attention, d_k = 32"},
  mamba: {model: "mamba", set: {}, label: "Mamba, N = 8"},
  "mamba-big": {model: "mamba", set: {dState: 32}, label: "Mamba, N = 32"}
};
export const RECALL_KEYS = Object.keys(RECALL_MODELS) as RecallKey[];
/** The numbers of key-value pairs evaluated (sequences of length 4P). */
export const PAIRS = [2, 4, 8, 16];

export interface RecallLine {
  key: RecallKey; label: string;
  /** accuracy at each of PAIRS */
  accuracy: number[];
  /** training steps behind it, floats in the state at the longest sequence, parameters */
  step: number; stateSize: number; params: number;
  source: "shipped" | "live";
}

/** The shipped first-paint runs (src/data/linear-attention-recall.json). */
export interface RecallFile {
  runs: {key: RecallKey; steps: number; seed: number; result: {accuracyByPairs: Record<string, number>; stateSize: number; params: number; seconds: number}}[];
}

export function shippedRecallLines(file: RecallFile): RecallLine[] {
  return file.runs.filter((r) => r.key in RECALL_MODELS).map((r) => ({
    key: r.key, label: RECALL_MODELS[r.key].label, accuracy: PAIRS.map((P) => r.result.accuracyByPairs[P] ?? NaN),
    step: r.steps, stateSize: r.result.stateSize, params: r.result.params, source: "shipped"
  }));
}

/** Per model, the line to read: the live one where it exists, else the shipped one (in RECALL_KEYS order). */
export function currentLines(lines: readonly RecallLine[]): RecallLine[] {
  return RECALL_KEYS.map((k) => lines.find((l) => l.key === k && l.source === "live") ?? lines.find((l) => l.key === k)).filter((l): l is RecallLine => l != null);
}

/** A fixed-state model beside the same model with a larger state. */
export interface StateEffect {
  model: "linear" | "mamba"; small: RecallKey; big: RecallKey;
  /** floats of state at the longest sequence, and their ratio */
  stateSmall: number; stateBig: number; ratio: number;
  /** accuracy at the most pairs, and the mean over PAIRS */
  lastSmall: number; lastBig: number; meanSmall: number; meanBig: number;
}

/** What the larger state did, for each model whose two sizes are both among `lines` (live preferred). */
export function stateEffects(lines: readonly RecallLine[]): StateEffect[] {
  const cur = new Map(currentLines(lines).map((l) => [l.key, l]));
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  return ([["linear", "linear", "linear-big"], ["mamba", "mamba", "mamba-big"]] as const).flatMap(([model, small, big]) => {
    const a = cur.get(small), b = cur.get(big);
    return a && b ? [{model, small, big, stateSmall: a.stateSize, stateBig: b.stateSize, ratio: b.stateSize / a.stateSize,
      lastSmall: a.accuracy.at(-1)!, lastBig: b.accuracy.at(-1)!, meanSmall: mean(a.accuracy), meanBig: mean(b.accuracy)}] : [];
  });
}

export interface RecallProgress { key: RecallKey; step: number; steps: number; loss: number; stepsPerSecond: number; line?: RecallLine }

/** One model of the recall figure trained live: Trainer.run with pause/resume, accuracy by pairs on fixed held-out batches. */
export class RecallTraining {
  readonly key: RecallKey;
  readonly steps: number;
  readonly model: SequenceModel;
  readonly trainer: Trainer;
  private readonly byPairs: Batch[][];
  private readonly maxLen: number;
  private paused = false;
  private active = false;

  constructor(key: RecallKey, {steps = 600, seed = 0, evalBatch = 64}: {steps?: number; seed?: number; evalBatch?: number} = {}) {
    const spec = RECALL_MODELS[key];
    if (!spec) throw new Error(`RecallTraining: unknown model ${JSON.stringify(key)}`);
    const d = defaults("associative-recall", spec.model);
    const task = makeTask("associative-recall", d.task);
    this.key = key;
    this.steps = steps;
    this.maxLen = task.length;
    this.model = makeModel(spec.model, task.vocab, {...d.model, ...spec.set}, seed, task.length);
    this.trainer = new Trainer(this.model, task, [], {...d.train, seed, decaySteps: steps, evalEvery: 0});
    this.byPairs = PAIRS.map((P) => heldOutBatches(task, {seed, batches: 1, batch: evalBatch, length: 4 * P}));
  }

  /** Accuracy at each number of pairs on the held-out batches. */
  async line(): Promise<RecallLine> {
    const accuracy: number[] = [];
    for (const b of this.byPairs) accuracy.push((await evaluate(this.model, b)).accuracy);
    return {key: this.key, label: RECALL_MODELS[this.key].label, accuracy, step: this.trainer.step, stateSize: this.model.stateSize(this.maxLen),
      params: this.model.params.count(), source: "live"};
  }

  /** Trains to `steps` (or until paused: resolves false), measuring the line every `every` steps. */
  async run({onProgress, every = 100, yieldFn = nextTurn}: {onProgress?: (p: RecallProgress) => void; every?: number; yieldFn?: () => Promise<void>} = {}): Promise<boolean> {
    this.paused = false;
    this.active = true;
    try {
      while (this.trainer.step < this.steps) {
        if (this.paused) return false;
        const target = Math.min(this.steps, (Math.floor(this.trainer.step / every) + 1) * every);
        const reached = await this.trainer.run(target, {yieldFn, onStep: (p) =>
          onProgress?.({key: this.key, step: p.step, steps: this.steps, loss: p.loss, stepsPerSecond: p.stepsPerSecond})});
        if (!reached) return false;
        const line = await this.line();
        onProgress?.({key: this.key, step: this.trainer.step, steps: this.steps, loss: this.trainer.curves.loss.at(-1) ?? NaN, stepsPerSecond: this.trainer.stepsPerSecond(), line});
      }
      return true;
    } finally {
      this.active = false;
    }
  }

  /** Stops after the current step (or evaluation); resolves when the trainer has stopped. */
  async pause(): Promise<void> {
    this.paused = true;
    await this.trainer.pause();
  }

  get running(): boolean { return this.trainer.running; }

  dispose(): void {
    this.trainer.dispose();
    this.model.params.dispose();
  }
}

export interface RecallUpdate {
  /** the newest line of every model trained so far (live), by key */
  lines: Map<RecallKey, RecallLine>;
  /** the model training now (null when done or paused), its step and the total */
  current: RecallKey | null; step: number; steps: number;
  stepsPerSecond: number; loss: number;
}

/**
 * The recall figure's live training: the chosen models one after another, each for `steps`,
 * its line measured every `every` steps. run() resumes where pause() stopped it.
 */
export class RecallSession {
  readonly keys: RecallKey[];
  readonly steps: number;
  readonly lines = new Map<RecallKey, RecallLine>();
  /** steps per second of each model's training (the last measured) */
  readonly speed = new Map<RecallKey, number>();
  private readonly seed: number;
  private readonly every: number;
  private readonly runs = new Map<RecallKey, RecallTraining>();
  private readonly finished = new Set<RecallKey>();
  private currentRun: RecallTraining | null = null;
  private paused = false;
  private active: Promise<boolean> | null = null;

  constructor(keys: readonly RecallKey[], {steps = 600, seed = 0, every = 100}: {steps?: number; seed?: number; every?: number} = {}) {
    this.keys = [...keys];
    this.steps = steps;
    this.seed = seed;
    this.every = every;
  }

  get running(): boolean { return this.active != null; }
  get done(): boolean { return this.keys.every((k) => this.finished.has(k)); }

  /** Trains every model in turn; resolves true when all are done, false when paused. */
  run({onUpdate, yieldFn}: {onUpdate?: (u: RecallUpdate) => void; yieldFn?: () => Promise<void>} = {}): Promise<boolean> {
    if (this.active) return this.active;
    this.paused = false;
    const go = async () => {
      try {
        for (const key of this.keys) {
          if (this.finished.has(key)) continue;
          if (this.paused) return false;
          let r = this.runs.get(key);
          if (!r) { r = new RecallTraining(key, {steps: this.steps, seed: this.seed}); this.runs.set(key, r); }
          this.currentRun = r;
          const finished = await r.run({every: this.every, yieldFn, onProgress: (p) => {
            if (p.line) this.lines.set(key, p.line);
            this.speed.set(key, p.stepsPerSecond);
            onUpdate?.({lines: this.lines, current: key, step: p.step, steps: this.steps, stepsPerSecond: p.stepsPerSecond, loss: p.loss});
          }});
          if (!finished) return false;
          // a finished model is not needed any more: its line stays
          r.dispose();
          this.runs.delete(key);
          this.finished.add(key);
        }
        return true;
      } finally {
        this.currentRun = null;
        this.active = null;
        onUpdate?.({lines: this.lines, current: null, step: 0, steps: this.steps, stepsPerSecond: 0, loss: NaN});
      }
    };
    this.active = go();
    return this.active;
  }

  /** Stops after the current step; resolves when training has stopped. */
  async pause(): Promise<void> {
    this.paused = true;
    await this.currentRun?.pause();
    await this.active;
  }

  /** Frees every model still held (pause first). */
  dispose(): void {
    for (const r of this.runs.values()) r.dispose();
    this.runs.clear();
  }
}

// ---------------------------------------------------------------- linearizing a model (SUPRA)

export type SwapVariant = "supra" | "nodecay" | "sum";
export const SWAP_VARIANTS: Record<SwapVariant, {decay: "retnet" | "none"; normalize: "groupnorm" | "sum"; label: string}> = {
  supra: {decay: "retnet", normalize: "groupnorm", label: "SUPRA: decay and GroupNorm"},
  nodecay: {decay: "none", normalize: "groupnorm", label: "GroupNorm, no decay"},
  sum: {decay: "retnet", normalize: "sum", label: "decay and the sum normaliser"}
};

/** SUPRA's defaults here, as the experiment CLI's supra-uptraining: map width 16, Adam 2e-3, batch 32, 20 warmup steps. */
export const SUPRA = {featureDim: 16, steps: 300, train: {lr: 2e-3, batch: 32, warmup: 20}, length: 32};

export interface SupraCurves {
  step: number[];
  /** held-out perplexity of the uptrained (swapped) model and of the same model from scratch (NaN: not measured) */
  uptrained: number[]; scratch: number[];
}

export interface SupraProgress {
  step: number; steps: number;
  curves: SupraCurves;
  /** steps per second of the two trainers together (one step of each) */
  stepsPerSecond: number;
  evaluated: boolean;
}

/** Names drawn from each model at a step. */
export interface Samples { step: number; pretrained: string[]; swapped: string[]; uptrained: string[]; scratch: string[] }

/** The shipped first paint (src/data/models/supra-uptraining-supra.json's meta). */
export interface SupraShipped {
  steps: number;
  pretrained: number; swapped: number; uptrained: number; scratch: number;
  curves: SupraCurves;
}

/** The shipped SUPRA run's numbers and curves, from the model file's meta. */
export function shippedSupra(file: {meta?: Record<string, unknown>}): SupraShipped | null {
  const r = file?.meta?.result as Record<string, unknown> | undefined;
  const c = file?.meta?.curves as {evalStep: number[]; evalLoss: number[]} | undefined;
  if (!r || !c) return null;
  const sc = r.scratchCurves as {step: number[]; perplexity: number[]};
  const step = c.evalStep;
  const scratchAt = new Map(sc.step.map((s, i) => [s, sc.perplexity[i]]));
  return {
    steps: r.steps as number, pretrained: r.pretrainedPerplexity as number, swapped: r.swappedPerplexity as number,
    uptrained: r.uptrainedPerplexity as number, scratch: r.scratchPerplexity as number,
    curves: {step: [0, ...step], uptrained: [r.swappedPerplexity as number, ...c.evalLoss.map(Math.exp)], scratch: [NaN, ...step.map((s) => scratchAt.get(s) ?? NaN)]}
  };
}

/**
 * The linearization experiment, live: the pretrained softmax model, the swapped linear model
 * (SUPRA: the softmax model's weights, a new feature map) that is uptrained, and the same
 * linear architecture from a fresh initialisation trained for the same steps. One step of each
 * per turn; held-out perplexity every `evalEvery` steps. Pause and run again to resume.
 */
export class Linearization {
  readonly variant: SwapVariant;
  readonly steps: number;
  readonly chars: string[];
  readonly softmax: Transformer;
  readonly swapped: Transformer;
  readonly scratch: Transformer;
  readonly pretrainedPerplexity: number;
  readonly swappedPerplexity: number;
  /** names drawn from the swapped model before any uptraining */
  readonly swappedSamples: string[];
  readonly curves: SupraCurves;
  /** the last samples() drawn (null before the first) */
  lastSamples: Samples | null = null;
  private readonly up: Trainer;
  private readonly fresh: Trainer;
  private readonly evalSet: Batch[];
  private paused = false;
  private running_: Promise<boolean> | null = null;
  private recent: number[] = [];

  private constructor(o: {variant: SwapVariant; steps: number; chars: string[]; softmax: Transformer; swapped: Transformer; scratch: Transformer; up: Trainer; fresh: Trainer;
    evalSet: Batch[]; pre: number; sw: number; sc: number; swappedSamples: string[]}) {
    this.variant = o.variant; this.steps = o.steps; this.chars = o.chars;
    this.softmax = o.softmax; this.swapped = o.swapped; this.scratch = o.scratch;
    this.up = o.up; this.fresh = o.fresh; this.evalSet = o.evalSet;
    this.pretrainedPerplexity = o.pre; this.swappedPerplexity = o.sw; this.swappedSamples = o.swappedSamples;
    this.curves = {step: [0], uptrained: [o.sw], scratch: [o.sc]};
  }

  /** Loads the pretrained model, swaps its attention, and measures both (the jump). */
  static async create(pretrained: ParamsFile, names: string[], {variant = "supra", steps = SUPRA.steps, seed = 0, sampleSeed = 1}:
    {variant?: SwapVariant; steps?: number; seed?: number; sampleSeed?: number} = {}): Promise<Linearization> {
    const v = SWAP_VARIANTS[variant];
    if (!v) throw new Error(`Linearization: unknown variant ${JSON.stringify(variant)}`);
    const corpus = namesCorpus(names);
    const task = namesTask(corpus, {length: SUPRA.length});
    const evalSet = heldOutNames(task.heldOutStream, task.length);
    const softmax = loadModel(pretrained) as Transformer;
    if (softmax.kind !== "transformer" || softmax.config.attention !== "softmax") {
      softmax.params.dispose();
      throw new Error("Linearization: the pretrained model must be a softmax transformer");
    }
    const swapped = swapToLinear(softmax, {featureMap: "supra", featureDim: SUPRA.featureDim, decay: v.decay, normalize: v.normalize}, seed + 1);
    const scratch = new Transformer({...swapped.config, seed: seed + 2});
    const opts = {...SUPRA.train, seed, decaySteps: steps, evalEvery: 0};
    const up = new Trainer(swapped, task, evalSet, opts), fresh = new Trainer(scratch, task, evalSet, opts);
    const pre = (await perplexity(softmax, evalSet)).perplexity;
    const sw = (await perplexity(swapped, evalSet)).perplexity;
    const sc = (await perplexity(scratch, evalSet)).perplexity;
    const swappedSamples = await sampleNames(swapped, corpus.chars, {count: 6, seed: sampleSeed, context: SUPRA.length});
    return new Linearization({variant, steps, chars: corpus.chars, softmax, swapped, scratch, up, fresh, evalSet, pre, sw, sc, swappedSamples});
  }

  get step(): number { return this.up.step; }
  get running(): boolean { return this.running_ != null; }

  /** Trains both to `steps` (resolves true) or until paused (false). One step of each per turn. */
  run({onProgress, evalEvery = 25, yieldFn = nextTurn}: {onProgress?: (p: SupraProgress) => void; evalEvery?: number; yieldFn?: () => Promise<void>} = {}): Promise<boolean> {
    if (this.running_) return this.running_;
    this.paused = false;
    const go = async () => {
      try {
        while (this.up.step < this.steps) {
          if (this.paused) {
            // the curves end where training stopped
            if (this.curves.step.at(-1) !== this.up.step) { await this.evaluate(); onProgress?.({step: this.up.step, steps: this.steps, curves: this.curves, stepsPerSecond: this.stepsPerSecond(), evaluated: true}); }
            return false;
          }
          const t0 = now();
          await this.up.trainStep();
          await this.fresh.trainStep();
          this.recent.push(now() - t0);
          if (this.recent.length > 20) this.recent.shift();
          const step = this.up.step;
          const evaluated = step % evalEvery === 0 || step === this.steps;
          if (evaluated) await this.evaluate();
          onProgress?.({step, steps: this.steps, curves: this.curves, stepsPerSecond: this.stepsPerSecond(), evaluated});
          await yieldFn();
        }
        return true;
      } finally {
        this.running_ = null;
      }
    };
    this.running_ = go();
    return this.running_;
  }

  /** Held-out perplexity of both models now, appended to the curves. */
  private async evaluate(): Promise<void> {
    const u = await perplexity(this.swapped, this.evalSet), s = await perplexity(this.scratch, this.evalSet);
    this.curves.step.push(this.up.step);
    this.curves.uptrained.push(u.perplexity);
    this.curves.scratch.push(s.perplexity);
  }

  /** Steps (of both models) per second over the recent steps. */
  stepsPerSecond(): number {
    return this.recent.length ? 1000 / (this.recent.reduce((a, b) => a + b, 0) / this.recent.length) : 0;
  }

  /** Asks the run to stop after its current step; resolves when it has. */
  async pause(): Promise<void> {
    this.paused = true;
    if (this.running_) await this.running_;
  }

  /** Names drawn from the pretrained, the uptrained and the scratch model (seeded; the swapped ones were drawn at the start). */
  async samples({count = 6, seed = 1}: {count?: number; seed?: number} = {}): Promise<Samples> {
    const o = {count, seed, context: SUPRA.length};
    this.lastSamples = {
      step: this.step, pretrained: await sampleNames(this.softmax, this.chars, o), swapped: this.swappedSamples,
      uptrained: await sampleNames(this.swapped, this.chars, o), scratch: await sampleNames(this.scratch, this.chars, o)
    };
    return this.lastSamples;
  }

  /** Frees every model and both optimizers (pause first if running). */
  dispose(): void {
    this.up.dispose();
    this.fresh.dispose();
    for (const m of [this.softmax, this.swapped, this.scratch]) m.params.dispose();
  }
}

/** Names drawn from a shipped model file (the uptrained first paint), disposing the model after. */
export async function samplesOf(file: ParamsFile, chars: string[], {count = 6, seed = 1} = {}): Promise<string[]> {
  const m = loadModel(file);
  try {
    return await sampleNames(m, chars, {count, seed, context: SUPRA.length});
  } finally {
    m.params.dispose();
  }
}

/** The characters of the names corpus (id 0 = "."), as the models see them. */
export function namesChars(names: string[]): string[] {
  return namesCorpus(names).chars;
}

/** How much of the jump the uptraining has recovered: (swapped − now) / (swapped − pretrained). */
export function gapRecovered(pretrained: number, swapped: number, current: number): number {
  return swapped > pretrained ? (swapped - current) / (swapped - pretrained) : NaN;
}

/** The model config the page prints (sizes of the miniature). */
export function configSummary(c: TransformerConfig, params: number): string {
  return `${c.nLayers} layers, width ${c.dModel}, ${c.nHeads} heads of d_k = ${c.dKey}, ${params.toLocaleString("en-US")} parameters`;
}

/** Tensors alive (for the page's leak readout). */
export function tensorsAlive(): number {
  return tf.memory().numTensors;
}
