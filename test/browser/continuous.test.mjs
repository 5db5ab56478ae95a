// Page 1, /continuous, in headless Chromium against the built site: renders clean (no console
// error, no request to another host), math typeset, every slider group moves the figures,
// no tensor leak across slider moves, unstable A gives the notice and no NaN in the SVG, a
// malformed URL value gives the notice and the default. Prints the time from a slider
// input to the last redrawn figure (a measurement, not an assertion).
import {test} from "node:test";
import assert from "node:assert/strict";
import {openPage, useSite} from "../../tools/browser/harness.mjs";
import {moveSlider} from "../../tools/browser/slider.mjs";

const site = useSite();

async function open(path) {
  const s = await openPage(site.browser, site.origin, path);
  await s.page.waitForSelector(".ssm-figure .ssm-figure-chart svg", {timeout: 60_000});
  await s.page.waitForFunction(() => document.querySelectorAll(".ssm-figure").length === 4, null, {timeout: 30_000});
  return s;
}

const figureSVGs = (page) => page.$$eval(".ssm-figure .ssm-figure-chart svg", (svgs) => svgs.map((s) => s.outerHTML));

test("/continuous renders with math, four figures, the backend badge, and no error or foreign request", async () => {
  const {page, context, errors, foreign} = await open("/continuous?backend=cpu");
  try {
    assert.ok(await page.locator(".katex").count() > 20, "KaTeX typeset the math");
    assert.equal(await page.locator(".ssm-tex-error, .katex-error").count(), 0, "no LaTeX errors");
    assert.equal(await page.locator(".ssm-backend-badge").getAttribute("data-backend"), "cpu");
    const svgs = await figureSVGs(page);
    assert.equal(svgs.length, 4);
    for (const s of svgs) assert.ok(!/NaN|Infinity/.test(s), "no NaN or Infinity in a figure");
    assert.match(await page.locator(".ssm-readout").innerText(), /stable spiral/);
    assert.deepEqual(errors, []);
    assert.deepEqual(foreign, []);
  } finally {
    await context.close();
  }
});

