// Kernel checks in headless Chromium on every tfjs backend (webgl, webgpu, wasm, cpu),
// independent of the site build: test/browser/kernels-entry.ts is bundled with esbuild
// (tools/browser/bundle.mjs) into a temp dir and served from there.
//
// Each backend must first compute a known small answer (a software WebGPU adapter can
// return zeros while looking healthy). If it does not, its checks are reported as skipped
// with the reason, never passed. Accuracy is logged as max abs error / scale per kernel. Tolerances per backend, with scale = max(1, max|expected|):
//   cpu, wasm     atol 1e-5·scale, rtol 1e-4   (float32 on the CPU, like the Node tests)
//   webgl, webgpu atol 1e-4·scale, rtol 1e-3   (float32 GPU arithmetic; exp/division are
//                 not correctly rounded in shaders, and SwiftShader is a software GPU)
import {after, before, describe, test} from "node:test";
import assert from "node:assert/strict";
import {rm} from "node:fs/promises";
import {launch, serve} from "../../tools/browser/harness.mjs";
import {buildPage} from "../../tools/browser/bundle.mjs";

const BACKENDS = ["webgl", "webgpu", "wasm", "cpu"];
const TOLERANCE = {
  cpu: {atol: 1e-5, rtol: 1e-4},
  wasm: {atol: 1e-5, rtol: 1e-4},
  webgl: {atol: 1e-4, rtol: 1e-3},
  webgpu: {atol: 1e-4, rtol: 1e-3}
};

/** Documented gaps (docs/toolchain.md): [check name, error text, reason]. Reported as skips. */
const FUSED_ONLY_GPU = [/Fused /, /has no fused program on the (cpu|wasm) backend/, "the fused programs are webgl/webgpu programs"];
const KNOWN_UNSUPPORTED = {
  wasm: [[/^causalConvFFT /, /Kernel 'Complex' not registered for backend 'wasm'/, "tf.spectral.rfft has no wasm kernel (no Complex)"], FUSED_ONLY_GPU],
  cpu: [FUSED_ONLY_GPU],
  webgl: [[/^(ssdFused|linearAttentionHeads fused) /, /runs on webgpu, cpu, wasm/, "ssdFused has no webgl path (its loop would need a synchronous readback)"]]
};

/** KERNEL_CHECKS_REJECT=webgpu,… treats those backends as failing the self-check. */
const FORCE_REJECT = (process.env.KERNEL_CHECKS_REJECT ?? "").split(",").filter(Boolean);

let dir, server, browser, page;
const consoleErrors = [];
const foreign = [];
const accuracy = {}; // backend -> kernel -> max abs error (for the log)

before(async () => {
  dir = await buildPage("test/browser/kernels-entry.ts", {title: "kernel checks"});
  server = await serve(dir);
  browser = await launch();
  const context = await browser.newContext();
  page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === "127.0.0.1" || u.protocol === "data:" || u.protocol === "blob:") return route.continue();
    foreign.push(u.href);
    return route.abort();
  });
  await page.goto(`${server.origin}/index.html`, {waitUntil: "load"});
  await page.waitForFunction(() => window.kernelChecks != null, null, {timeout: 30_000});
}, {timeout: 120_000});

after(async () => {
  for (const [backend, kernels] of Object.entries(accuracy)) {
    console.log(`# accuracy on ${backend}: ` + Object.entries(kernels).map(([k, e]) => `${k} ${e.toExponential(2)}`).join(", "));
  }
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, {recursive: true, force: true});
});

/** Max abs/rel error and the worst entry beyond atol·scale + rtol·|expected|. */
function compare(actual, expected, {atol, rtol}) {
  assert.equal(actual.length, expected.length, `length ${actual.length} ≠ expected ${expected.length}`);
  const scale = Math.max(1, ...expected.map(Math.abs));
  let maxAbs = 0, worst = -1, worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    const e = Number.isNaN(err) ? Infinity : err;
    maxAbs = Math.max(maxAbs, e);
    const excess = e - (atol * scale + rtol * Math.abs(expected[i]));
    if (excess > worstExcess) { worstExcess = excess; worst = i; }
  }
  return {maxAbs, worst, scale};
}

