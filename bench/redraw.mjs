// Redraw budget: from a slider's input event to the last DOM change of every figure, readout,
// equation and notice, in headless Chromium against the built site (dist/, or SSM_OUT), on one
// backend (cpu by default). Each move is measured on its own: the value is set, `input` fired,
// and every mutation attributed to the figure (by data-filename), readout, equation block or
// notice it lands in; the move ends after 30 quiet frames. Work a page defers until a drag
// pauses (listed in PAGES, or marked data-deferred in the page) is listed apart. Per control it
// also prints the renderer main thread's CPU time per move (Chrome's Performance.getMetrics
// ThreadTime, deferred work included), which a busy machine inflates far less than wall time,
// and the CPU per move of a drag (moves 50 ms apart, so deferred work runs once at the end).
// Numbers, never assertions.
//   npm run build && node bench/redraw.mjs [--page=hippo | --pages=discretization,views]
//                                          [--moves=20] [--backend=cpu] [--json=out.json]
// A page is listed in PAGES with its path and the moves to make (values in the order a drag
// would visit them, in slider units: log10 for log sliders). The viewport is tall so that every
// figure is visible (and redraws).
import {writeFileSync} from "node:fs";
import {cpus, loadavg} from "node:os";
import {launch, serve} from "../tools/browser/harness.mjs";
import {percentiles} from "../tools/browser/slider.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const MOVES = Number(args.moves ?? 20);
const BACKEND = args.backend ?? "cpu";
const FRAME = 1000 / 60;
const range = (n, f) => Array.from({length: n}, (_, i) => f(i));
/** Values alternating between two interleaved ramps: consecutive moves far apart, all distinct. */
const zigzag = (n, lo, hi, digits) => range(n, (i) => +(lo + ((hi - lo) * (i % 2 ? n - 1 - i : i)) / Math.max(1, n - 1)).toFixed(digits));

/**
 * Per page: where it is, what to wait for (a selector), the drags (control → key and values) and
 * the targets that a page deliberately redraws only once a drag pauses (for every control, or
 * per control in the control's own `deferred`).
 */
export const PAGES = {
  hippo: {
    path: "/hippo",
    ready: '.ssm-figure[data-filename="hippo-error-vs-N"] svg .ssm-series',
    // work the page deliberately runs once a drag pauses (not part of a move's redraw)
    deferred: ["hippo-error-vs-N", "readout check"],
    moves: (n) => ({
      "cursor t/T": {key: "tc", values: range(n, (i) => +(0.8 - 0.02 * (i + 1)).toFixed(3))},
      "N": {key: "N", values: range(n, (i) => 17 + i)},
      // the log slider's thumb is in log10 units: a drag up from Δ = 0.01 in steps of ~5 %
      "Δ": {key: "delta", values: range(n, (i) => -2 + 0.02 * (i + 1))}
    })
  },
  discretization: {
    path: "/discretization",
    ready: '.ssm-figure[data-filename="discretization-error"] svg .ssm-series',
    moves: (n) => ({
      "Δ": {key: "delta", values: zigzag(n, -2, -0.05, 3)}, // log10 Δ from 0.01 to 0.89
      // a new A's error sweep runs once the slider rests (the old curves stay until then)
      "σ": {key: "sigma", values: zigzag(n, -2, -0.1, 2), deferred: ["discretization-error"]},
      "ω": {key: "omega", values: zigzag(n, 1, 6, 2), deferred: ["discretization-error"]}
    })
  },
  continuous: {
    path: "/continuous",
    ready: '.ssm-figure[data-filename="continuous-io"] svg .ssm-series',
    // the hold-error readout solves again with h/2 once the figures have painted (afterPaint)
    deferred: ["readout"],
    moves: (n) => ({
      "σ": {key: "sigma", values: zigzag(n, -2, -0.1, 2)},
      "ω": {key: "omega", values: zigzag(n, 1, 6, 2)},
      "T": {key: "T", values: zigzag(n, 5, 40, 0)},
      "D": {key: "d", values: zigzag(n, -1, 1, 2)}
    })
  },
  views: {
    path: "/views",
    ready: '.ssm-figure[data-filename="views-kernels"] svg .ssm-series',
    // the two cost figures measure once when they first scroll into view: wait for both to finish
    settle: ".views-dplr-cost[data-points]",
    settleAlso: ".views-cost[data-points]",
    moves: (n) => ({
      "Δ": {key: "delta", values: zigzag(n, -3, -1, 3)}, // log10 Δ from 0.001 to 0.1
      "N": {key: "N", values: range(n, (i) => 8 + 2 * (i % 8))},
      "spread": {key: "spread", values: zigzag(n, 0.5, 2.5, 1)}
    })
  }
};

