// Charts and the figure frame in headless Chromium, independent of any page: figure.ts and
// the charts are bundled with esbuild (IIFE, window.ssm) and run on a blank HTML page at the
// built site's origin. Checks what Node cannot: the SVG each chart draws (series, clipping
// notices, equal aspect, rects vs <image>), and that every chart kind exports a PNG of the
// right size and a parseable SVG, in screen and talk style. PlotlyFigure too (plotly is
// bundled in here; on the site it is a lazy chunk, see export.test.mjs).
import {after, before, describe, test} from "node:test";
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {useComponents} from "../../tools/browser/harness.mjs";

const site = useComponents(`
  export {Figure, PlotlyFigure} from "./src/components/figure.ts";
  export {LineChart} from "./src/components/charts/LineChart.ts";
  export {ComplexPlane} from "./src/components/charts/ComplexPlane.ts";
  export {Heatmap} from "./src/components/charts/Heatmap.ts";
  export {PhasePortrait} from "./src/components/charts/PhasePortrait.ts";
  export {HoldDiagram} from "./src/components/charts/HoldDiagram.ts";
  export {IntervalChart} from "./src/components/charts/IntervalChart.ts";
  export {MatrixTable} from "./src/components/matrixTable.ts";
`, process.env.EXPORT_TEST_DIST ?? process.env.SSM_OUT ?? "dist");
let session;

function pngSize(bytes) {
  const magic = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  assert.ok(bytes.length > 24 && magic.every((b, i) => bytes[i] === b), "PNG signature");
  return {width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20)};
}

before(async () => {
  session = await site.blank();
});
after(async () => {
  await session?.context.close();
});

/** Renders figures in the page from a function source; returns what `fn` returns. */
const inPage = (fn, arg) => session.page.evaluate(fn, arg);

/** Clicks an export button of figure #id and returns {name, bytes}. */
async function exportFigure(id, kind, {talk = false} = {}) {
  const {page} = session;
  const fig = page.locator(`#${id}`);
  if (!(await fig.locator(".ssm-export-menu").isVisible())) await fig.locator(".ssm-export-toggle").click();
  const box = fig.locator('input[data-export="talk"]');
  if ((await box.isChecked()) !== talk) await box.setChecked(talk);
  const [download] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), fig.locator(`button[data-export="${kind}"]`).click()]);
  return {name: download.suggestedFilename(), bytes: readFileSync(await download.path())};
}