describe("kernels in Chromium", () => {
  for (const backend of BACKENDS) {
    describe(backend, () => {
      let accepted = null; // {ok, reason}
      let names = [];
      before(async () => {
        accepted = FORCE_REJECT.includes(backend)
          ? {ok: false, reason: "forced by KERNEL_CHECKS_REJECT (to exercise the skip path)"}
          : await page.evaluate((b) => window.kernelChecks.init(b), backend);
        names = await page.evaluate(() => window.kernelChecks.list());
      }, {timeout: 120_000});

      test(`${backend} passes the self-check (known small answer)`, (t) => {
        // A failed self-check is a property of this machine's backend, not of the kernels:
        // reported as a skip with the reason (and every check below is skipped with it).
        if (!accepted.ok) return t.skip(`${backend} rejected: ${accepted.reason}`);
        t.diagnostic(accepted.reason);
      });

      test(`${backend}: every kernel check agrees with its reference`, {timeout: 600_000}, async (t) => {
        assert.ok(names.length >= 40, `expected ≥ 40 checks, got ${names.length}`);
        for (const name of names) {
          await t.test(name, async (st) => {
            if (!accepted.ok) return st.skip(`${backend} rejected: ${accepted.reason}`);
            const known = KNOWN_UNSUPPORTED[backend]?.find(([re]) => re.test(name));
            let r;
            try {
              r = await page.evaluate((n) => window.kernelChecks.run(n), name);
            } catch (e) {
              // Only a documented gap of the backend is a skip; any other error fails.
              if (known && known[1].test(String(e))) return st.skip(`${name} unsupported on ${backend}: ${known[2]}`);
              throw e;
            }
            const tol = TOLERANCE[backend];
            const {maxAbs, worst, scale} = compare(r.actual, r.expected, tol);
            const kernel = name.split(" ")[0];
            accuracy[backend] ??= {};
            accuracy[backend][kernel] = Math.max(accuracy[backend][kernel] ?? 0, maxAbs / scale);
            assert.ok(worst < 0, `${backend} ${name}: entry ${worst} is ${r.actual[worst]}, expected ${r.expected[worst]} ` +
              `(max abs error ${maxAbs.toExponential(3)}, scale ${scale.toFixed(3)}, atol ${tol.atol}·scale, rtol ${tol.rtol})`);
            assert.equal(r.numTensorsAfter, r.numTensorsBefore, `${name} leaked ${r.numTensorsAfter - r.numTensorsBefore} tensors`);
          });
        }
      });

      if (backend === "webgl" || backend === "webgpu") {
        test(`${backend}: capGpuPool bounds the pool a slider leaves behind, gives it back when idle, and results stay right`, async (t) => {
          if (!accepted.ok) return t.skip(`${backend} rejected: ${accepted.reason}`);
          const cap = 2 ** 20; // 1 MiB: every size below is 16–404 KiB
          const idleMs = 500;
          const r = await page.evaluate(([c, i]) => window.kernelChecks.pool(c, i), [cap, idleMs]);
          const mb = (x) => (x / 2 ** 20).toFixed(2);
          t.diagnostic(`uncapped: allocated ${mb(r.uncapped.start)} → ${mb(r.uncapped.end)} MiB; ` +
            `capped at 1 MiB: ${mb(r.capped.start)} → ${mb(r.capped.end)} MiB, max free ${mb(r.capped.maxFree)} MiB, ${r.stats?.trims} trims; ` +
            `free ${mb(r.freeBeforeIdle)} MiB → ${mb(r.idle.free)} MiB after ${idleMs} ms idle (${r.stats?.idleTrims} idle releases)`);
          assert.equal(r.refused, null, `the cap was not installed: ${r.refused}`);
          assert.equal(r.uncapped.wrong + r.capped.wrong, 0, "every y = 2x + 1 read back right");
          assert.ok(r.uncapped.end - r.uncapped.start > 8 * cap, `without the cap the pool keeps every size (grew ${mb(r.uncapped.end - r.uncapped.start)} MiB)`);
          assert.ok(r.capped.maxFree <= cap, `free bytes stayed ≤ the cap (max ${r.capped.maxFree})`);
          assert.ok(r.capped.end <= r.capped.start, `with the cap the drag left nothing behind (${mb(r.capped.start)} → ${mb(r.capped.end)} MiB)`);
          assert.ok(r.stats.trims > 0 && r.stats.bytesReleased > 0, "the cap acted");
          assert.ok(r.freeBeforeIdle > 0, "the last sizes were kept for reuse while the drag went on");
          assert.equal(r.idle.free, 0, "after the pause the free pool was given back");
          assert.ok(r.stats.idleTrims >= 1, "the idle release acted");
          assert.ok(r.idle.allocated <= r.allocatedBeforeIdle - r.freeBeforeIdle + 1, `allocated fell by the free bytes (${r.allocatedBeforeIdle} − ${r.freeBeforeIdle} → ${r.idle.allocated})`);
          assert.equal(r.numTensors, 0, "no tensor left");
        });
      }
    });
  }

  test("the page made no request to another host and logged no error", () => {
    assert.deepEqual(foreign, []);
    assert.deepEqual(consoleErrors, []);
  });
});
