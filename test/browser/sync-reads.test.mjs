// No page reads a GPU tensor back synchronously (dataSync/arraySync): on webgpu that is a stall
// that tfjs warns about ("The performance of synchronously reading data from GPU to CPU is
// poor"), and it throws under Node + Dawn; on webgl it stalls without a word. Each page is
// loaded on webgl and on webgpu (forced: here both are SwiftShader), with the backend's
// readSync wrapped from the moment the site's backend module publishes the engine
// (globalThis.ssmDebug), and one slider is moved; no synchronous read may happen.
import {test} from "node:test";
import assert from "node:assert/strict";
import {openPage, useSite} from "../../tools/browser/harness.mjs";
import {watchSyncReads} from "../../tools/browser/syncReads.mjs";
import {walk} from "../../src/walk.js";
import {existsSync} from "node:fs";

const site = useSite();
const PAGES = ["/", ...walk.map((s) => s.path).filter((p) => existsSync(`src${p}.md`))];

for (const backend of ["webgpu", "webgl"]) {
  test(`no page reads a tensor back synchronously on ${backend}`, {timeout: 300_000}, async (t) => {
    for (const path of PAGES) {
      const {page, context} = await openPage(site.browser, site.origin, `${path}?backend=${backend}`, {init: watchSyncReads});
      try {
        await page.waitForSelector(".ssm-backend-badge", {timeout: 60_000});
        const used = await page.$eval(".ssm-backend-badge", (b) => b.dataset.backend);
        if (used !== backend) { t.diagnostic(`${path}: ${backend} not available here (${used} used)`); continue; }
        await page.waitForTimeout(2500);
        const slider = page.locator(".ssm-control input[type=range]").first();
        if (await slider.count()) {
          await slider.evaluate((el) => { el.value = String((Number(el.min) + Number(el.max)) / 2); el.dispatchEvent(new Event("input", {bubbles: true})); });
          await page.waitForTimeout(2000);
        }
        const {reads, warnings} = await page.evaluate(() => ({reads: window.__syncReads, warnings: window.__warnings}));
        assert.deepEqual(reads, [], `${path} on ${backend}: synchronous reads`);
        assert.deepEqual(warnings.filter((w) => /synchronously reading data/.test(w)), [], `${path} on ${backend}: tfjs's warning`);
      } finally {
        await context.close();
      }
    }
  });
}
