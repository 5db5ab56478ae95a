// Node only: backend setup and the shipped files, for the CLI, the scripts, the benchmark and
// the tests (pages use their own backend choice and FileAttachment).
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {readFileSync, existsSync} from "node:fs";
import {fileURLToPath} from "node:url";
import type {ParamsFile} from "./params.js";
import type {TransformerConfig} from "./transformer.js";

/** The folder of the shipped weights and curves (src/data/models). */
export const MODELS_DIR = fileURLToPath(new URL("../data/models/", import.meta.url));
export const PRETRAINED_NAMES = MODELS_DIR + "names-softmax.json";

/** Selects a tfjs backend in Node ("wasm" or "cpu") and waits for it; throws if refused. */
export async function useNodeBackend(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`backend ${name} is not available (got ${tf.getBackend()})`);
}

export function readModelFile<C = unknown>(path: string): ParamsFile<C> {
  return JSON.parse(readFileSync(path, "utf8")) as ParamsFile<C>;
}

/** The pretrained character-level softmax model, or null if it has not been made yet. */
export function readPretrainedNames(): ParamsFile<TransformerConfig> | null {
  return existsSync(PRETRAINED_NAMES) ? readModelFile<TransformerConfig>(PRETRAINED_NAMES) : null;
}
