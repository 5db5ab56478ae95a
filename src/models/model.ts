// What every model on the site offers the training loop, the pages and the CLI.
import type * as tf from "@tensorflow/tfjs";
import type {Params, ParamsFile} from "./params.js";

export interface SequenceModel<C = unknown> {
  /** "s4d", "mamba", "transformer" */
  readonly kind: string;
  readonly config: C;
  readonly params: Params;
  /** tokens (b, l) int32 → logits (b, l, V). Call inside a tidy or a gradient tape. */
  logits(tokens: tf.Tensor): tf.Tensor;
  /** The state an RNN view of the model carries between steps, in floats (0 if it has none). */
  stateSize(l: number): number;
}

/** A model's weights and config as a small JSON object (tensors as base64). */
export async function saveModel(model: SequenceModel, meta: Record<string, unknown> = {}, dtype: "f32" | "f16" = "f32"): Promise<ParamsFile> {
  return {format: "ssm-live-params/1", model: model.kind, config: model.config, tensors: await model.params.encode(dtype), meta};
}
