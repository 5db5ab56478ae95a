// Page 2, /discretization, in headless Chromium against the built site (SSM_OUT, default
// dist): renders clean (math typeset, six figures and the hold picture, no console error, no
// cell error, no foreign request, no NaN/Infinity in any SVG), Δ moves the samples, the
// z-plane and the markers but not the error sweep, A moves the sweep, tensors do not leak, the
// URL mirrors Δ, an unstable rule and a tiny Δ give their notices, bad URL values are refused
// with the notice, a method subset from the URL is honoured, every issue-16 link (singular
// rules, an unstable A with the smallest Δ and the longest T) gives a notice and a working
// page, the figures export real files (talk style too), the page fits a 390 px screen, and the
// webgpu backend logs no synchronous-readback warning. Redraw times: bench/redraw.mjs.
import {test} from "node:test";
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {openPage, useSite} from "../../tools/browser/harness.mjs";
import {moveSlider as moveSliderShared} from "../../tools/browser/slider.mjs";
import {settle} from "../../tools/browser/longuse.mjs";

const site = useSite();
const FIGURES = 6;
let shared;

// The tests on the default view share one page load (each load costs several seconds); they
// run in file order: render checks first, then the slider moves, then the exports.
const defaultPage = () => (shared ??= open("/discretization?backend=cpu"));

async function open(path, options) {
  const s = await openPage(site.browser, site.origin, path, options);
  await ready(s.page);
  return s;
}

/** Waits for six figures, the error sweep and the deferred readout. */
async function ready(page) {
  await page.waitForFunction((n) => document.querySelectorAll(".ssm-figure .ssm-figure-chart svg").length === n &&
    document.querySelector(".ssm-figure[data-filename=discretization-error]") && document.querySelector(".ssm-readout"), FIGURES, {timeout: 120_000});
}

/** Moves a slider as a reader does (tools/browser/slider.mjs) and waits until the figures have been quiet for 400 ms. */
const moveSlider = (page, key, value) => moveSliderShared(page, key, value, {quietMs: 400});

const figureSVGs = (page) => page.$$eval(".ssm-figure .ssm-figure-chart svg", (svgs) => svgs.map((s) => s.outerHTML));
const titles = (page) => page.$$eval(".ssm-figure .ssm-figure-title", (els) => els.map((e) => e.textContent));
const cellErrors = (page) => page.locator(".observablehq--error").count();
const noticeText = (page) => page.$$eval(".ssm-notice:not([hidden]), .ssm-figure-issues:not([hidden])", (els) => els.map((e) => e.textContent).join("\n"));
const sweepPath = (page) => page.$eval(".ssm-figure[data-filename=discretization-error] svg", (s) => s.querySelector(".ssm-series").getAttribute("d"));

test("/discretization renders: math, six figures, the hold picture, badge, no NaN, no error, no foreign request", async () => {
  const {page, errors, foreign} = await defaultPage();
  assert.ok(await page.locator(".katex").count() > 40, "KaTeX typeset the math");
  assert.equal(await page.locator(".ssm-tex-error, .katex-error").count(), 0, "no LaTeX errors");
  assert.equal(await page.locator(".ssm-backend-badge").getAttribute("data-backend"), "cpu");
  assert.equal(await page.locator("svg.ssm-hold-diagram").count(), 1, "the picture of the step indexing");
  // The live matrices: one row per ticked rule, with Ā and B̄ (plain HTML, drawn with the figures).
  const table = await page.locator(".ssm-matrix-table").innerText();
  for (const m of ["system", "ZOH", "bilinear", "forward Euler", "backward Euler", "Mamba mix"]) assert.match(table, new RegExp(m));
  assert.match(table, /0\.9087/, "ZOH's Ā at Δ = 0.1");
  for (const s of await figureSVGs(page)) assert.ok(!/NaN|Infinity/.test(s), "no NaN or Infinity in a figure");
  // Measured slopes in the error figure's legend (default: sine input); labels with a halo.
  const errSvg = await page.$eval(".ssm-figure[data-filename=discretization-error] svg", (s) => s.outerHTML);
  for (const m of [/forward Euler \(slope (1\.0\d|0\.9\d)\)/, /bilinear \(slope (2\.0\d|1\.9\d)\)/]) assert.match(errSvg, m);
  assert.match(errSvg, /class="ssm-refline-label"[^>]*paint-order="stroke"|paint-order="stroke"[^>]*class="ssm-refline-label"/);
  // The clip notice on the log axis is formatted and one-sided.
  const issues = await noticeText(page);
  assert.doesNotMatch(issues, /±1\.48144/);
  assert.match(issues, /points? above 1\.48 (is|are) drawn at the top edge/);
  // At the default Δ the five rules' z sit within 0.07 of each other: the z-plane has an inset.
  assert.equal(await page.locator(".ssm-figure[data-filename=discretization-z-plane] .ssm-inset").count(), 1);
  // The kernel check, after the paint: the tfjs scan agrees with the float64 loops.
  const check = page.locator('[data-deferred="kernel check"]');
  await check.waitFor({timeout: 60_000});
  const diff = Number(/agree to ([\d.e+-]+)\./.exec(await check.innerText())?.[1]);
  assert.ok(diff < 1e-5, `tfjs kernels = float64 loops (${await check.innerText()})`);
  assert.equal(await cellErrors(page), 0);
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign, []);
});