describe("charts", () => {
  test("LineChart breaks at NaN, clips at yClip and reports both, on the chart and under the figure", async () => {
    const r = await inPage(() => {
      const {Figure, LineChart} = window.ssm;
      const x = Array.from({length: 101}, (_, i) => i / 10);
      const y = x.map((t, i) => (i % 25 === 3 ? NaN : Math.exp(t)));
      const fig = Figure((o) => LineChart([{name: "exp", x, y}, {name: "flat", x, y: x.map(() => 1), dash: true}],
        {...o, xLabel: "t", yLabel: "y", yClip: 1000}), {width: 600, height: 300, title: "Line", filename: "line-test", issues: ["from the page"], data: () => x.map((t, i) => ({t, y: y[i]}))});
      fig.id = "line";
      document.body.append(fig);
      const svg = fig.querySelector(".ssm-figure-chart > svg");
      const over = y.filter((v) => v > 1000).length;
      return {issues: svg.issues, attr: JSON.parse(svg.getAttribute("data-issues")), series: svg.querySelectorAll(".ssm-series").length,
        breaks: (svg.querySelector(".ssm-series").getAttribute("d").match(/M/g) ?? []).length, over,
        notice: fig.querySelector(".ssm-figure-issues").textContent, hidden: fig.querySelector(".ssm-figure-issues").hidden,
        font: svg.getAttribute("font-family"), size: [svg.getAttribute("width"), svg.getAttribute("height")]};
    });
    assert.equal(r.series, 2);
    assert.equal(r.breaks, 5, "four NaNs break the line into five pieces");
    assert.deepEqual(r.issues, r.attr);
    assert.match(r.issues[0], /^4 non-finite values/);
    assert.equal(r.issues[1], `${r.over} points beyond the clip level ±1000 are drawn at the edge`);
    assert.equal(r.hidden, false);
    assert.match(r.notice, /from the page/);
    assert.match(r.notice, /4 non-finite values/);
    assert.match(r.font, /sans-serif/);
    assert.deepEqual(r.size, ["600", "300"]);
  });

  test("Figure never lays a chart out below its minimal box, even when the width is 0 or NaN", async () => {
    const r = await inPage(() => {
      const {Figure, LineChart} = window.ssm;
      return [0, NaN, -50].map((width) => {
        const fig = Figure((o) => LineChart([{name: "a", x: [0, 1], y: [0, 1]}], {...o}), {width, height: 0, title: "Tiny"});
        const svg = fig.querySelector(".ssm-figure-chart > svg");
        return [svg.getAttribute("width"), svg.getAttribute("height"), /-\d/.test(svg.getAttribute("viewBox"))];
      });
    });
    for (const [w, h, negative] of r) {
      assert.deepEqual([Number(w), Number(h)], [160, 80]);
      assert.equal(negative, false);
    }
  });

  test("LineChart on log axes drops values ≤ 0 with a notice and labels powers of ten", async () => {
    const r = await inPage(() => {
      const {LineChart} = window.ssm;
      const x = [1e-4, 1e-3, 1e-2, 1e-1, 1];
      const svg = LineChart([{name: "err", x, y: [0, 1e-9, 1e-7, 1e-5, 1e-3], points: true}],
        {width: 500, height: 300, xType: "log", yType: "log", refLines: [{slope: 2, x0: 1e-2, y0: 1e-6, label: "slope 2"}]});
      return {issues: svg.issues, points: Number(svg.querySelector(".ssm-points").getAttribute("data-count")), labels: [...svg.querySelectorAll(".ssm-axis-y text")].map((t) => t.textContent), ref: svg.querySelectorAll(".ssm-refline").length};
    });
    assert.deepEqual(r.issues, ["1 value ≤ 0 not plotted on the log y axis"]);
    assert.equal(r.points, 4);
    assert.equal(r.ref, 1);
    assert.ok(r.labels.some((s) => /^10[⁻⁰-⁹]+$/.test(s)), `power labels in ${r.labels}`);
  });

  test("ComplexPlane has equal aspect, shades the stable region and draws every finite point", async () => {
    const r = await inPage(() => {
      const {ComplexPlane} = window.ssm;
      const svg = ComplexPlane([{name: "poles", re: [-1, -1, 0.5, NaN], im: [2, -2, 0, 0], symbol: "x"}], {width: 640, height: 360, shade: "unit-disk", unitCircle: true});
      const clip = svg.querySelector("clipPath rect");
      const circle = svg.querySelector(".ssm-unit-circle");
      return {w: +clip.getAttribute("width"), h: +clip.getAttribute("height"), marks: svg.querySelectorAll(".ssm-series path").length, stable: svg.querySelectorAll(".ssm-stable").length, r: +circle.getAttribute("r"), issues: svg.issues};
    });
    assert.equal(r.w, r.h, "square plot area");
    assert.equal(r.marks, 3);
    assert.equal(r.stable, 1);
    assert.ok(r.r > 0);
    assert.deepEqual(r.issues, ["1 non-finite value (NaN or ±∞) not plotted"]);
  });

  test("LineChart places marker and reference-line labels where no series passes, with a halo", async () => {
    const r = await inPage(() => {
      const {LineChart} = window.ssm;
      // A series along the top of the plot: the marker label's old place (top right of its rule) is taken.
      const x = Array.from({length: 50}, (_, i) => 10 ** (-3 + (4 * i) / 49));
      const svg = LineChart([{name: "top", x, y: x.map(() => 1)}, {name: "slope", x, y: x.map((v) => v ** 2 * 0.5)}],
        {width: 600, height: 300, xType: "log", yType: "log", markers: [{x: 0.1, label: "Δ = 0.100"}], refLines: [{slope: 2, x0: 0.01, y0: 5e-6, label: "slope 2"}]});
      document.body.append(svg);
      const hits = (label) => {
        const b = label.getBBox();
        return [...svg.querySelectorAll(".ssm-series")].some((p) => {
          const n = p.getTotalLength();
          for (let k = 0; k <= 400; k++) {
            const q = p.getPointAtLength((n * k) / 400);
            if (q.x >= b.x && q.x <= b.x + b.width && q.y >= b.y && q.y <= b.y + b.height) return true;
          }
          return false;
        });
      };
      const labels = [...svg.querySelectorAll(".ssm-marker-label, .ssm-refline-label")];
      const out = labels.map((l) => ({text: l.textContent, hit: hits(l), halo: l.getAttribute("paint-order")}));
      svg.remove();
      return out;
    });
    assert.deepEqual(r.map((l) => l.text), ["slope 2", "Δ = 0.100"]);
    for (const l of r) {
      assert.equal(l.hit, false, `"${l.text}" is clear of the series`);
      assert.equal(l.halo, "stroke", `"${l.text}" has a halo`);
    }
  });

  test("ComplexPlane draws exact circles at any size and a zoom inset in a free corner", async () => {
    const r = await inPage(() => {
      const {ComplexPlane} = window.ssm;
      const pts = [{name: "a", re: [0.95, 0.95], im: [0.3, -0.3]}, {name: "b", re: [0.951, 0.951], im: [0.299, -0.299]}, {name: "c", re: [0.94, 0.94], im: [0.29, -0.29]}];
      const svg = ComplexPlane(pts, {width: 400, height: 420, shade: "unit-disk", unitCircle: true, domain: 1.3, inset: {re: 0.945, im: 0.295, r: 0.02},
        curves: [{name: "huge", circle: {re: -1e4, im: 0, r: 1e4}}, {name: "small", circle: {re: 0.5, im: 0, r: 0.5}}]});
      document.body.append(svg);
      const frame = {x: svg.querySelector(".ssm-inset-frame").getBBox().x}, plot = svg.querySelector("clipPath rect");
      const px = +plot.getAttribute("x"), side = +plot.getAttribute("width");
      const curves = [...svg.querySelectorAll(".ssm-plot .ssm-curve")].map((c) => (c.getAttribute("d").match(/L/g) ?? []).length);
      const out = {frame, px, side, curves, label: svg.querySelector(".ssm-inset text").textContent, insetMarks: svg.querySelectorAll(".ssm-inset .ssm-series path").length};
      svg.remove();
      return out;
    });
    assert.ok(r.frame.x < r.px + r.side / 2, `the inset sits on the left, away from the points near z = 1 (${JSON.stringify(r)})`);
    assert.ok(r.curves.every((n) => n >= 90), `circles finely sampled, also the huge one (${r.curves})`);
    assert.match(r.label, /^×\d/);
    assert.equal(r.insetMarks, 3, "the inset shows the three points of the upper half-plane");
  });

  test("IntervalChart draws row notes over the markers, beside a marker that would cross them; HoldDiagram and MatrixTable render", async () => {
    const r = await inPage(() => {
      const {IntervalChart, HoldDiagram, MatrixTable} = window.ssm;
      const svg = IntervalChart([{name: "ZOH", intervals: [[0, Infinity]], note: "stable: every Δ"}], {width: 400, height: 90, xDomain: [1e-4, 10], markers: [{x: 5, label: "Δ"}]});
      const order = [...svg.children].map((c) => c.getAttribute("class") ?? c.tagName);
      document.body.append(svg);
      const box = svg.querySelector(".ssm-interval-note").getBBox(), mx = +svg.querySelector(".ssm-marker").getAttribute("x1");
      svg.remove();
      const hold = HoldDiagram({t: [0, 1, 2], u: [0.5, 0.7, 0.6], held: [0.6, 0.65]}, {width: 0, height: 0});
      const table = MatrixTable([{label: "ZOH", items: [{symbol: "Ā", matrix: [[0.9087, 0.0937], [-0.8433, 0.9087]]}, {symbol: "ρ(Ā)", text: "0.951"}]}, {label: "bilinear", note: "singular", items: []}]);
      return {noteLast: order.lastIndexOf("ssm-interval-note") > order.lastIndexOf("ssm-marker"), clear: mx < box.x || mx > box.x + box.width, holdW: hold.getAttribute("width"),
        labels: [...hold.querySelectorAll("text")].map((t) => t.textContent).filter((s) => /^[ux]/.test(s)),
        entries: [...table.querySelectorAll(".ssm-matrix-entry")].map((e) => e.textContent), note: table.querySelector(".ssm-matrix-note").textContent};
    });
    assert.equal(r.noteLast, true);
    assert.equal(r.clear, true, "the marker does not strike through the note");
    assert.equal(r.holdW, "240", "a 0-px box is laid out at the minimum");
    assert.deepEqual(r.labels, ["u₁", "u₂", "u(t)", "x₀", "x₁", "x₂"]);
    assert.deepEqual(r.entries, ["0.9087", "0.0937", "−0.8433", "0.9087"]);
    assert.equal(r.note, "singular");
  });

  test("Heatmap draws rects for small matrices, one <image> for big ones, NaN cells grey", async () => {
    const r = await inPage(() => {
      const {Heatmap, Figure} = window.ssm;
      const small = Heatmap([[1, -2, 3], [0, NaN, 4]], {width: 400, height: 300, xLabel: "k", yLabel: "n"});
      const values = new Float32Array(100 * 120).map((_, i) => Math.sin(i / 50));
      const fig = Figure((o) => Heatmap({values, rows: 100, cols: 120}, {...o, colorScale: "sequential"}), {width: 500, height: 360, title: "Big heatmap"});
      fig.id = "heat";
      document.body.append(fig);
      const big = fig.querySelector("svg");
      return {rects: small.querySelectorAll(".ssm-cell").length, issues: small.issues, image: big.querySelectorAll("image").length,
        href: big.querySelector("image")?.getAttribute("href")?.slice(0, 22), bigRects: big.querySelectorAll(".ssm-cell").length, bar: big.querySelectorAll(".ssm-colorbar").length};
    });
    assert.equal(r.rects, 6);
    assert.deepEqual(r.issues, ["1 non-finite cell is drawn grey"]);
    assert.equal(r.image, 1);
    assert.equal(r.href, "data:image/png;base64,");
    assert.equal(r.bigRects, 0);
    assert.equal(r.bar, 1);
  });

  test("Heatmap with xDomain labels its x axis in data units (nice ticks of the range), without it column indices", async () => {
    const r = await inPage(() => {
      const {Heatmap} = window.ssm;
      const values = new Float64Array(4 * 380).map((_, i) => Math.cos(i / 30));
      const labels = (svg) => [...svg.querySelectorAll(".ssm-axis-x text")].map((e) => e.textContent);
      const timed = Heatmap({values, rows: 4, cols: 380}, {width: 600, height: 200, xLabel: "time", xDomain: [0, 6]});
      const plain = Heatmap({values, rows: 4, cols: 380}, {width: 600, height: 200, xLabel: "column"});
      // The tick at x = 3 sits in the middle of the plot (the columns span [0, 6] evenly).
      const frame = timed.querySelector("rect[fill=none]");
      const fx0 = +frame.getAttribute("x"), fw = +frame.getAttribute("width");
      const tick3 = [...timed.querySelectorAll(".ssm-axis-x text")].find((e) => e.textContent === "3");
      return {timed: labels(timed), plain: labels(plain), mid: (+tick3.getAttribute("x") - fx0) / fw, yTicks: timed.querySelectorAll(".ssm-axis-y text").length};
    });
    assert.ok(r.timed.includes("0") && r.timed.includes("6") && r.timed.length <= 8, `time ticks: ${r.timed}`);
    assert.ok(!r.timed.includes("380") && r.plain.some((l) => +l > 300), `index ticks without xDomain: ${r.plain}`);
    assert.ok(Math.abs(r.mid - 0.5) < 1e-6, `x = 3 at the middle: ${r.mid}`);
    assert.ok(r.yTicks >= 2);
  });

  test("PhasePortrait draws the field, the trajectory with start and end, eigen-directions; rejects a bad A", async () => {
    const r = await inPage(() => {
      const {PhasePortrait, Figure} = window.ssm;
      const t = Array.from({length: 200}, (_, i) => i / 20);
      const fig = Figure((o) => PhasePortrait({A: [[-1, 0], [0, -3]], eigen: {values: [-1, -3], vectors: [[1, 0], [0, 1]]}, trajectory: {x1: t.map((s) => Math.exp(-s)), x2: t.map((s) => Math.exp(-3 * s))}}, o), {width: 420, height: 420, title: "Phase"});
      fig.id = "phase";
      document.body.append(fig);
      const svg = fig.querySelector("svg");
      let error = null;
      try { PhasePortrait({A: [[1, 2, 3]]}, {width: 100, height: 100}); } catch (e) { error = e.message; }
      return {arrows: svg.querySelectorAll(".ssm-field line").length, traj: svg.querySelectorAll(".ssm-series").length, start: svg.querySelectorAll(".ssm-start").length,
        end: svg.querySelectorAll(".ssm-end").length, eig: svg.querySelectorAll(".ssm-eigenvector").length, error};
    });
    assert.ok(r.arrows >= 49, `${r.arrows} arrows`);
    assert.equal(r.traj, 1);
    assert.equal(r.start, 1);
    assert.equal(r.end, 1);
    assert.equal(r.eig, 2);
    assert.match(r.error, /PhasePortrait: A must be a 2x2 array/);
  });

  test("talk style renders larger type and thicker lines", async () => {
    const r = await inPage(() => {
      const {LineChart} = window.ssm;
      const d = [{name: "a", x: [0, 1], y: [0, 1]}];
      const a = LineChart(d, {width: 400, height: 300}), b = LineChart(d, {width: 400, height: 300, talk: true});
      const lw = (s) => +s.querySelector(".ssm-series").getAttribute("stroke-width");
      return {fa: +a.getAttribute("font-size"), fb: +b.getAttribute("font-size"), la: lw(a), lb: lw(b)};
    });
    assert.ok(r.fa >= 12 && r.fa <= 13);
    assert.ok(r.fb >= 18);
    assert.ok(r.lb > r.la);
  });
});

