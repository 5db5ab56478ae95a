// Redraw budget: slider input → last DOM change of every figure, readout, equation and notice
// of a page, on the cpu backend in headless Chromium, against the built site (dist/, or
// SSM_OUT). For each slider it makes MOVES distinct moves (default 20), waits until the page
// has been quiet for QUIET ms after each, and prints p50/p95 per slider and per part of the
// page, plus how many moves finished within one frame (last change ≤ 16.7 ms after the input
// event: painted in the next frame), and the renderer main thread's CPU time per move (Chrome's
// Performance.getMetrics ThreadTime; deferred work included), which a busy machine inflates far
// less than wall time. Numbers, never assertions.
//   npm run build && node bench/redraw.mjs [--pages=discretization] [--moves=20] [--json=out.json]
// Add a page by adding an entry to PAGES: its path and, per slider key, a function from the
// move index to the value written into the <input type=range> (log10 for log sliders).
import {writeFileSync} from "node:fs";
import {cpus, loadavg} from "node:os";
import {launch, openPage, serve} from "../tools/browser/harness.mjs";
import {percentiles} from "../tools/browser/slider.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const MOVES = Number(args.moves ?? 20);
const QUIET = Number(args.quiet ?? 700);
const FRAME = 1000 / 60;

// Values alternate between two interleaved ramps so consecutive moves are far apart and all distinct.
const zigzag = (lo, hi, digits) => (i, n) => {
  const f = (i % 2 ? n - 1 - i : i) / Math.max(1, n - 1);
  return +(lo + (hi - lo) * f).toFixed(digits);
};

export const PAGES = {
  discretization: {
    path: "/discretization?backend=cpu",
    ready: () => document.querySelectorAll(".ssm-figure .ssm-figure-chart svg").length >= 6,
    sliders: {
      delta: zigzag(-2, -0.05, 3), // log10 Δ from 0.01 to 0.89
      sigma: zigzag(-2, -0.1, 2),
      omega: zigzag(1, 6, 2)
    }
  }
};

/** In the page: a drag, `n` input events `gap` ms apart through `values`; resolves when the page has been quiet for `quiet` ms. */
function drag([key, values, gap, quiet]) {
  return new Promise((resolve) => {
    const input = document.querySelector(`.ssm-control[data-key="${key}"] input[type=range]`);
    let timer, i = 0;
    const obs = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
    const done = () => { obs.disconnect(); resolve(); };
    obs.observe(document.querySelector("main") ?? document.body, {childList: true, subtree: true, characterData: true, attributes: true});
    const step = () => {
      input.value = String(values[i++]);
      input.dispatchEvent(new Event("input", {bubbles: true}));
      if (i < values.length) setTimeout(step, gap); else timer = setTimeout(done, quiet);
    };
    step();
  });
}

/** In the page: sets a slider, dispatches input, and resolves with when each part last changed (ms after the input). */
function move([key, value, quiet]) {
  return new Promise((resolve) => {
    const input = document.querySelector(`.ssm-control[data-key="${key}"] input[type=range]`);
    if (!input) throw new Error(`no slider ${key}`);
    const root = document.querySelector("main") ?? document.body;
    const last = {};
    let timer;
    // What a changed node belongs to: a figure (by its export name), a readout, equations, a notice.
    // Parts a page defers on purpose (data-deferred, e.g. a check after the slider rests) are named so.
    const KINDS = [["[data-deferred]", (e) => `deferred: ${e.getAttribute("data-deferred")}`],
      [".ssm-figure", (e) => `figure ${e.getAttribute("data-filename")}`], [".ssm-readout", () => "readout"],
      [".ssm-tex-block, .katex, .ssm-matrix-table", () => "equations"], [".ssm-notice", () => "notices"]];
    const partOf = (node, inside) => {
      const e = node.nodeType === 1 ? node : node.parentElement;
      if (!e || e.closest(".ssm-control")) return null; // the slider's own value text
      for (const [sel, name] of KINDS) {
        const hit = e.closest(sel) ?? (inside ? e.querySelector(sel) : null);
        if (hit) return name(hit);
      }
      return inside ? null : "other";
    };
    const t0 = performance.now();
    const obs = new MutationObserver((records) => {
      const now = performance.now() - t0;
      for (const r of records) {
        const moved = [...r.addedNodes, ...r.removedNodes].map((n) => partOf(n, true)).filter(Boolean);
        const parts = new Set(moved.length ? moved : [partOf(r.target, false)]);
        for (const p of parts) if (p) last[p] = now;
      }
      clearTimeout(timer);
      timer = setTimeout(done, quiet);
    });
    const done = () => { obs.disconnect(); resolve({last}); };
    obs.observe(root, {childList: true, subtree: true, characterData: true, attributes: true});
    timer = setTimeout(done, Math.max(quiet, 3000));
    input.value = String(value);
    input.dispatchEvent(new Event("input", {bubbles: true}));
  });
}

