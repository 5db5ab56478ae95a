// Shared harness for browser tests: serves dist/ on 127.0.0.1 and drives Debian's Chromium
// with playwright-core. Every page opened through `openPage` records console errors, page
// errors and any request to a host other than 127.0.0.1, so tests can assert there were none.
import {createServer} from "node:http";
import {readFile, stat} from "node:fs/promises";
import {extname, join, normalize} from "node:path";
import {after, before} from "node:test";
import {chromium} from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

// Flags with which webgl, webgpu (SwiftShader/Vulkan), wasm and cpu all run headless
// (docs/toolchain.md). The background-networking flags keep Chromium from calling out.
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
  "--use-angle=swiftshader", "--enable-unsafe-webgpu", "--enable-features=Vulkan",
  "--use-vulkan=swiftshader"
];

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".json": "application/json", ".csv": "text/csv", ".svg": "image/svg+xml",
  ".png": "image/png", ".wasm": "application/wasm", ".woff2": "font/woff2", ".txt": "text/plain"
};

/** Serves `root` (default dist/) on 127.0.0.1 with Framework's clean URLs (/a → /a.html). */
export async function serve(root = "dist") {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
    const candidates = path.endsWith("/") ? [join(path, "index.html")] : [path, `${path}.html`];
    for (const c of candidates) {
      const file = join(root, c);
      try {
        if ((await stat(file)).isFile()) {
          res.writeHead(200, {"content-type": TYPES[extname(file)] ?? "application/octet-stream"});
          res.end(await readFile(file));
          return;
        }
      } catch {}
    }
    res.writeHead(404, {"content-type": "text/plain"});
    res.end("not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const {port} = server.address();
  return {origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r))};
}

export async function launch() {
  return chromium.launch({executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS});
}

/**
 * Opens `path` in a fresh context. Returns the page plus arrays that fill as it runs:
 * errors (console errors and uncaught exceptions) and foreign (requests to other hosts,
 * which are also aborted, so a test fails instead of hanging on the closed network).
 */
export async function openPage(browser, origin, path, {viewport = {width: 1280, height: 900}, acceptDownloads = true, init, colorScheme} = {}) {
  const context = await browser.newContext({viewport, acceptDownloads, ...(colorScheme ? {colorScheme} : {})});
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  const errors = [];
  const foreign = [];
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
  page.on("pageerror", (err) => errors.push(String(err)));
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === "data:" || u.protocol === "blob:" || u.hostname === "127.0.0.1") return route.continue();
    foreign.push(route.request().url());
    return route.abort();
  });
  await page.goto(origin + path, {waitUntil: "load"});
  return {page, context, errors, foreign};
}

/**
 * For a node:test file: serves the built site (SSM_OUT, default dist/) and launches Chromium
 * once for the file (before/after hooks). Use `site.browser` and `site.origin` in tests.
 * Node runs a file's top-level before() hooks concurrently, so a hook of the file's own that
 * needs the browser awaits `site.ready()` first (tests themselves run after every hook).
 */
export function useSite(root = process.env.SSM_OUT ?? "dist") {
  let starting = null;
  const site = {server: null, browser: null, origin: "", ready: () => (starting ??= (async () => {
    site.server = await serve(root);
    site.origin = site.server.origin;
    site.browser = await launch();
    return site;
  })())};
  before(() => site.ready());
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}

/**
 * For a node:test file that tests components on a blank page: useSite() plus an esbuild
 * bundle of `entry` (ES module source with exports, paths from the repository root) loaded
 * as window.ssm. `site.blank(search)` opens a fresh blank page with it (origin of the site,
 * so URL state works), returning what openPage returns.
 */
export function useComponents(entry, root) {
  const site = useSite(root);
  let bundle = "";
  let bundling = null;
  const ready = site.ready;
  site.ready = () => Promise.all([ready(), bundling]).then(() => site);
  bundling = (async () => {
    const {build} = await import("esbuild");
    const out = await build({
      stdin: {contents: entry, resolveDir: process.cwd(), loader: "ts"},
      bundle: true, format: "iife", globalName: "ssm", platform: "browser", write: false, logLevel: "error"
    });
    bundle = out.outputFiles[0].text;
  })();
  site.blank = async (search = "", options = {}) => {
    await site.ready();
    const opened = await openPage(site.browser, site.origin, "/__blank", options); // a 404, replaced below
    await opened.page.route(`${site.origin}/__components*`, (route) =>
      route.fulfill({contentType: "text/html", body: "<!doctype html><meta charset=utf-8><title>components</title><body></body>"}));
    await opened.page.goto(`${site.origin}/__components${search}`);
    opened.errors.length = 0; // the 404 of /__blank
    await opened.page.addScriptTag({content: bundle});
    return opened;
  };
  return site;
}
