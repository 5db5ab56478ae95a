// Rebuilds a model from its file (saveModel's JSON): the config makes the architecture, the
// tensors are assigned over the seeded initial values.
import {Mamba, type MambaConfig} from "./mamba.js";
import {S4D, type S4DConfig} from "./s4d.js";
import {Transformer, type TransformerConfig} from "./transformer.js";
import {FORMAT, type ParamsFile} from "./params.js";
import type {SequenceModel} from "./model.js";

export function loadModel(file: ParamsFile): SequenceModel {
  if (file == null || typeof file !== "object" || file.format !== FORMAT) {
    throw new Error(`loadModel: file must be a ${FORMAT} object, got ${file == null ? String(file) : JSON.stringify((file as {format?: unknown}).format)}`);
  }
  let model: SequenceModel;
  switch (file.model) {
    case "mamba": model = new Mamba(file.config as MambaConfig); break;
    case "s4d": model = new S4D(file.config as S4DConfig); break;
    case "transformer": model = new Transformer(file.config as TransformerConfig); break;
    default: throw new Error(`loadModel: unknown model ${JSON.stringify(file.model)}`);
  }
  try {
    model.params.decode(file.tensors);
  } catch (e) {
    model.params.dispose();
    throw e;
  }
  return model;
}
