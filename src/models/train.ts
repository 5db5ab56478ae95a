// The training loop shared by the pages and the experiment CLI: tfjs Adam, gradient clipping
// by global norm, a fixed held-out evaluation set, masked loss and accuracy (only the
// positions a task scores), curves as plain arrays, and a run that yields to the event loop
// after every step, so that a page can train on its main thread between frames and pause and
// resume (the optimizer's moments and the data generator carry on where they stopped).
//
// Why the main thread and not a worker: a page shows the model it trains (its predictions,
// Δ per token) with the site's one backend, chosen and checked once by runtime/backend.ts; a
// worker would need a second tfjs with its own backend check and its own bundle, and would
// have to ship the weights back to draw them. One step of the default models takes a few to a
// few tens of milliseconds on cpu/wasm (npm run bench:train), so yielding after each step keeps
// the page responsive.
import * as tf from "@tensorflow/tfjs";
import {mulberry32} from "../kernels/index.js";
import {maskedCrossEntropy} from "./layers.js";
import type {SequenceModel} from "./model.js";
import type {Batch, Task} from "./tasks.js";

export interface TrainOptions {
  /** learning rate of Adam (peak, after warmup) */
  lr: number;
  batch: number;
  /** clip the gradients to this global norm (Infinity: no clipping) */
  clip: number;
  /** steps of linear warmup from 0 */
  warmup: number;
  /** total steps the cosine decay is laid over (0: constant learning rate after warmup) */
  decaySteps: number;
  /** the learning rate at the end of the decay, as a fraction of lr */
  minLrFraction: number;
  beta1: number;
  beta2: number;
  /** seed of the training data stream */
  seed: number;
  /** evaluate every this many steps (0: only when asked) */
  evalEvery: number;
}

export const TRAIN_DEFAULTS: TrainOptions = {
  lr: 3e-3, batch: 32, clip: 1, warmup: 50, decaySteps: 0, minLrFraction: 0.1, beta1: 0.9, beta2: 0.98, seed: 0, evalEvery: 100
};

export interface Curves {
  step: number[];
  loss: number[];
  evalStep: number[];
  evalLoss: number[];
  evalAccuracy: number[];
}

export interface EvalResult {
  loss: number;
  accuracy: number;
  /** scored positions */
  count: number;
}

export interface Progress {
  step: number;
  loss: number;
  /** training steps per second over the recent steps */
  stepsPerSecond: number;
  eval?: EvalResult;
}

export interface RunOptions {
  /** stop after this total step count (default: the trainer's `steps`) */
  until?: number;
  onStep?: (p: Progress) => void;
  /** how to give the event loop a turn (default setImmediate in Node, a macrotask elsewhere) */
  yieldFn?: () => Promise<void>;
}

