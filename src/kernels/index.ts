// The one entrance to the math: pages' lessons, models, tests and benchmarks import from
// here, never from the files below. Inside, imports run downward:
//   validate, random  →  linalg/  →  lti/  →  seq/        reference/ (plain loops) beside them.
// The contract of docs/design.md ("Kernel contract") is the first block; the rest are the
// pieces the lessons, models and tests build on (float64 helpers, forms of the same kernel).

// ---- the kernel contract
export {expm} from "./linalg/expm.js";
export {discretize, type Method} from "./lti/discretize.js";
export {hippo, type Measure} from "./lti/hippo.js";
export {ssmKernel} from "./lti/ssmKernel.js";
export {causalConv} from "./lti/causalConv.js";
export {ssmRecurrent} from "./lti/ssmRecurrent.js";
export {linearScan} from "./seq/linearScan.js";
export {selectiveScan} from "./seq/selectiveScan.js";
export {softmaxAttention, linearAttention} from "./seq/attention.js";
export type {TensorLike} from "./validate.js";

// ---- input checks and seeded randomness
export {mulberry32, gaussian} from "./random.js";
export {fail, toTensor, shapeString, assertRank, assertShape, assertFinite, assertPositiveNumber, assertInteger, assertValues, valuesOnCpu, readFinite, cpuValues, type ValueRule} from "./validate.js";

// ---- linalg: float64 matrix helpers, eigenvalues, FFT
export {matMulF64, eyeF64, norm1F64, solveF64, expmF64, toF64} from "./linalg/expm.js";
export {eig2, eigvecs2, eigvalsF64} from "./linalg/eig.js";
export {nextPowerOfTwo, fftColumns, fft, ifft, convolveReal, rfftConvolve} from "./linalg/fft.js";

// ---- lti: linear time-invariant systems
export {METHODS, discretizeCore, discretizeF64} from "./lti/discretize.js";
export {MEASURES, hippoArrays, legendreReconstruct} from "./lti/hippo.js";
export {
  MEMORY_MEASURES, FOUT_WINDOW, legendreP, laguerreL, inWindow, memoryBasis, reconstructF64, hippoReconstruct,
  hippoStatesF64, hippoStates, reconstructionError,
  type MemoryMeasure, type LegsMethod, type MemoryOptions, type StatesOptions
} from "./lti/legendre.js";
export {checkSystem} from "./lti/ssmKernel.js";
export {DIRECT_MAX_L, DIRECT_MAX_L_DEFAULT, causalConvFFT, causalConvTfSpectral, causalConvDirect} from "./lti/causalConv.js";
export {chunking, ssmStates} from "./lti/ssmRecurrent.js";
export {S4D_INITS, s4dInit, s4dDiscretize, s4dKernel, s4dRealSystem, type S4DInit, type Complex, type Modes} from "./lti/s4d.js";

// ---- seq: scans and attention
export {checkScanArgs, scanPairs} from "./seq/linearScan.js";
export {
  selectiveScanComposite, selectiveScanArgs, effectiveDelta,
  type SelectiveScanOptions, type SelectiveScanResult, type SelectiveScanArgs
} from "./seq/selectiveScan.js";
export {NORM_EPS, softmaxAttentionWeights, decayMask, linearAttentionRecurrent, type FeatureMap, type LinearAttentionOptions} from "./seq/attention.js";

// ---- selective: Mamba's fused selective scan per backend, the bytes it moves, the Mamba block
export {
  selectiveScanFused, selectiveScanFusedOf, selectiveScanPath, selectiveScanBytes,
  type SelectiveScanBytes, type SelectiveScanTuning
} from "./seq/selectiveScan.js";
export {SELECTIVE_SCAN} from "./seq/selective/names.js";
export {registerSelectiveScanKernels, fusedUnsupported} from "./seq/selective/register.js";
export {selectiveScanInto, type SelectiveScanArrays} from "./seq/selective/loop.js";
export {WEBGPU_DEFAULTS, WEBGPU_MAX_N, webgpuTuning} from "./seq/selective/webgpu.js";
export {webglChunk} from "./seq/selective/webgl.js";
export {
  mambaConfig, mambaInit, mambaBlock, mambaBlockShapes, mambaParamShapes, causalDepthwiseConv, MAMBA_PARAM_NAMES,
  type MambaConfig, type MambaParams, type MambaInitOptions, type MambaBlockOptions, type MambaBlockResult, type MambaIntermediates
} from "./seq/mambaBlock.js";

// ---- scan levels (page 5, /selective): Hillis–Steele and Blelloch kept level by level
export {hillisSteeleLevels, blellochLevels, blellochScan, type ScanLevel, type BlellochLevels} from "./seq/scanLevels.js";

