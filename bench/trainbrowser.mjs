// Training speed in the reader's browser: /selective's Train button at the page's defaults
// (selective copying, l = 64), one model at a time and both side by side, on each backend, in
// headless Chromium against dist/. For each: press Train, let it run `--seconds`, read the
// progress line's steps/s (the page's own measure: steps over wall time since Train), press
// Pause. Beside it, the same step in Node on wasm (bench/train.ts) is the plain baseline.
//   node bench/trainbrowser.mjs [--seconds 40] [--backends wasm,webgl,webgpu,cpu] [--models mamba,s4d,both]
// On this machine webgl and webgpu are SwiftShader, software GPUs on the CPU: their numbers
// say what a reader without a GPU gets if the site picked them, not what a GPU does.
import {openPage, serve, launch} from "../tools/browser/harness.mjs";

const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const SECONDS = Number(arg("seconds", 40));
const BACKENDS = arg("backends", "wasm,webgl,webgpu,cpu").split(",");
const MODELS = arg("models", "mamba,s4d,both").split(",");

const server = await serve(process.env.SSM_OUT ?? "dist");
const browser = await launch();
const rows = [];
for (const backend of BACKENDS) {
  for (const model of MODELS) {
    const {page, context, errors} = await openPage(browser, server.origin, `/selective?backend=${backend}&tmodel=${model}&blockl=16`);
    let used = backend;
    try {
      await page.waitForSelector(".selective-train:not([disabled])", {timeout: 180_000});
      used = await page.$eval(".ssm-backend-badge", (b) => b.dataset.backend);
      const t0 = Date.now();
      await page.click(".selective-train");
      // the first step compiles every GPU program the step uses: minutes on a software GPU
      await page.waitForFunction(() => /steps\/s|s per step/.test(document.querySelector(".selective-train-status")?.textContent ?? ""), null, {timeout: 300_000});
      const firstSeconds = (Date.now() - t0) / 1000;
      await page.waitForTimeout(SECONDS * 1000);
      const text = (await page.locator(".selective-train-status").textContent()).trim();
      await page.click(".selective-pause");
      await page.waitForFunction(() => /Paused/.test(document.querySelector(".selective-train-status")?.textContent ?? ""), null, {timeout: 300_000});
      // the pace as the page prints it: "N steps/s", or "S s per step" below one step a second
      const m = /step (\d+) of (\d+) · ([\d.]+) (steps\/s|s per step)/i.exec(text);
      const sps = m ? (m[4] === "steps/s" ? Number(m[3]) : 1 / Number(m[3])) : null;
      const row = {backend: used, model, step: m ? Number(m[1]) : null, steps: m ? Number(m[2]) : null, stepsPerSecond: sps, firstSeconds, text, errors: errors.slice(0, 3)};
      rows.push(row);
      console.log(`${used.padEnd(7)} ${model.padEnd(6)} ${row.stepsPerSecond == null ? "?" : row.stepsPerSecond.toPrecision(2)} steps/s (step ${row.step} of ${row.steps} after ${SECONDS} s, the first pace after ${firstSeconds.toFixed(0)} s; ` +
        `${row.stepsPerSecond ? `the default ${row.steps} steps ≈ ${(row.steps / row.stepsPerSecond / 60).toFixed(1)} min` : text})  errors ${errors.length}`);
    } catch (e) {
      const text = await page.locator(".selective-train-status").textContent().catch(() => "?");
      rows.push({backend: used, model, failed: String(e.message ?? e).split("\n")[0], text, errors: errors.slice(0, 3)});
      console.log(`${used.padEnd(7)} ${model.padEnd(6)} failed: ${String(e.message ?? e).split("\n")[0]} (status: ${text})  errors ${errors.length}`);
    } finally {
      await context.close();
    }
  }
}
await browser.close();
await server.close();
process.stdout.write(JSON.stringify(rows) + "\n");