/** Resolves after the event loop had a turn (a macrotask: timers and input get to run). */
export function nextTurn(): Promise<void> {
  const g = globalThis as {setImmediate?: (f: () => void) => void; MessageChannel?: typeof MessageChannel};
  if (g.setImmediate) return new Promise((r) => g.setImmediate!(r));
  if (g.MessageChannel) {
    return new Promise((r) => {
      const ch = new g.MessageChannel!();
      ch.port1.onmessage = () => { ch.port1.close(); r(); };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

/** Tensors of a batch: tokens (b, l) int32, targets (b, l) int32, weights (b, l) float32. */
export function batchTensors(batch: Batch): {inputs: tf.Tensor; targets: tf.Tensor; weights: tf.Tensor} {
  const {b, l} = batch;
  return {
    inputs: tf.tensor2d(batch.inputs, [b, l], "int32"),
    targets: tf.tensor2d(batch.targets, [b, l], "int32"),
    weights: tf.tensor2d(batch.weights, [b, l], "float32")
  };
}

/**
 * Masked loss and accuracy of a model on fixed batches (every batch at once on the
 * backend; values read back asynchronously). Leaves no tensor behind.
 */
export async function evaluate(model: SequenceModel, batches: Batch[]): Promise<EvalResult> {
  let nll = 0, correct = 0, count = 0;
  for (const batch of batches) {
    const [lossSum, hits, n] = tf.tidy(() => {
      const {inputs, targets, weights} = batchTensors(batch);
      const logits = model.logits(inputs);
      const V = logits.shape[2] as number;
      const logp = tf.logSoftmax(logits, -1);
      const tok = tf.neg(tf.sum(tf.mul(logp, tf.cast(tf.oneHot(targets, V), "float32")), -1)); // (b, l)
      const right = tf.cast(tf.equal(tf.argMax(logits, -1), targets), "float32");
      return [tf.sum(tf.mul(tok, weights)), tf.sum(tf.mul(right, weights)), tf.sum(weights)];
    });
    const vals = await Promise.all([lossSum.data(), hits.data(), n.data()]);
    tf.dispose([lossSum, hits, n]);
    nll += vals[0][0];
    correct += vals[1][0];
    count += vals[2][0];
  }
  return {loss: count ? nll / count : NaN, accuracy: count ? correct / count : NaN, count};
}

/**
 * Gradients scaled by min(1, clip / ‖g‖) where ‖g‖ is the global norm over all of them
 * (Pascanu et al. 2013), computed on the backend (no readback). Call inside a tidy.
 */
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, clip: number): Record<string, tf.Tensor> {
  if (!Number.isFinite(clip)) return grads;
  const names = Object.keys(grads);
  // Summed in groups of at most 7 (addN reads each input as a storage buffer, and WebGPU lets a
  // shader bind only 8 by default: an addN over every parameter fails on webgpu).
  let sums = names.map((n) => tf.sum(tf.square(grads[n])));
  while (sums.length > 1) sums = Array.from({length: Math.ceil(sums.length / 7)}, (_, i) => (sums.length - 7 * i === 1 ? sums[7 * i] : tf.addN(sums.slice(7 * i, 7 * i + 7))));
  const norm = tf.sqrt(sums[0]);
  const scale = tf.div(clip, tf.maximum(norm, clip));
  return Object.fromEntries(names.map((n) => [n, tf.mul(grads[n], scale)]));
}

/** Sets the learning rate of a tfjs optimizer (Adam reads it on every update). */
function setLearningRate(opt: tf.Optimizer, lr: number): void {
  (opt as unknown as {learningRate: number}).learningRate = lr;
}

export class Trainer {
  readonly model: SequenceModel;
  readonly task: Task;
  readonly options: TrainOptions;
  readonly evalSet: Batch[];
  readonly curves: Curves = {step: [], loss: [], evalStep: [], evalLoss: [], evalAccuracy: []};
  /** steps done so far */
  step = 0;
  private readonly optimizer: tf.AdamOptimizer;
  private readonly rand: () => number;
  private paused = false;
  private runningRun: Promise<boolean> | null = null;
  private recent: number[] = [];

  /**
   * evalSet: fixed held-out batches (draw them from a generator seeded apart from the
   * training stream, as heldOutBatches does).
   */
  constructor(model: SequenceModel, task: Task, evalSet: Batch[], options: Partial<TrainOptions> = {}) {
    this.model = model;
    this.task = task;
    this.options = {...TRAIN_DEFAULTS, ...options};
    this.evalSet = evalSet;
    const o = this.options;
    this.optimizer = tf.train.adam(o.lr, o.beta1, o.beta2, 1e-8);
    this.rand = mulberry32(o.seed);
  }

  /** The learning rate at a step: linear warmup, then cosine to minLrFraction·lr over decaySteps. */
  learningRate(step: number): number {
    const {lr, warmup, decaySteps, minLrFraction} = this.options;
    if (step < warmup) return (lr * (step + 1)) / warmup;
    if (decaySteps <= 0) return lr;
    const t = Math.min(1, (step - warmup) / Math.max(1, decaySteps - warmup));
    return lr * (minLrFraction + (1 - minLrFraction) * 0.5 * (1 + Math.cos(Math.PI * t)));
  }

  /**
   * One optimizer step on a fresh batch. Returns the loss as a tensor scalar the caller must
   * dispose (read it asynchronously: no stall on a GPU backend).
   */
  stepTensor(batch: Batch = this.task.sample(this.rand, this.options.batch)): tf.Scalar {
    const vars = this.model.params.variables();
    setLearningRate(this.optimizer, this.learningRate(this.step));
    const {inputs, targets, weights} = batchTensors(batch);
    const {value, grads} = tf.variableGrads(() => maskedCrossEntropy(this.model.logits(inputs), targets, weights), vars);
    tf.tidy(() => this.optimizer.applyGradients(clipByGlobalNorm(grads, this.options.clip) as any));
    tf.dispose([inputs, targets, weights, ...Object.values(grads)]);
    this.step++;
    return value;
  }

  /** One step, its loss read back (await). */
  async trainStep(): Promise<number> {
    const t0 = now();
    const loss = this.stepTensor();
    const v = (await loss.data())[0];
    loss.dispose();
    this.curves.step.push(this.step);
    this.curves.loss.push(v);
    this.recent.push(now() - t0);
    if (this.recent.length > 20) this.recent.shift();
    return v;
  }

  /** Steps per second over the last (up to 20) steps. */
  stepsPerSecond(): number {
    if (!this.recent.length) return 0;
    return 1000 / (this.recent.reduce((a, b) => a + b, 0) / this.recent.length);
  }

  async evaluate(batches: Batch[] = this.evalSet): Promise<EvalResult> {
    const r = await evaluate(this.model, batches);
    if (batches === this.evalSet) {
      this.curves.evalStep.push(this.step);
      this.curves.evalLoss.push(r.loss);
      this.curves.evalAccuracy.push(r.accuracy);
    }
    return r;
  }

  /**
   * Trains until `until` steps are done or pause() is called, yielding to the event loop after
   * every step. Resolves true when it reached `until`, false when paused. Calling run again
   * resumes. Only one run at a time: a second call while one runs returns the same promise.
   */
  run(until: number, {onStep, yieldFn = nextTurn}: Omit<RunOptions, "until"> = {}): Promise<boolean> {
    if (this.runningRun) return this.runningRun;
    this.paused = false;
    const go = async (): Promise<boolean> => {
      try {
        while (this.step < until) {
          if (this.paused) return false;
          const loss = await this.trainStep();
          let ev: EvalResult | undefined;
          const every = this.options.evalEvery;
          if ((every > 0 && this.step % every === 0) || this.step === until) ev = await this.evaluate();
          onStep?.({step: this.step, loss, stepsPerSecond: this.stepsPerSecond(), eval: ev});
          await yieldFn();
        }
        return true;
      } finally {
        this.runningRun = null;
      }
    };
    this.runningRun = go();
    return this.runningRun;
  }

  /** Asks a run to stop after its current step (resolves when it has). */
  async pause(): Promise<void> {
    this.paused = true;
    if (this.runningRun) await this.runningRun;
  }

  get running(): boolean {
    return this.runningRun != null;
  }

  /** Frees the optimizer's moments (the model's parameters belong to the model). */
  dispose(): void {
    this.optimizer.dispose();
  }
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}

/** Fixed held-out batches from a generator seeded apart from any training stream. */
export function heldOutBatches(task: Task, {seed = 0, batches = 4, batch = 64, length}: {seed?: number; batches?: number; batch?: number; length?: number} = {}): Batch[] {
  const rand = mulberry32((seed ^ 0x5eed1e55) >>> 0);
  return Array.from({length: batches}, () => task.sample(rand, batch, length));
}
