// What the fused selective-scan kernels share: the kernel's name in tfjs's registry, its
// attributes and the sizes read off its inputs (u (b,l,d), A (d,n); see ../selectiveScan.ts).
import type * as tf from "@tensorflow/tfjs";

/** The kernel name under which every backend's fused scan is registered. */
export const SELECTIVE_SCAN = "SelectiveScan";

/** Tuning knobs of the GPU kernels (benchmarks and tests; defaults are used otherwise). */
export interface SelectiveScanTuning {
  /** webgpu: invocations per workgroup along l (32, 64, 128 or 256; default 64) */
  workgroupSize?: number;
  /** webgpu: consecutive steps per invocation (1…16; default 16) */
  items?: number;
  /** webgpu: states scanned together in workgroup memory (1, 2, 4, 8 or 16; default 16) */
  stateGroup?: number;
  /** webgl: chunk length T of the chunked scan (≥ 1; default from l) */
  chunk?: number;
}

/** The kernel's attributes: the two flags of Mamba's interface, plus optional tuning. */
export interface SelectiveScanAttrs extends SelectiveScanTuning {
  deltaSoftplus: boolean;
  returnLastState: boolean;
}

/** Sizes from the kernel's inputs: u (b, l, d), A (d, n). */
export function scanSizes(inputs: tf.NamedTensorInfoMap): {nb: number; l: number; d: number; n: number} {
  const [nb, l, d] = inputs.u!.shape;
  return {nb, l, d, n: inputs.A!.shape[1]};
}
