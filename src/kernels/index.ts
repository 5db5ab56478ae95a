// The kernel contract (../shared/DESIGN.md, "Kernel contract"): every page, test and
// benchmark imports the math from here. One concept per file.
export {expm} from "./expm.js";
export {discretize, type Method} from "./discretize.js";
export {hippo, type Measure} from "./hippo.js";
export {ssmKernel} from "./ssmKernel.js";
export {causalConv} from "./causalConv.js";
export {ssmRecurrent} from "./ssmRecurrent.js";
export {linearScan} from "./linearScan.js";
export {selectiveScan} from "./selectiveScan.js";
export {softmaxAttention, linearAttention} from "./attention.js";
export type {TensorLike} from "./validate.js";