test("/continuous: each slider group changes the figures, and tensors do not leak", async () => {
  const {page, context, errors} = await open("/continuous?backend=cpu");
  try {
    const tensors = () => page.evaluate(() => globalThis.ssmDebug.memory().numTensors);
    const start = await tensors();
    const times = [];
    for (const [key, value] of [["sigma", -0.6], ["omega", 3.5], ["b1", 1], ["c2", 0.5], ["d", 0.3], ["x01", 1], ["T", 30], ["freq", 0.5]]) {
      const before = await figureSVGs(page);
      const ms = (await moveSlider(page, key, value)).last;
      const afterSVGs = await figureSVGs(page);
      assert.notDeepEqual(afterSVGs, before, `moving ${key} changes a figure`);
      assert.equal(await page.locator(`.ssm-control[data-key="${key}"]`).evaluate((el) => el.value), value);
      times.push(ms);
    }
    console.log(`/continuous slider input → last figure redrawn (cpu, ms): ${times.map((t) => t?.toFixed(0)).join(", ")}`);
    assert.equal(await tensors(), start, "tf.memory().numTensors is unchanged after eight slider moves");
    // The URL mirrors the state, so the view can be shared.
    await page.waitForFunction(() => location.search.includes("sigma=-0.6"));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/continuous: every input signal and the entries mode render without NaN", async () => {
  const {page, context, errors} = await open("/continuous?backend=cpu&amode=entries&a11=0&a12=1&a21=-1&a22=0");
  try {
    assert.match(await page.locator(".ssm-readout").innerText(), /center/);
    for (const input of ["step", "sine", "square", "noise", "co2", "seattle", "impulse"]) {
      const before = await figureSVGs(page);
      await page.locator('.ssm-control[data-key="input"] select').selectOption(input);
      await page.waitForFunction((b) => document.querySelector(".ssm-figure .ssm-figure-chart svg")?.outerHTML !== b, before[0]);
      const svgs = await figureSVGs(page);
      for (const s of svgs) assert.ok(!/NaN|Infinity/.test(s), `no NaN with input ${input}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/continuous: an unstable A gives a notice, and the plots are clipped, not NaN", async () => {
  const {page, context, errors} = await open("/continuous?backend=cpu&sigma=0.8&T=60&input=step");
  try {
    const notice = page.locator(".ssm-notice-warn", {hasText: "unstable"});
    await notice.waitFor();
    assert.match(await notice.innerText(), /grows like/);
    for (const s of await figureSVGs(page)) assert.ok(!/NaN|Infinity/.test(s));
    assert.ok(await page.locator(".ssm-figure-issues:not([hidden])").count() > 0, "a figure says that points were clipped");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/continuous: malformed URL values are refused with a notice and the defaults are used", async () => {
  const {page, context, errors} = await open("/continuous?backend=cpu&sigma=abc&omega=1e9&input=<script>&T=NaN");
  try {
    const warnings = await page.locator(".ssm-url-warning").allInnerTexts();
    assert.ok(warnings.length >= 4, `four refused values, got ${warnings.length}`);
    assert.ok(warnings.some((w) => w.includes("sigma") && w.includes("abc")));
    assert.equal(await page.locator('.ssm-control[data-key="sigma"]').evaluate((el) => el.value), -0.25);
    assert.equal(await page.locator('.ssm-control[data-key="omega"]').evaluate((el) => el.value), 2);
    assert.equal(await page.locator('.ssm-control[data-key="input"]').evaluate((el) => el.value), "impulse");
    assert.equal(await page.locator('.ssm-control[data-key="T"]').evaluate((el) => el.value), 20);
    assert.equal(await page.locator(".ssm-figure").count(), 4);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("/continuous: dragging an eigenvalue in the s-plane moves it, the sliders and the URL; arrow keys keep the focus across redraws", async () => {
  const {page, context, errors} = await open("/continuous?backend=cpu");
  try {
    const plane = 'svg[data-pick="continuous-s-plane"]';
    await page.waitForSelector(`${plane} .ssm-pick-area`);
    const before = await page.$eval(`${plane} .ssm-series path`, (p) => p.getAttribute("transform"));
    await page.locator(plane).scrollIntoViewIfNeeded();
    const box = await page.locator(`${plane} .ssm-pick-area`).boundingBox();
    // press near the upper-left of the plot (Re < 0, Im > 0) and drag a little to the right
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.32, {steps: 4});
    await page.mouse.up();
    await page.waitForFunction(() => new URL(location.href).searchParams.has("sigma"), null, {timeout: 10_000});
    const after = await page.evaluate(() => ({sigma: Number(document.querySelector('.ssm-control[data-key=sigma] input[type=range]').value),
      omega: Number(document.querySelector('.ssm-control[data-key=omega] input[type=range]').value), url: location.search}));
    assert.ok(after.sigma < 0 && after.omega > 0, `the drag set σ < 0, ω > 0 (${JSON.stringify(after)})`);
    assert.notEqual(after.sigma, -0.25, "σ moved from its default");
    await page.waitForFunction(([sel, t]) => document.querySelector(`${sel} .ssm-series path`)?.getAttribute("transform") !== t, [plane, before], {timeout: 10_000});
    assert.match(after.url, /sigma=/);
    // Keyboard: focus the plane, two arrow presses; the redrawn plane keeps the focus.
    await page.focus(plane);
    await page.keyboard.press("ArrowLeft");
    await page.waitForFunction((s) => Math.abs(Number(document.querySelector('.ssm-control[data-key=sigma] input[type=range]').value) - (s - 0.05)) < 1e-9, after.sigma, {timeout: 10_000});
    await page.waitForTimeout(300);
    assert.ok(await page.evaluate((sel) => document.activeElement?.matches(sel), plane), "the redrawn plane has the focus");
    await page.keyboard.press("ArrowUp");
    await page.waitForFunction((w) => Math.abs(Number(document.querySelector('.ssm-control[data-key=omega] input[type=range]').value) - (w + 0.05)) < 1e-9, after.omega, {timeout: 10_000});
    await page.waitForFunction((w) => new URL(location.href).searchParams.get("omega") === String(+(w + 0.05).toFixed(2)), after.omega, {timeout: 10_000});
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