// ---- fused GPU programs (webgl, webgpu) and the composite forms they are checked against
export {activeGpu, softwareGpu, pathKey, type GpuBackend} from "./gpu.js";
export {convolveRealComposite} from "./linalg/fft.js";
export {radixPlan} from "./linalg/fftConvGpu.js";
export {causalConvFFTComposite, causalConvFFTFused} from "./lti/causalConv.js";
export {ssmRecurrentComposite, ssmRecurrentFused} from "./lti/ssmRecurrent.js";
export {FUSED_MAX_N, useFusedRecurrence} from "./lti/ssmRecurrentGpu.js";
export {softmaxAttentionComposite} from "./seq/attention.js";
export {FUSED_MAX_D, COMPOSITE_MAX_L, softmaxAttentionFused, useFusedSoftmax} from "./seq/softmaxFused.js";

// ---- reference: plain loops (tests and benchmarks)
export {linearScanLoop} from "./reference/linearScan.js";
export {selectiveScanLoop, softplus, type SelectiveScanLoopOptions} from "./reference/selectiveScan.js";
export {linearAttentionLoop, softmaxAttentionLoop} from "./reference/attention.js";

// ---- linear attention and SSD (page 6): GroupNorm, feature maps, heads with per-head decay,
//      chunked form; Mamba-2's SSD (ssd is in the kernel contract) in its three forms
export {
  GROUPNORM_EPS, groupNorm, linearAttentionWeights, linearAttentionChunked, linearAttentionHeads, retnetDecays,
  type Normalize, type AttentionForm, type LinearAttentionHeadsOptions
} from "./seq/attention.js";
export {
  performerWeights, positiveRandomFeatures, randomFeatureMap, mlpFeatureMap, type RandomFeatureSpec, type RandomFeatureMap
} from "./seq/featureMaps.js";
export {
  ssd, ssdSteps, ssdQuadratic, ssdRecurrent, segsum, semiseparableMask, ssdMatrix, selectiveToSsd,
  ssdArgs, ssdChunkedOf, ssdQuadraticOf, ssdRecurrentOf, expSegsum,
  type SsdOptions, type SsdResult, type SsdSteps, type SsdArgs
} from "./seq/ssd.js";
export {ssdLoop} from "./reference/ssd.js";
export {ssdFused, fusedChunk, FUSED_BACKENDS} from "./seq/ssdFused.js";

// ---- family: the kernels of the /family page's live miniatures (RWKV, Mega, RetNet, VMamba,
// S5, DSS, H3, GSS, Jamba), in family/ (imports linalg/, lti/, seq/; nothing imports family/)
export {complexArg, channelArg, type ComplexLike, type ComplexTensor} from "./family/args.js";
export {causalConvRows} from "./family/conv.js";
export {sinCos, cexp, cexpm1, cmul, cdiv, reducePhase} from "./family/complex.js";
export {wkv, wkvClosed, wkvStates} from "./family/wkv.js";
export {ema, emaRecurrent, emaKernel, megaEmaInit, type EmaParams, type EmaOptions} from "./family/ema.js";
export {retention, retentionRecurrent, retentionChunked, retentionDecayMask, retentionGammas, retentionRotate} from "./family/retention.js";
export {CROSS_SCAN_NAMES, crossScanOrders, crossScan2d, crossMerge2d, crossScanMerge2d, decayScan, type SequenceScan} from "./family/crossScan.js";
export {s5, s5States, s5Discretize, s5Init, type S5Params, type S5Arrays} from "./family/s5.js";
export {dssKernel, DSS_EPS, type DssVariant} from "./family/dss.js";
export {h3, h3ShiftKernel, h3Init, type H3Params, type H3Arrays} from "./family/h3.js";
export {gss, gssKernel, gssInit, GSS_NORM_EPS, type GssParams, type GssArrays} from "./family/gss.js";
export {
  JAMBA_V01, LLAMA2_7B, MISTRAL_7B, MIXTRAL_8X7B, PAPER_TABLE1, layerPattern, kvCacheBytes, mambaStateBytes,
  memoryAgainstContext, maxContext, type ModelMemoryConfig, type LayerKind, type MemoryRow
} from "./family/jamba.js";
export {wkvLoop, emaLoop, retentionLoop, s5Loop, h3Loop, gssLoop, crossScanDecayLoop} from "./reference/family.js";

// ---- dplr: S4's diagonal-plus-low-rank kernel (Gu, Goel & Ré 2022) and its pieces
export {skewEigF64} from "./linalg/eigh.js";
export {fftF64} from "./linalg/fft64.js";
export {
  DPLR_MAX_N, dplrDecompose, dplrHippo, dplrLambda, dplrReconstruct, dplrCtilde, dplrWeights, dplrGenerating,
  dplrKernelF64, dplrKernel, type Dplr, type DplrWeights, type DplrSpectrum
} from "./lti/dplr.js";
export {ssmKernelLoop} from "./reference/ssmKernel.js";

// ---- backend fixes (tfjs-backend-webgpu's AddN split by the storage-buffer limit)
export {installWebGPUAddN, addNInputLimit} from "./webgpuAddN.js";