test("/discretization: Δ moves the samples, z-plane and markers, not the error sweep; A moves the sweep; no tensor leak; URL mirrors Δ", async () => {
  const {page, errors} = await defaultPage();
  const tensors = () => page.evaluate(() => globalThis.ssmDebug.memory().numTensors);
  const start = await tensors();
  const sweep0 = await sweepPath(page);
  // Slider positions are log10(Δ).
  for (const logDelta of [-1.3, -1.6, -0.7, -2.2, -1.0]) {
    const before = await figureSVGs(page);
    await moveSlider(page, "delta", logDelta);
    const now = await figureSVGs(page);
    assert.notEqual(now[0], before[0], "the samples change with Δ");
    assert.notEqual(now[2], before[2], "the z-plane changes with Δ");
    assert.notEqual(now[3], before[3], "the Δ marker of the error figure moves");
  }
  assert.equal(await sweepPath(page), sweep0, "the measured error curves do not depend on the current Δ");
  assert.match((await titles(page))[0], /Δ = 0\.100/);
  for (const [key, v] of [["sigma", -0.8], ["omega", 4], ["T", 20], ["freq", 0.5]]) {
    const before = await figureSVGs(page), sweepBefore = await sweepPath(page);
    await moveSlider(page, key, v);
    await page.waitForFunction((d) => document.querySelector(".ssm-figure[data-filename=discretization-error] .ssm-series")?.getAttribute("d") !== d, sweepBefore, {timeout: 30_000});
    assert.notDeepEqual(await figureSVGs(page), before, `moving ${key} changes the figures`);
  }
  assert.notEqual(await sweepPath(page), sweep0, "the error sweep follows A and the input");
  await page.locator('.ssm-control[data-key="sys"] select').selectOption("scalar");
  for (const lam of [0.8, 0.4, 2, -3, 1.5]) {
    await moveSlider(page, "lambda", lam);
    for (const s of await figureSVGs(page)) assert.ok(!/NaN|Infinity/.test(s), `no NaN at λ = ${lam}`);
  }
  assert.equal(await cellErrors(page), 0, "dragging λ through the singular values leaves no cell error");
  assert.equal(await tensors(), start, "tf.memory().numTensors is unchanged after the moves");
  await page.waitForFunction(() => location.search.includes("delta=0.1") && location.search.includes("lambda=1.5"));
  assert.deepEqual(errors, []);
});

