// The benchmark cases live in src/lessons/benchCases.ts, where the /lab page runs the same
// cases on a reader's device; the Node, Chromium and Dawn runners import them from here.
export * from "../src/lessons/benchCases.js";