/** Runs in the page: one move, timed per target (ms after the input event of its last change). */
async function measureMove({key, value}) {
  const input = document.querySelector(`.ssm-control[data-key="${key}"] input[type=range]`);
  if (!input) throw new Error(`no range control ${key}`);
  // What a changed node belongs to: deferred work (data-deferred), a figure, a readout, equations, a notice.
  const KINDS = [["[data-deferred]", (e) => `deferred: ${e.dataset.deferred}`],
    [".ssm-figure", (e) => e.dataset.filename],
    [".ssm-readout", (e) => `readout${e.dataset.readout ? ` ${e.dataset.readout}` : ""}`],
    [".ssm-tex-block, .katex, .ssm-matrix-table", () => "equations"], [".ssm-notice", () => "notices"]];
  const targetOf = (n, inside) => {
    if (!n || n.nodeType !== 1 && !(n = n.parentElement)) return null;
    if (n.closest(".ssm-control")) return null; // the slider's own value text
    for (const [sel, name] of KINDS) {
      const hit = n.closest(sel) ?? (inside ? n.querySelector?.(sel) : null);
      if (hit) return name(hit);
    }
    return inside ? null : "other";
  };
  const last = {};
  const t0 = performance.now();
  const mo = new MutationObserver((records) => {
    const now = performance.now() - t0;
    for (const r of records) {
      const moved = [...r.addedNodes, ...r.removedNodes].map((n) => targetOf(n, true)).filter(Boolean);
      for (const name of new Set(moved.length ? moved : [targetOf(r.target, false)])) if (name) last[name] = now;
    }
  });
  mo.observe(document.querySelector("main") ?? document.body, {childList: true, subtree: true, attributes: true, characterData: true});
  let quiet = 0, seen = "";
  input.value = String(value);
  input.dispatchEvent(new Event("input", {bubbles: true}));
  while (performance.now() - t0 < 30000) {
    await new Promise((r) => requestAnimationFrame(r));
    const now = JSON.stringify(last);
    quiet = now === seen ? quiet + 1 : 0;
    seen = now;
    if (quiet >= 30) break;
  }
  mo.disconnect();
  return last;
}

/** Runs in the page: a drag, input events `gap` ms apart through `values`, then 30 quiet frames. */
async function drag({key, values, gap}) {
  const input = document.querySelector(`.ssm-control[data-key="${key}"] input[type=range]`);
  let changed = 0;
  const mo = new MutationObserver(() => { changed++; });
  mo.observe(document.querySelector("main") ?? document.body, {childList: true, subtree: true, attributes: true, characterData: true});
  for (const v of values) {
    input.value = String(v);
    input.dispatchEvent(new Event("input", {bubbles: true}));
    await new Promise((r) => setTimeout(r, gap));
  }
  let quiet = 0, seen = -1;
  const t0 = performance.now();
  while (performance.now() - t0 < 30000 && quiet < 30) {
    await new Promise((r) => requestAnimationFrame(r));
    quiet = changed === seen ? quiet + 1 : 0;
    seen = changed;
  }
  mo.disconnect();
}

const fmt = (v) => (v == null || !Number.isFinite(v) ? "—" : v >= 100 ? v.toFixed(0) : v.toFixed(1));