test("/discretization: λ can be dragged in the s-plane and moved with the arrow keys; the sliders and the URL follow", async () => {
  const {page, context, errors} = await open("/discretization?backend=cpu");
  try {
    const val = (k) => page.locator(`.ssm-control[data-key="${k}"]`).evaluate((e) => e.value);
    const area = page.locator(".ssm-figure[data-filename=discretization-s-plane] .ssm-pick-area");
    await area.scrollIntoViewIfNeeded();
    const box = await area.boundingBox();
    // The domain at the start is ±1.4|λ| = ±4.26 and stays while the drag lasts: end at (−2.13, 2.13).
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * (0.45 - 0.02 * i), box.y + box.height * (0.15 + 0.01 * i));
    await page.mouse.up();
    await page.waitForFunction(() => location.search.includes("sigma=-2.13") && location.search.includes("omega=2.15"));
    assert.equal(await val("sigma"), -2.13);
    assert.equal(await val("omega"), 2.15);
    await page.locator(".ssm-figure[data-filename=discretization-s-plane] svg").focus();
    // Three presses in a row, as a key repeat sends them: each steps from the sliders' value,
    // whether or not the plane has been redrawn with the last one.
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
    await page.waitForFunction(() => document.querySelector('.ssm-control[data-key="sigma"]').value === -1.98);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-pick")), "s-plane", "the redrawn plane keeps the focus");
    await page.keyboard.press("Shift+ArrowUp");
    await page.waitForFunction(() => document.querySelector('.ssm-control[data-key="omega"]').value === 2.65);
    assert.equal(await cellErrors(page), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/discretization: A moved again while its error sweep runs (T = 60, moves just past the rest) leaves no error and the error figure drawn", async () => {
  const {page, context, errors} = await open("/discretization?backend=cpu&T=60");
  try {
    // Each move comes after the 150 ms rest, while the (long, T = 60) sweep of the last A runs.
    await page.evaluate(async () => {
      const input = document.querySelector('.ssm-control[data-key="sigma"] input[type=range]');
      for (let i = 0; i < 12; i++) {
        input.value = String(-0.3 - 0.1 * i);
        input.dispatchEvent(new Event("input", {bubbles: true}));
        await new Promise((r) => setTimeout(r, 170 + 40 * (i % 4)));
      }
    });
    await settle(page); // 30 quiet frames: the last sweep has drawn
    assert.equal(await cellErrors(page), 0);
    assert.equal(await page.locator(".ssm-figure[data-filename=discretization-error] svg .ssm-series").count() > 0, true, "the error figure is drawn");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/discretization: an unstable rule and a tiny Δ give notices; plots stay finite", async () => {
  const {page, context, errors} = await open("/discretization?backend=cpu&delta=0.5&input=step&T=60");
  try {
    const warn = page.locator(".ssm-notice-warn", {hasText: "forward Euler is unstable"});
    await warn.waitFor();
    assert.match(await warn.innerText(), /stable only for Δ < 0\.108/);
    for (const s of await figureSVGs(page)) assert.ok(!/NaN|Infinity/.test(s), "no NaN with an exploding rule");
    assert.ok(await page.locator(".ssm-figure-issues:not([hidden])").count() > 0, "a figure says what it did not draw");
    await moveSlider(page, "delta", -4);
    await page.locator(".ssm-notice", {hasText: "only the first 2000"}).waitFor();
    for (const s of await figureSVGs(page)) assert.ok(!/NaN|Infinity/.test(s));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/discretization: bad URL values are refused with a notice; a method subset from the URL is honoured", async () => {
  const {page, context, errors} = await open("/discretization?backend=cpu&delta=-1&sigma=abc&methods=euler,bilinear&sys=scalar&lambda=-3");
  try {
    const warnings = await page.locator(".ssm-url-warning").allInnerTexts();
    assert.ok(warnings.some((w) => /delta=-1 ignored/.test(w)), "Δ ≤ 0 is refused");
    assert.ok(warnings.some((w) => /sigma=abc ignored/.test(w)));
    assert.ok(await page.locator(".ssm-notice-warn", {hasText: "delta=-1"}).count() > 0, "the page-level notice lists it");
    assert.match((await titles(page))[0], /Δ = 0\.100/, "the default Δ is used");
    const legend = await page.locator(".ssm-figure").first().locator(".ssm-legend").evaluate((g) => g.textContent);
    assert.match(legend, /forward Euler/);
    assert.doesNotMatch(legend, /ZOH|Mamba/);
    // Scalar λ = −3: Euler is stable for Δ < 2/3.
    assert.match(await page.locator(".ssm-figure", {hasText: "Where each rule is stable"}).innerText(), /Δ < 0\.667/);
    await page.goto(site.origin + "/discretization?backend=cpu&delta=NaN");
    await page.locator(".ssm-url-warning", {hasText: "delta=NaN ignored"}).waitFor({timeout: 60_000});
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// Issue 16: links that crashed the page. Each must give its notice and a working page.
const REPROS = [
  ["sys=scalar&lambda=2&delta=0.0001&T=60", [/only the first 2000 are computed/, /A itself is not stable/, /sweep starts at Δ = 6\.0e-3/]],
  ["sys=scalar&lambda=2&delta=0.0001&T=60&input=seattle", [/only the first 2000 are computed/, /sweep starts at Δ = 6\.0e-3/]],
  ["sys=scalar&lambda=0.8", [/bilinear has no Ā at Δ = 2\.50/, /A itself is not stable/]],
  ["sys=scalar&lambda=0.4", [/backward Euler has no Ā at Δ = 2\.50/]],
  ["sys=scalar&lambda=2&T=2", [/backward Euler has no Ā at Δ = 0\.500/]],
  ["sys=2x2&sigma=0.8&omega=0", [/bilinear has no Ā at Δ = 2\.50/]],
  ["sys=scalar&lambda=2&delta=1", [/bilinear has no Ā at Δ = 1\.00: Δλ = 2 for the eigenvalue λ = 2\.00 of A/]],
  // Silly but allowed values: the largest Δ on an oscillation, no rule ticked, an integrator.
  ["input=impulse&delta=10", [/Δω = 30\.00 > π/, /forward Euler is unstable/]],
  ["methods=", [/No rule is ticked/]],
  ["sys=scalar&lambda=0&delta=1", [/on the edge of stability/]]
];

test("/discretization: every issue-16 link (and a few silly values) gives its notice, six finite figures and no cell error", async () => {
  const {page, context, errors} = await open(`/discretization?backend=cpu&${REPROS[0][0]}`);
  try {
    for (const [query, expected] of REPROS) {
      const t0 = Date.now();
      if (query !== REPROS[0][0]) {
        await page.goto(`${site.origin}/discretization?backend=cpu&${query}`);
        await ready(page);
      }
      for (const re of expected) await page.waitForFunction((src) => new RegExp(src).test(document.body.innerText), re.source, {timeout: 60_000});
      assert.equal(await page.locator(".ssm-figure .ssm-figure-chart svg").count(), FIGURES, query);
      for (const s of await figureSVGs(page)) assert.ok(!/NaN|Infinity/.test(s), `no NaN or Infinity in a figure (${query})`);
      assert.equal(await cellErrors(page), 0, `no cell error (${query})`);
      console.log(`/discretization?${query}: notices and six figures after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/discretization: the first figure exports a real PNG and CSV; talk style shrinks dense dots instead of blobs", async () => {
  const {page, errors} = await defaultPage();
  await moveSlider(page, "T", 10); // Δ = 0.1 and T = 10 again (the slider test moved them): 100 samples
  await moveSlider(page, "delta", -1);
  await page.locator('.ssm-control[data-key="sys"] select').selectOption("2x2");
  const fig = page.locator(".ssm-figure").first();
  const grab = async (kind) => {
    if (!(await fig.locator(".ssm-export-menu").isVisible())) await fig.locator(".ssm-export-toggle").click();
    const [d] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), fig.locator(`button[data-export="${kind}"]`).click()]);
    return readFileSync(await d.path());
  };
  const png = await grab("png-2");
  assert.equal(png.subarray(1, 4).toString("latin1"), "PNG");
  assert.ok(png.readUInt32BE(16) > 1000, "2x width");
  const csv = (await grab("csv")).toString("utf8");
  assert.match(csv.split("\n")[0], /t/);
  assert.ok(csv.split("\n").length > 100, "the CSV holds the data");
  await fig.locator('input[data-export="talk"]').setChecked(true);
  const svg = (await grab("svg")).toString("utf8");
  assert.match(svg, /data-talk="true"/);
  // 100 samples across the plot: dots at most about a third of their spacing, below the talk theme's 6 px.
  const dots = [...svg.matchAll(/class="ssm-points"[^>]*data-count="(\d+)" data-r="([\d.]+)"/g)].map((m) => ({n: Number(m[1]), r: Number(m[2])}));
  assert.equal(dots.length, 5, "one path of dots per rule");
  assert.ok(dots.every((d) => d.n === 100), "five rules × 100 dots");
  assert.ok(Math.max(...dots.map((d) => d.r)) < 6, `talk-style dots shrink when dense (r ${dots.map((d) => d.r)})`);
  await fig.locator('input[data-export="talk"]').setChecked(false);
  assert.deepEqual(errors, []);
});

test("/discretization at 390 px: nothing wider than the screen, equations wrap, legends leave room for the plot", async () => {
  const {page, context, errors} = await open("/discretization?backend=cpu", {viewport: {width: 390, height: 844}});
  try {
    await page.locator(".ssm-matrix-table", {hasText: "Mamba mix"}).waitFor();
    const r = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      wide: [...document.querySelectorAll(".ssm-tex-wrap, .ssm-matrix-table")].filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent.slice(0, 40)),
      legends: [...document.querySelectorAll(".ssm-figure svg")].map((s) => {
        const l = s.querySelector(".ssm-legend");
        return l ? l.getBBox().height / Number(s.getAttribute("height")) : 0;
      })
    }));
    assert.ok(r.page <= 390, `the page is ${r.page} px wide`);
    assert.deepEqual(r.wide, [], "every wrapped equation fits the column");
    for (const f of r.legends) assert.ok(f < 0.3, `a legend takes ${(100 * f).toFixed(0)} % of its chart's height`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/discretization on webgpu: the kernel check runs there, with no synchronous-readback warning", async () => {
  const {page, context, errors} = await openPage(site.browser, site.origin, "/discretization?backend=webgpu");
  const warnings = [];
  page.on("console", (m) => { if (m.type() === "warning") warnings.push(m.text()); });
  try {
    await page.reload(); // with the listener in place from the start
    await ready(page);
    const backend = await page.locator(".ssm-backend-badge").getAttribute("data-backend");
    const check = page.locator('[data-deferred="kernel check"]');
    await check.waitFor({timeout: 120_000});
    if (backend === "webgpu") assert.match(await check.locator(".ssm-readout-details").textContent(), /on the webgpu backend/);
    assert.deepEqual(warnings.filter((w) => /synchronously reading data/.test(w)), []);
    assert.equal(await cellErrors(page), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