describe("exports of every chart kind", () => {
  for (const [id, w, h] of [["line", 600, 300], ["heat", 500, 360], ["phase", 420, 420]]) {
    test(`${id}: PNG 4x and talk PNG 2x have the right size; SVG parses`, async () => {
      const png = await exportFigure(id, "png-4");
      assert.match(png.name, /@4x\.png$/);
      assert.deepEqual(pngSize(png.bytes), {width: 4 * w, height: 4 * h});
      const talk = await exportFigure(id, "png-2", {talk: true});
      assert.match(talk.name, /-talk@2x\.png$/);
      assert.deepEqual(pngSize(talk.bytes), {width: 2 * w, height: 2 * h});
      const svg = await exportFigure(id, "svg");
      const ok = await inPage((t) => {
        const doc = new DOMParser().parseFromString(t, "image/svg+xml");
        return !doc.querySelector("parsererror") && doc.documentElement.nodeName === "svg";
      }, svg.bytes.toString("utf8"));
      assert.ok(ok, "SVG parses");
    });
  }

  test("the line figure's CSV writes NaN as empty cells and JSON as null", async () => {
    const csv = (await exportFigure("line", "csv")).bytes.toString("utf8").split("\n");
    assert.equal(csv[0], "t,y");
    assert.equal(csv[4], "0.3,");
    const json = JSON.parse((await exportFigure("line", "json")).bytes.toString("utf8"));
    assert.equal(json[3].y, null);
  });

  test("a figure without SVG or data disables the image and data buttons", async () => {
    const r = await inPage(() => {
      const fig = window.ssm.Figure(() => { const d = document.createElement("div"); d.textContent = "table"; return d; }, {width: 300, height: 100, title: "Plain"});
      document.body.append(fig);
      return [...fig.querySelectorAll("button[data-export]")].map((b) => [b.dataset.export, b.disabled]);
    });
    await new Promise((res) => setTimeout(res, 50));
    const r2 = await inPage(() => [...document.querySelectorAll(".ssm-figure")].at(-1).querySelectorAll("button[data-export]:disabled").length);
    assert.equal(r.length, 6);
    assert.equal(r2, 6);
  });

  test("PlotlyFigure renders and exports PNG at scale and SVG through Plotly.toImage", async () => {
    await inPage(() => {
      const z = Array.from({length: 10}, (_, i) => Array.from({length: 12}, (_, j) => Math.sin(i) * Math.cos(j)));
      const fig = window.ssm.PlotlyFigure(() => ({data: [{type: "heatmap", z}]}), {width: 480, height: 320, title: "Plotly", data: z.map((r, i) => ({i, first: r[0]}))});
      fig.id = "plotly";
      document.body.append(fig);
    });
    await session.page.waitForSelector("#plotly .main-svg", {timeout: 60_000});
    const png = await exportFigure("plotly", "png-2");
    assert.deepEqual(pngSize(png.bytes), {width: 960, height: 640});
    const svg = (await exportFigure("plotly", "svg")).bytes.toString("utf8");
    assert.match(svg, /^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /width="480"/);
  });

  test("no console errors and no foreign requests", () => {
    assert.deepEqual(session.errors, []);
    assert.deepEqual(session.foreign, []);
  });
});
