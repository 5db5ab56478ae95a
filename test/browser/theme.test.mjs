// The colour theme and slide-ready exports in the built site: the light / dark / auto select
// switches the page and its charts and is remembered across a reload; with no stored choice
// prefers-color-scheme decides; a 16:9 talk export has that shape (read from the PNG's IHDR
// chunk); an SVG export carries the burned-in title and stays light on a dark page unless
// asked; every chart on /continuous and /hippo has an accessible name; no console errors.
import {after, before, test} from "node:test";
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {openPage, useSite} from "../../tools/browser/harness.mjs";

const site = useSite(process.env.SSM_OUT ?? "dist");
const sessions = [];
async function open(path, options) {
  await site.ready();
  const s = await openPage(site.browser, site.origin, path, options);
  sessions.push(s);
  await s.page.waitForSelector(".ssm-figure .ssm-figure-chart > svg", {timeout: 90_000});
  return s;
}
after(async () => { for (const s of sessions) await s.context.close(); });

/** Width and height from a PNG's IHDR chunk, after checking the magic bytes. */
function pngSize(bytes) {
  const magic = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  assert.ok(bytes.length > 24 && magic.every((b, i) => bytes[i] === b), "the download starts with the PNG signature");
  assert.equal(bytes.subarray(12, 16).toString("latin1"), "IHDR");
  return {width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20)};
}

/** The computed fill of the first y-axis tick label of the first chart, and the page background. */
const colours = (page) => page.evaluate(() => {
  const label = document.querySelector(".ssm-figure-chart svg .ssm-axis text");
  return {text: getComputedStyle(label).fill, page: getComputedStyle(document.documentElement).backgroundColor,
    chart: getComputedStyle(document.querySelector(".ssm-figure-chart")).backgroundColor};
});
/** Perceived lightness 0–255 of "rgb(r, g, b)". */
const lightness = (rgb) => { const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).map(Number); return 0.299 * r + 0.587 * g + 0.114 * b; };

let light;
before(async () => { light = await open("/continuous", {colorScheme: "light"}); });

test("the theme select switches page and charts to dark and back, and persists across a reload", async () => {
  const {page} = light;
  assert.equal(await page.getAttribute("html", "data-theme"), "light");
  assert.equal(await page.locator("select[data-theme-toggle]").inputValue(), "auto");
  const before = await colours(page);
  assert.ok(lightness(before.page) > 200 && lightness(before.text) < 128, `light page, dark text: ${JSON.stringify(before)}`);
  await page.locator("select[data-theme-toggle]").selectOption("dark");
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  const dark = await colours(page);
  assert.ok(lightness(dark.page) < 60, `dark page background: ${dark.page}`);
  assert.ok(lightness(dark.chart) < 60, `dark chart background: ${dark.chart}`);
  assert.ok(lightness(dark.text) > 150, `light chart text on dark: ${dark.text}`);
  await page.reload({waitUntil: "load"});
  // Set before first paint by the head script: already dark when the document is parsed.
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  assert.equal(await page.locator("select[data-theme-toggle]").inputValue(), "dark");
  await page.waitForSelector(".ssm-figure .ssm-figure-chart > svg", {timeout: 90_000});
  await page.locator("select[data-theme-toggle]").selectOption("auto");
  assert.equal(await page.getAttribute("html", "data-theme"), "light", "auto follows the (light) system setting");
  assert.equal(await page.evaluate(() => localStorage.getItem("ssm-theme")), null, "auto is stored as no choice");
});

test("prefers-color-scheme: dark with no stored choice gives the dark theme", async () => {
  const {page} = await open("/continuous", {colorScheme: "dark"});
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  assert.equal(await page.getAttribute("html", "data-theme-choice"), "auto");
  const c = await colours(page);
  assert.ok(lightness(c.page) < 60 && lightness(c.text) > 150, JSON.stringify(c));
});

/** Opens the first SVG figure's export menu, sets the choices, and returns {name, bytes} of a download. */
async function exportAs(page, kind, {aspect = "shown", talk = false, burn = false, dark = false} = {}) {
  const fig = page.locator(".ssm-figure:has(.ssm-figure-chart > svg)").first();
  const menu = fig.locator(".ssm-export-menu");
  if (!(await menu.isVisible())) await fig.locator(".ssm-export-toggle").click();
  await fig.locator('select[data-export="aspect"]').selectOption(aspect);
  await fig.locator('input[data-export="talk"]').setChecked(talk);
  await fig.locator('input[data-export="burn"]').setChecked(burn);
  await fig.locator('input[data-export="dark"]').setChecked(dark);
  const [download] = await Promise.all([page.waitForEvent("download", {timeout: 30_000}), fig.locator(`button[data-export="${kind}"]`).click()]);
  return {fig, name: download.suggestedFilename(), bytes: readFileSync(await download.path())};
}