const pages = args.page ? [args.page] : args.pages ? args.pages.split(",") : Object.keys(PAGES);
for (const name of pages) if (!PAGES[name]) throw new Error(`redraw: unknown page ${name} (one of ${Object.keys(PAGES).join(", ")})`);
const server = await serve(process.env.SSM_OUT ?? "dist");
const browser = await launch();
const report = {date: new Date().toISOString(), backend: BACKEND, moves: MOVES, chromium: browser.version(), pages: {}};
try {
  for (const name of pages) {
    const spec = PAGES[name];
    const context = await browser.newContext({viewport: {width: 1280, height: 8000}});
    const page = await context.newPage();
    const errors = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${server.origin}${spec.path}?backend=${BACKEND}`);
    await page.waitForSelector(spec.ready, {timeout: 120_000});
    for (const sel of [spec.settle, spec.settleAlso].filter(Boolean)) {
      await page.waitForSelector(sel, {state: "attached", timeout: 240_000}).catch(() => console.error(`  ${name}: ${sel} did not appear; measuring anyway`));
    }
    await page.waitForTimeout(2000); // idle-time warm-up and deferred work settle
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const cpu = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ThreadTime").value * 1000;
    const rows = [];
    for (const [control, {key, values, deferred = []}] of Object.entries(spec.moves(MOVES))) {
      const later = new Set([...(spec.deferred ?? []), ...deferred]);
      const isDeferred = (t) => later.has(t) || t.startsWith("deferred: ");
      const perTarget = {}, cpuMs = [];
      for (const value of values) {
        const c0 = await cpu();
        const last = await page.evaluate(measureMove, {key, value});
        cpuMs.push((await cpu()) - c0);
        const now = Object.entries(last).filter(([t]) => !isDeferred(t)).map(([, ms]) => ms);
        for (const [t, ms] of Object.entries({...last, "(all but deferred)": Math.max(0, ...now)})) {
          (perTarget[isDeferred(t) && !t.startsWith("deferred: ") ? `${t} (deferred)` : t] ??= []).push(ms);
        }
      }
      const add = (target, xs, extra = {}) => {
        const {p50, p95} = percentiles(xs);
        rows.push({control, target, n: xs.length, p50, p95, max: Math.max(...xs), oneFrame: xs.filter((ms) => ms <= FRAME).length, ...extra});
      };
      for (const [target, xs] of Object.entries(perTarget).sort()) add(target, xs);
      add("main-thread CPU per move", cpuMs);
      const c0 = await cpu();
      await page.evaluate(drag, {key, values, gap: 50});
      const dragCpu = ((await cpu()) - c0) / values.length;
      rows.push({control, target: "drag, 50 ms apart: CPU per move", n: values.length, p50: dragCpu, p95: null, max: null, oneFrame: null});
      console.error(`  ${name} ${control}: ${values.length} moves`);
    }
    report.pages[name] = {rows, errors};
    console.log(`\n/${name} on ${BACKEND}: input event → last DOM change (ms), ${MOVES} moves per control; one frame = ${FRAME.toFixed(1)} ms`);
    console.log(["control", "target", "moves", "p50", "p95", "max", "≤1 frame"].map((h, i) => (i < 2 ? h.padEnd(i ? 34 : 12) : h.padStart(i === 6 ? 9 : 6))).join(" "));
    for (const r of rows) {
      console.log([r.control.padEnd(12), r.target.padEnd(34), String(r.n).padStart(6), fmt(r.p50).padStart(6), fmt(r.p95).padStart(6), fmt(r.max).padStart(6),
        (r.oneFrame == null ? "—" : `${r.oneFrame}/${r.n}`).padStart(9)].join(" "));
    }
    if (errors.length) console.log(`console errors: ${errors.length} (first: ${errors[0].slice(0, 160)})`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`\nLoad average at the end: ${loadavg().map((x) => x.toFixed(1)).join(", ")} on ${cpus().length} cores (wall times grow with it; the CPU rows much less).`);
if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
