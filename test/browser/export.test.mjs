// Figure export in the built site: the first SVG figure of a page (EXPORT_TEST_PAGE, default
// /continuous) exports a real PNG at 2x (size read from the IHDR chunk), a standalone SVG
// with the same number of series paths as on screen, CSV and JSON of its data, and a
// talk-style PNG. A page without plotly figures must never fetch plotly.
//
// EXPORT_TEST_DIST (else SSM_OUT, else dist) is the built site; EXPORT_TEST_SAVE, when
// set, is a folder where the downloaded files are kept for looking at.
import {after, before, test} from "node:test";
import assert from "node:assert/strict";
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {openPage, useSite} from "../../tools/browser/harness.mjs";

const PAGE = process.env.EXPORT_TEST_PAGE ?? "/continuous";
const ROOT = process.env.EXPORT_TEST_DIST ?? process.env.SSM_OUT ?? "dist";
const SAVE = process.env.EXPORT_TEST_SAVE;

const site = useSite(ROOT);
let session, fig, size, seriesOnPage;

/** Width and height from a PNG's IHDR chunk, after checking the magic bytes. */
function pngSize(bytes) {
  const magic = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  assert.ok(bytes.length > 24 && magic.every((b, i) => bytes[i] === b), "the download starts with the PNG signature");
  assert.equal(bytes.subarray(12, 16).toString("latin1"), "IHDR");
  return {width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20)};
}

/** Clicks a menu item of the figure and returns {name, bytes} of the download. */
async function exportAs(kind) {
  const {page} = session;
  const menu = fig.locator(".ssm-export-menu");
  if (!(await menu.isVisible())) await fig.locator(".ssm-export-toggle").click();
  assert.ok(await menu.isVisible(), "the export menu opens");
  const [download] = await Promise.all([
    page.waitForEvent("download", {timeout: 30_000}),
    fig.locator(`button[data-export="${kind}"]`).click()
  ]);
  const name = download.suggestedFilename();
  const bytes = readFileSync(await download.path());
  if (SAVE) { mkdirSync(SAVE, {recursive: true}); writeFileSync(join(SAVE, name), bytes); }
  return {name, bytes};
}

before(async () => {
  await site.ready();
  session = await openPage(site.browser, site.origin, PAGE);
  // The first figure whose chart is an SVG (plotly figures are covered by their own page).
  await session.page.waitForSelector(".ssm-figure .ssm-figure-chart > svg", {timeout: 90_000});
  fig = session.page.locator(".ssm-figure:has(.ssm-figure-chart > svg)").first();
  const svg = fig.locator(".ssm-figure-chart > svg");
  size = {width: Number(await svg.getAttribute("width")), height: Number(await svg.getAttribute("height"))};
  seriesOnPage = await svg.locator(".ssm-series").count();
});

after(async () => {
  await session?.context.close();
});

test(`${PAGE}: figures have an export menu with every format and a talk-style box`, async () => {
  assert.ok(size.width > 0 && size.height > 0, "the chart has a size");
  for (const k of ["png-1", "png-2", "png-4", "svg", "csv", "json", "talk"]) {
    assert.equal(await fig.locator(`[data-export="${k}"]`).count(), 1, `menu item ${k}`);
  }
});

test(`${PAGE}: PNG 2x is a real PNG twice the figure's size`, async () => {
  const {name, bytes} = await exportAs("png-2");
  assert.match(name, /@2x\.png$/);
  const {width, height} = pngSize(bytes);
  assert.equal(width, 2 * size.width);
  assert.equal(height, 2 * size.height);
  assert.ok(bytes.length > 2000, "the PNG has content");
});

test(`${PAGE}: SVG is a standalone file with the chart's series paths`, async () => {
  const {name, bytes} = await exportAs("svg");
  assert.match(name, /\.svg$/);
  const text = bytes.toString("utf8");
  assert.match(text, /<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(text, /font-family=/, "the font family is embedded");
  assert.match(text, /class="ssm-background"[^>]*|fill="#ffffff"/, "a white background");
  const parsed = await session.page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, "image/svg+xml");
    return {error: doc.querySelector("parsererror")?.textContent ?? null, root: doc.documentElement.nodeName,
      series: doc.querySelectorAll(".ssm-series").length, width: doc.documentElement.getAttribute("width")};
  }, text);
  assert.equal(parsed.error, null, "the SVG parses as XML");
  assert.equal(parsed.root, "svg");
  assert.equal(parsed.series, seriesOnPage, "as many series as on screen");
  assert.equal(Number(parsed.width), size.width);
});

test(`${PAGE}: CSV has a header and rows of the same width; JSON parses`, async () => {
  const csv = await exportAs("csv");
  assert.match(csv.name, /\.csv$/);
  const lines = csv.bytes.toString("utf8").trimEnd().split("\n");
  assert.ok(lines.length >= 2, "a header and at least one row");
  const fields = (l) => {
    // RFC 4180 fields of one line (no quoted newlines in figure data).
    let n = 1, quoted = false;
    for (const ch of l) { if (ch === '"') quoted = !quoted; else if (ch === "," && !quoted) n++; }
    return n;
  };
  const n = fields(lines[0]);
  assert.ok(n >= 1 && /[A-Za-z]/.test(lines[0]), "a header with names");
  for (const l of lines.slice(1, 50)) assert.equal(fields(l), n, `row "${l.slice(0, 60)}" has ${n} fields`);
  const json = await exportAs("json");
  assert.match(json.name, /\.json$/);
  const data = JSON.parse(json.bytes.toString("utf8"));
  assert.ok(Array.isArray(data) ? data.length > 0 : Object.keys(data).length > 0, "JSON has data");
});

test(`${PAGE}: talk style re-renders the chart and exports a talk PNG`, async () => {
  if (!(await fig.locator(".ssm-export-menu").isVisible())) await fig.locator(".ssm-export-toggle").click();
  await fig.locator('input[data-export="talk"]').check();
  await session.page.waitForFunction((el) => el.querySelector(".ssm-figure-chart svg")?.getAttribute("data-talk") === "true", await fig.elementHandle(), {timeout: 10_000});
  const {name, bytes} = await exportAs("png-1");
  assert.match(name, /-talk@1x\.png$/);
  const {width, height} = pngSize(bytes);
  assert.equal(width, size.width);
  assert.equal(height, size.height);
  await fig.locator('input[data-export="talk"]').uncheck();
  assert.equal(await fig.locator(".ssm-figure-chart svg").first().getAttribute("data-talk"), "false");
});

test(`${PAGE}: no console errors, no request to another host, plotly only where used`, async () => {
  const {page, errors, foreign} = session;
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
  const usesPlotly = (await page.locator(".ssm-figure-plotly").count()) > 0;
  if (!usesPlotly) {
    const fetched = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
    assert.deepEqual(fetched.filter((u) => /plotly/.test(u)), [], "plotly is not fetched by a page without plotly figures");
  }
});
