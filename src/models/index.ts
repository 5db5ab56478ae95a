// The one entrance to the trainable models, tasks and training loop (pages, lessons, the CLI
// and the scripts import from here). Node-only helpers live in node.ts and namesNode.ts.
export {Params, FORMAT, type Init, type ParamsFile, type TensorRecord} from "./params.js";
export {saveModel, type SequenceModel} from "./model.js";
export {loadModel} from "./load.js";
export {linear, matmul, matmulBT, embed, rmsNorm, layerNorm, silu, gelu, causalDepthwiseConv, maskedCrossEntropy} from "./layers.js";
export {selectiveScanTrainable, scanLoop, resolveScanImpl, type ScanImpl} from "./scan.js";
export {Mamba, MAMBA_DEFAULTS, mambaConfig, type MambaConfig, type MambaTrace} from "./mamba.js";
export {S4D, S4D_DEFAULTS, toeplitz, causalConvChannels, type S4DConfig} from "./s4d.js";
export {Transformer, TRANSFORMER_DEFAULTS, transformerConfig, swapToLinear, attentionHeads, headDecays, decayMasks, type TransformerConfig, type Attention, type ModelFeatureMap, type Normalize} from "./transformer.js";
export {
  selectiveCopying, inductionHeads, associativeRecall, namesCorpus, namesTask, encodeStream, windows, tiledWindows,
  type Batch, type Task, type NamesCorpus
} from "./tasks.js";
export {Trainer, TRAIN_DEFAULTS, evaluate, heldOutBatches, batchTensors, clipByGlobalNorm, nextTurn, type TrainOptions, type Curves, type EvalResult, type Progress} from "./train.js";
export {sampleNames, type SampleOptions} from "./generate.js";
export {TASKS, defaults, runExperiment, checkExperiment, makeTask, makeModel, perplexity, heldOutNames, type TaskName, type ExperimentResult, type ExperimentRun, type ExperimentOptions} from "./experiments.js";