test("a 16:9 talk-style PNG export has the 16:9 shape and says so in its name", async () => {
  const {name, bytes} = await exportAs(light.page, "png-2", {aspect: "16x9", talk: true});
  assert.match(name, /-talk-16x9@2x\.png$/);
  const {width, height} = pngSize(bytes);
  assert.ok(width >= 2 * 640, `at least 640 px wide at 1x, got ${width / 2}`);
  assert.ok(Math.abs(width / height - 16 / 9) < 0.005, `16:9, got ${width}×${height}`);
  const sq = await exportAs(light.page, "png-1", {aspect: "square"});
  const s = pngSize(sq.bytes);
  assert.equal(s.width, s.height, "square is square");
});

test("an SVG export with title & caption carries the burned-in title; it is light on a dark page unless asked", async () => {
  const {page} = light;
  await page.locator("select[data-theme-toggle]").selectOption("dark");
  const fig = page.locator(".ssm-figure:has(.ssm-figure-chart > svg)").first();
  const title = (await fig.locator(".ssm-figure-title").textContent()).trim();
  assert.ok(title.length > 0, "the figure has a title");
  const {name, bytes} = await exportAs(page, "svg", {aspect: "4x3", burn: true});
  assert.match(name, /-4x3\.svg$/);
  const text = bytes.toString("utf8");
  const parsed = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, "image/svg+xml");
    const root = doc.documentElement;
    return {error: doc.querySelector("parsererror")?.textContent ?? null, title: doc.querySelector(".ssm-burned-title")?.textContent ?? null,
      w: Number(root.getAttribute("width")), h: Number(root.getAttribute("height")), bg: doc.querySelector(".ssm-background")?.getAttribute("fill"),
      series: doc.querySelectorAll(".ssm-series").length};
  }, text);
  assert.equal(parsed.error, null, "the SVG parses as XML");
  assert.ok(parsed.title, "a burned-in title");
  assert.ok(title.startsWith(parsed.title.replace(/ …$/, "")), `burned-in title "${parsed.title}" from "${title}"`);
  assert.ok(Math.abs(parsed.w / parsed.h - 4 / 3) < 0.01, `4:3, got ${parsed.w}×${parsed.h}`);
  assert.equal(parsed.bg, "#ffffff", "exports stay light on a dark page");
  assert.ok(parsed.series > 0, "the chart's series are in the file");
  assert.doesNotMatch(text, /var\(--/, "no CSS variables left in a standalone file");
  const dark = await exportAs(page, "svg", {dark: true});
  assert.match(dark.name, /-dark\.svg$/);
  assert.match(dark.bytes.toString("utf8"), /class="ssm-background"[^>]*fill="#1b1b1b"|fill="#1b1b1b"[^>]*class="ssm-background"/, "a dark export when asked");
  await page.locator("select[data-theme-toggle]").selectOption("auto");
});

for (const path of ["/continuous", "/hippo"]) {
  test(`${path}: every chart SVG has role=img and an aria-label; figure charts are named by their title`, async () => {
    const {page} = path === "/continuous" ? light : await open(path, {colorScheme: "light"});
    await page.waitForTimeout(500);
    const charts = await page.evaluate(() => [...document.querySelectorAll("svg.ssm-chart, .ssm-figure-chart svg")].map((s) => {
      const fig = s.closest(".ssm-figure");
      const title = fig?.querySelector(".ssm-figure-title")?.textContent.trim() || null;
      const desc = s.getAttribute("aria-describedby");
      return {role: s.getAttribute("role"), label: s.getAttribute("aria-label"), title, described: desc ? !!document.getElementById(desc) : null};
    }));
    assert.ok(charts.length >= 3, `charts found: ${charts.length}`);
    for (const c of charts) {
      assert.equal(c.role, "img");
      assert.ok(c.label && c.label.trim().length > 0, `aria-label on ${JSON.stringify(c)}`);
      if (c.title) assert.equal(c.label, c.title);
      if (c.described !== null) assert.equal(c.described, true, "aria-describedby points at the caption");
    }
  });
}

test("no console errors and no request to another host", async () => {
  for (const s of sessions) {
    assert.deepEqual(s.foreign, []);
    assert.deepEqual(s.errors.filter((e) => !/favicon/.test(e)), []);
  }
});
