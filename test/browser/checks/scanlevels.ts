// Browser checks of the scan levels of page 5 (src/kernels/seq/scanLevels.ts) on every backend:
// every level of Hillis–Steele and Blelloch against numpy's definitions (reference/ref_scanlevels.py),
// and blellochScan against the loop at a length where the GPU paths differ from the small ones.
import * as tf from "@tensorflow/tfjs";
import {blellochLevels, blellochScan, hillisSteeleLevels, linearScanLoop, type ScanLevel} from "../../../src/kernels/index.js";
import fixtures from "../../../reference/fixtures/scanlevels.json";
import {checks, uniform} from "./registry.js";

/** All levels' a- and b-parts, flat, in one tensor (the check compares one array). */
const flatLevels = (levels: ScanLevel[]) => tf.concat(levels.flatMap((lv) => [tf.reshape(lv.a, [-1]), tf.reshape(lv.b, [-1])]));
const flatFixture = (levels: {a: number[]; b: number[]}[]) => levels.flatMap((lv) => [...lv.a, ...lv.b]);

for (const c of fixtures.scanLevels.filter((c) => ["shape 5", "shape 11x3", "shape 16", "shape 33"].includes(c.name))) {
  const ab = () => [tf.tensor(c.a, c.shape), tf.tensor(c.b, c.shape)] as const;
  checks.set(`hillisSteeleLevels fixture ${c.name} every level`, () => ({actual: flatLevels(hillisSteeleLevels(...ab())), expected: flatFixture(c.hillisSteele)}));
  checks.set(`blellochLevels fixture ${c.name} up-sweep and down-sweep`, () => {
    const r = blellochLevels(...ab());
    return {actual: flatLevels([...r.up, ...r.down]), expected: flatFixture([...c.up, ...c.down])};
  });
  checks.set(`blellochScan fixture ${c.name}`, () => ({actual: blellochScan(...ab()), expected: c.h}));
}

checks.set("blellochScan l=3000 x 4 = loop", () => {
  const [l, m] = [3000, 4];
  const a = uniform(l * m, 11, 0.5, 1);
  const b = uniform(l * m, 12);
  return {actual: blellochScan(tf.tensor(a, [l, m]), tf.tensor(b, [l, m])), expected: linearScanLoop(a, b, l)};
});
