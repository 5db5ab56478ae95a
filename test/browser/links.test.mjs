// A shared link can never break or bend a page. Every page is opened with a link that carries
// everything at once that used to blank pages or change their numbers: a stray "%", tfjs's own
// URL flags, a repeated key, a 5000-digit value, markup. Each must load with its figures, show a
// notice naming what was ignored, and log no error; tfjs's flags stay the site's own.
import {test} from "node:test";
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import {openPage, useSite} from "../../tools/browser/harness.mjs";
import {walk} from "../../src/walk.js";

const site = useSite();
const PAGES = ["/", ...walk.map((s) => s.path).filter((p) => existsSync(`src${p}.md`))];
const HOSTILE = `?x=100%&tfjsflags=DEBUG:true&sigma=%zz&delta=0.05&delta=7&N=${"9".repeat(5000)}&note=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E`;

test("every page survives a hostile link: figures drawn, a notice, no error, no flag set", {timeout: 300_000}, async () => {
  for (const path of PAGES) {
    const {page, context, errors, foreign} = await openPage(site.browser, site.origin, `${path}${HOSTILE}&backend=cpu`);
    try {
      await page.waitForSelector(".ssm-backend-badge", {timeout: 60_000});
      if (path !== "/") await page.waitForSelector(".ssm-figure svg, .ssm-figure .ssm-figure-chart", {timeout: 60_000});
      await page.waitForTimeout(1500);
      const r = await page.evaluate(() => ({
        notice: [...document.querySelectorAll(".ssm-notice")].map((n) => n.textContent).join(" "),
        cellErrors: [...document.querySelectorAll(".observablehq--error")].map((e) => e.textContent),
        debug: window.ssmDebug.tf.env().getBool("DEBUG"),
        search: location.search,
        widest: document.documentElement.scrollWidth,
        pwned: window.__pwned ?? null
      }));
      assert.deepEqual(r.cellErrors, [], `${path}: no cell error`);
      assert.deepEqual(errors, [], `${path}: no console error`);
      assert.deepEqual(foreign, [], `${path}: no foreign request`);
      assert.equal(r.debug, false, `${path}: tfjs's DEBUG flag was not set from the link`);
      assert.equal(r.pwned, null, `${path}: markup in the link is not run`);
      assert.doesNotMatch(r.search, /tfjsflags|%zz|100%/, `${path}: the address no longer carries the dropped parts`);
      if (path !== "/") {
        assert.match(r.notice, /Part of the link was ignored/, `${path}: the notice says what was ignored`);
        assert.match(r.notice, /TensorFlow\.js flags cannot be set from a link/);
      }
      assert.ok(r.widest <= 1400, `${path}: no long value stretches the page (${r.widest} px wide)`);
    } finally {
      await context.close();
    }
  }
});

test("?tfjsflags=WEBGL_FORCE_F16_TEXTURES:true cannot change the numbers /continuous prints", async () => {
  const read = async (search) => {
    const {page, context} = await openPage(site.browser, site.origin, `/continuous${search}`);
    try {
      await page.waitForSelector(".ssm-readout", {timeout: 60_000});
      return await page.evaluate(() => ({readout: document.querySelector(".ssm-readout-main").textContent,
        tex: [...document.querySelectorAll(".katex")].map((k) => k.textContent).join("|"),
        f16: window.ssmDebug.tf.env().getBool("WEBGL_FORCE_F16_TEXTURES")}));
    } finally {
      await context.close();
    }
  };
  const plain = await read("?backend=webgl");
  const crafted = await read("?backend=webgl&tfjsflags=WEBGL_FORCE_F16_TEXTURES:true");
  assert.equal(crafted.f16, false, "the flag is not set");
  assert.equal(crafted.readout, plain.readout);
  assert.equal(crafted.tex, plain.tex);
});
