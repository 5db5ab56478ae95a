// Page 7, /family: the survey's map of state space models made runnable. The catalogue (who,
// where on the two axes, how computed, the table, the open problems) is lessons/family/catalog.ts;
// each card's live miniature is a function of the card's controls that runs the site's kernels
// and returns plain arrays (lessons/family/*.ts). The page imports everything from here.
export * from "./family/catalog.js";
export {maxAbsDiff, maxAbs, allFinite} from "./family/common.js";
export * from "./family/lti.js";
export * from "./family/attention.js";
export * from "./family/selective.js";
export * from "./family/timemachine.js";
export * from "./family/vision.js";
