// A lost GPU (driver reset, GPU process crash, a tab in the background) must not leave a page
// dead: the site records the loss for the tab, reloads, chooses the next verified backend,
// recomputes every figure, and the badge says what happened. Simulated here by destroying the
// WebGPU device and by losing the WebGL context.
import {test} from "node:test";
import assert from "node:assert/strict";
import {openPage, useSite} from "../../tools/browser/harness.mjs";

const site = useSite();

const LOSE = {
  webgpu: () => window.ssmDebug.tf.backend().device.destroy(),
  webgl: () => window.ssmDebug.tf.backend().gpgpu.gl.getExtension("WEBGL_lose_context").loseContext()
};

for (const backend of ["webgpu", "webgl"]) {
  test(`/continuous recovers from a lost ${backend} backend on the next one`, async (t) => {
    const {page, context, errors} = await openPage(site.browser, site.origin, `/continuous?backend=${backend}`);
    try {
      await page.waitForSelector(".ssm-figure svg", {timeout: 60_000});
      if ((await page.$eval(".ssm-backend-badge", (b) => b.dataset.backend)) !== backend) return t.skip(`${backend} is not available here`);
      const reloaded = page.waitForEvent("load", {timeout: 60_000});
      await page.evaluate(LOSE[backend]);
      await reloaded;
      const before = errors.length; // what the dying device logged (pending reads aborted) is not the page's fault
      await page.waitForSelector(".ssm-figure svg", {timeout: 60_000});
      await page.waitForTimeout(1000);
      const r = await page.evaluate(() => ({
        backend: document.querySelector(".ssm-backend-badge").dataset.backend,
        fallback: document.querySelector(".ssm-backend-badge").dataset.fallback,
        first: document.querySelector(".ssm-backend-attempt")?.textContent ?? "",
        figures: document.querySelectorAll(".ssm-figure svg").length,
        cellErrors: document.querySelectorAll(".observablehq--error").length,
        svg: [...document.querySelectorAll(".ssm-figure svg")].map((s) => s.outerHTML).join("")
      }));
      t.diagnostic(`after the loss: ${r.backend}; ${r.first}`);
      assert.notEqual(r.backend, backend, "another backend is used");
      assert.equal(r.fallback, "true", "the badge shows the fallback");
      assert.match(r.first, new RegExp(`${backend}: failed.*lost earlier in this tab`));
      assert.equal(r.figures, 4, "every figure is drawn again");
      assert.equal(r.cellErrors, 0);
      assert.doesNotMatch(r.svg, /NaN|Infinity/);
      assert.deepEqual(errors.slice(before), [], "no error after the reload");
    } finally {
      await context.close();
    }
  });
}
