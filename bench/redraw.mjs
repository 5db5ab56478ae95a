// Redraw budget: from a slider's input event to the last DOM change of every figure and
// readout, in headless Chromium against the built site (dist/, or SSM_OUT), on one backend
// (cpu by default). Each move is measured on its own: the value is set, `input` fired, and
// every mutation attributed to the figure (by data-filename) or readout it lands in; the
// move ends after 30 quiet frames. Prints p50/p95 per control and target (work a page defers
// until a drag pauses is listed apart); numbers, never assertions.
//   node bench/redraw.mjs [--page=hippo] [--moves=20] [--backend=cpu] [--json=out.json]
// A page is listed in PAGES with its path and the moves to make (values in the order a drag
// would visit them). The viewport is tall so that every figure is visible (and redraws).
import {writeFileSync} from "node:fs";
import {launch, serve} from "../tools/browser/harness.mjs";
import {percentiles} from "../tools/browser/slider.mjs";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")));
const MOVES = Number(args.moves ?? 20);
const BACKEND = args.backend ?? "cpu";
const range = (n, f) => Array.from({length: n}, (_, i) => f(i));

/** Per page: where it is, what to wait for, and the drags (key → values, slider units). */
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
  }
};

/** Runs in the page: one move, timed per target. */
async function measureMove({key, value}) {
  const input = document.querySelector(`.ssm-control[data-key="${key}"] input[type=range]`);
  if (!input) throw new Error(`no range control ${key}`);
  const targetOf = (n) => {
    if (!n || n.nodeType !== 1 && !(n = n.parentElement)) return null;
    const f = n.closest(".ssm-figure") ?? n.querySelector?.(".ssm-figure");
    if (f) return f.dataset.filename;
    const r = n.closest(".ssm-readout") ?? n.querySelector?.(".ssm-readout");
    return r ? `readout${r.dataset.readout ? ` ${r.dataset.readout}` : ""}` : null;
  };
  const last = {};
  const t0 = performance.now();
  const mo = new MutationObserver((records) => {
    const now = performance.now() - t0;
    for (const r of records) {
      const names = new Set([targetOf(r.target), ...[...r.addedNodes, ...r.removedNodes].map(targetOf)]);
      for (const name of names) if (name) last[name] = now;
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

const fmt = (v) => (v == null || !Number.isFinite(v) ? "—" : v >= 100 ? v.toFixed(0) : v.toFixed(1));

const pages = args.page ? [args.page] : Object.keys(PAGES);
const server = await serve(process.env.SSM_OUT ?? "dist");
const browser = await launch();
const report = {backend: BACKEND, moves: MOVES, chromium: browser.version(), pages: {}};
try {
  for (const name of pages) {
    const spec = PAGES[name];
    const page = await (await browser.newContext({viewport: {width: 1280, height: 8000}})).newPage();
    const errors = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${server.origin}${spec.path}?backend=${BACKEND}`);
    await page.waitForSelector(spec.ready, {timeout: 120_000});
    await page.waitForTimeout(2000); // idle-time warm-up and deferred work settle
    const rows = [];
    for (const [control, {key, values}] of Object.entries(spec.moves(MOVES))) {
      const perTarget = {};
      for (const value of values) {
        const last = await page.evaluate(measureMove, {key, value});
        const now = Object.entries(last).filter(([t]) => !(spec.deferred ?? []).includes(t)).map(([, ms]) => ms);
        for (const [t, ms] of Object.entries({...last, "(all but deferred)": Math.max(0, ...now)})) {
          (perTarget[(spec.deferred ?? []).includes(t) ? `${t} (deferred)` : t] ??= []).push(ms);
        }
      }
      for (const [target, xs] of Object.entries(perTarget).sort()) {
        const {p50, p95} = percentiles(xs);
        rows.push({control, target, n: xs.length, p50, p95, max: Math.max(...xs)});
      }
      console.error(`  ${name} ${control}: ${values.length} moves`);
    }
    report.pages[name] = {rows, errors};
    console.log(`\n/${name} on ${BACKEND}: input event → last DOM change (ms), ${MOVES} moves per control; one frame = 16.7 ms`);
    console.log(["control", "target", "moves", "p50", "p95", "max"].map((h, i) => (i < 2 ? h.padEnd(i ? 34 : 12) : h.padStart(6))).join(" "));
    for (const r of rows) console.log([r.control.padEnd(12), r.target.padEnd(34), String(r.n).padStart(6), fmt(r.p50).padStart(6), fmt(r.p95).padStart(6), fmt(r.max).padStart(6)].join(" "));
    if (errors.length) console.log(`console errors: ${errors.length} (first: ${errors[0].slice(0, 160)})`);
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.close();
}
if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
