// Snapshot tests of chart components, in the manner of Observable Plot's: each chart is drawn in
// Chromium from fixed data and options, its SVG serialised (ids numbered in order of appearance,
// numbers as the chart wrote them) and compared with the committed file in
// test/browser/snapshots/. A figure regression (a lost series, a moved label, a legend that
// grew) shows as a diff of the SVG text. After an intended change, rewrite the snapshots with
//   UPDATE_SNAPSHOTS=1 node test/browser/run.mjs test/browser/chart-snapshots.test.mjs
// and look at the files (they open in any browser) before committing them.
import {after, before, test} from "node:test";
import assert from "node:assert/strict";
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {useComponents} from "../../tools/browser/harness.mjs";

const site = useComponents(`
  export {LineChart} from "./src/components/charts/LineChart.ts";
  export {ComplexPlane} from "./src/components/charts/ComplexPlane.ts";
  export {Heatmap} from "./src/components/charts/Heatmap.ts";
  export {IntervalChart} from "./src/components/charts/IntervalChart.ts";
`, process.env.EXPORT_TEST_DIST ?? process.env.SSM_OUT ?? "dist");
const DIR = new URL("./snapshots/", import.meta.url);
const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";
let session;

before(async () => { session = await site.blank("", {colorScheme: "light"}); });
after(async () => { await session?.context.close(); });

/** The SVG with its generated ids (clip paths, gradients) renumbered in order of appearance. */
function normalise(svg) {
  const ids = new Map();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], `id${ids.size}`);
  let out = svg;
  for (const [id, n] of ids) out = out.split(`"${id}"`).join(`"${n}"`).split(`#${id})`).join(`#${n})`).split(`"#${id}"`).join(`"#${n}"`);
  return out.replace(/></g, ">\n<") + "\n";
}

/** Draws `name` in the page (a function of window.ssm returning an SVG element) and compares. */
async function snapshot(name, draw) {
  const svg = normalise(await session.page.evaluate(`(() => { const s = (${draw})(window.ssm); document.body.append(s); return s.outerHTML; })()`));
  const file = new URL(`${name}.svg`, DIR);
  if (UPDATE || !existsSync(file)) {
    assert.ok(UPDATE, `no snapshot ${name}.svg: run with UPDATE_SNAPSHOTS=1 and look at it`);
    writeFileSync(file, svg);
    return;
  }
  const expected = readFileSync(file, "utf8");
  if (svg !== expected) {
    const a = svg.split("\n"), b = expected.split("\n");
    const i = a.findIndex((line, k) => line !== b[k]);
    assert.fail(`${name}.svg differs from its snapshot at line ${i + 1}:\n  now:      ${a[i]}\n  snapshot: ${b[i]}\n(UPDATE_SNAPSHOTS=1 rewrites it after an intended change)`);
  }
}

test("LineChart: two series, a dashed one, dots alone, a log y axis and a NaN", async () => {
  await snapshot("line-chart", (ssm) => {
    const x = Array.from({length: 41}, (_, i) => i / 4);
    return ssm.LineChart([
      {name: "e^(−t)", x, y: x.map((t) => Math.exp(-t))},
      {name: "t^(−2)", x, y: x.map((t) => (t === 0 ? NaN : t ** -2)), dash: true},
      {name: "samples", x: x.filter((_, i) => i % 4 === 0), y: x.filter((_, i) => i % 4 === 0).map((t) => Math.exp(-t) * 1.1), points: true, line: false}
    ], {width: 560, height: 320, title: "Decay", xLabel: "t", yLabel: "value", yType: "log"});
  });
});

test("LineChart in talk style at 16:9", async () => {
  await snapshot("line-chart-talk", (ssm) => {
    const x = Array.from({length: 25}, (_, i) => i);
    return ssm.LineChart([{name: "sin", x, y: x.map((k) => Math.sin(k / 3))}, {name: "cos", x, y: x.map((k) => Math.cos(k / 3))}],
      {width: 1280, height: 720, talk: true, title: "Talk", xLabel: "k", yLabel: "y"});
  });
});

test("ComplexPlane: eigenvalues with the unit circle", async () => {
  await snapshot("complex-plane", (ssm) => ssm.ComplexPlane([
    {name: "λ", re: [-0.5, -0.5, -1, -2], im: [1, -1, 0, 0]},
    {name: "z", re: [0.9, 0.9, 0.5], im: [0.3, -0.3, 0], symbol: "cross"}
  ], {width: 360, height: 360, title: "Spectrum", unitCircle: true}));
});

test("Heatmap: a diverging 6 × 8 matrix", async () => {
  await snapshot("heatmap", (ssm) => ssm.Heatmap(Array.from({length: 6}, (_, r) => Array.from({length: 8}, (_, c) => Math.sin(r + c / 2) * (r - 2))),
    {width: 420, height: 300, title: "Matrix", xLabel: "column", yLabel: "row"}));
});

test("IntervalChart: stable ranges of Δ on a log axis with a marker", async () => {
  await snapshot("interval-chart", (ssm) => ssm.IntervalChart([
    {name: "ZOH", intervals: [[0, Infinity]], note: "every Δ"},
    {name: "forward Euler", intervals: [[0, 0.108]], note: "Δ < 0.108"},
    {name: "bilinear", intervals: [[0, Infinity]]}
  ], {width: 520, height: 160, xType: "log", xDomain: [1e-3, 10], xLabel: "Δ", markers: [{x: 0.05, label: "Δ = 0.05"}]}));
});