const pct = (xs, p) => {
  const {p50, p95} = percentiles(xs);
  const v = p === 0.5 ? p50 : p95;
  return Number.isFinite(v) ? v : null;
};
const fmt = (ms) => (ms == null ? "—" : ms.toFixed(0));

const only = args.pages?.split(",");
const server = await serve(process.env.SSM_OUT ?? "dist");
const browser = await launch();
const results = [];
try {
  for (const [name, cfg] of Object.entries(PAGES).filter(([n]) => !only || only.includes(n))) {
    const {page, context, errors} = await openPage(browser, server.origin, cfg.path);
    await page.waitForFunction(cfg.ready, null, {timeout: 120_000});
    await page.waitForTimeout(2000);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const cpu = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ThreadTime").value * 1000;
    for (const [key, valueOf] of Object.entries(cfg.sliders)) {
      const runs = [];
      for (let i = 0; i < MOVES; i++) {
        const c0 = await cpu();
        const r = await page.evaluate(move, [key, valueOf(i, MOVES), QUIET]);
        runs.push({...r, cpu: (await cpu()) - c0});
      }
      const parts = [...new Set(runs.flatMap((r) => Object.keys(r.last)))].sort();
      const all = runs.map((r) => Math.max(0, ...Object.values(r.last)));
      const now = runs.map((r) => Math.max(0, ...Object.entries(r.last).filter(([p]) => !p.startsWith("deferred")).map(([, ms]) => ms)));
      const cpuMs = runs.map((r) => r.cpu);
      results.push({page: name, slider: key, part: "main-thread CPU per move", p50: pct(cpuMs, 0.5), p95: pct(cpuMs, 0.95), n: runs.length, oneFrame: cpuMs.filter((ms) => ms <= FRAME).length});
      results.push({page: name, slider: key, part: "everything", p50: pct(all, 0.5), p95: pct(all, 0.95), n: runs.length, oneFrame: all.filter((ms) => ms <= FRAME).length});
      results.push({page: name, slider: key, part: "everything not deferred", p50: pct(now, 0.5), p95: pct(now, 0.95), n: runs.length, oneFrame: now.filter((ms) => ms <= FRAME).length});
      for (const p of parts) {
        const xs = runs.map((r) => r.last[p]).filter((x) => x != null);
        results.push({page: name, slider: key, part: p, p50: pct(xs, 0.5), p95: pct(xs, 0.95), n: xs.length,
          oneFrame: xs.filter((ms) => ms <= FRAME).length});
      }
      // A drag: moves 50 ms apart, so work deferred to a resting slider runs once at the end.
      const c0 = await cpu();
      await page.evaluate(drag, [key, Array.from({length: MOVES}, (_, i) => valueOf(i, MOVES)), 50, QUIET]);
      const dragCpu = ((await cpu()) - c0) / MOVES;
      results.push({page: name, slider: key, part: "drag (moves 50 ms apart): CPU per move", p50: dragCpu, p95: null, n: MOVES, oneFrame: null});
      console.error(`  ${name} ${key}: p50 ${fmt(pct(all, 0.5))} ms, p95 ${fmt(pct(all, 0.95))} ms, CPU p50 ${fmt(pct(cpuMs, 0.5))} ms`);
    }
    if (errors.length) console.error(`  ${name}: ${errors.length} console errors, first: ${errors[0].slice(0, 200)}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const header = ["page", "slider", "part", "moves", "p50 ms", "p95 ms", "1 frame"];
const rows = results.map((r) => [r.page, r.slider, r.part, String(r.n), fmt(r.p50), fmt(r.p95), r.oneFrame == null ? "—" : `${r.oneFrame}/${r.n}`]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((x, i) => (i < 3 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join("  ");
console.log(`Slider input → last DOM change (cpu backend, headless Chromium, ${MOVES} moves per slider, quiet ${QUIET} ms).` +
  `\n"1 frame": moves whose last change came within ${FRAME.toFixed(1)} ms of the input event (for the CPU row: moves that cost ≤ ${FRAME.toFixed(1)} ms of main-thread CPU).` +
  `\nLoad average when it ended: ${loadavg().map((x) => x.toFixed(1)).join(", ")} on ${cpus().length} cores.`);
console.log([line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n"));
if (args.json) writeFileSync(args.json, JSON.stringify({date: new Date().toISOString(), moves: MOVES, quiet: QUIET, results}, null, 1));
