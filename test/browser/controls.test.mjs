// Controls, notices and tex in headless Chromium, independent of any page: the components are
// bundled with esbuild (IIFE, window.ssm) and run on a blank HTML page served (via a route)
// at the built site's origin, so location/history behave as on the site. No site page is
// needed; pages' own tests should use the selectors documented in src/components/controls.ts.
import {after, before, describe, test} from "node:test";
import assert from "node:assert/strict";
import {useComponents} from "../../tools/browser/harness.mjs";

const site = useComponents(`
  export * as controls from "./src/components/controls.ts";
  export {Notice} from "./src/components/notice.ts";
  export {tex, matrixTex, num} from "./src/components/tex.ts";
`);
const blank = (search) => site.blank(search);

describe("controls", () => {
  test("bad URL values are ignored with a warning under the control; good ones are used", async () => {
    const {page, context, errors, foreign} = await blank("?backend=wasm&delta=abc&a=0.25&method=euler&show=input,zzz&grid=1&n=7");
    try {
      const r = await page.evaluate(() => {
        const {slider, logSlider, select, checkboxes, toggle, urlWarnings} = window.ssm.controls;
        const els = {
          delta: logSlider("delta", {label: "Δ", min: 1e-4, max: 10, value: 0.1}),
          a: slider("a", {label: "a", min: -2, max: 2, step: 0.01, value: -0.5}),
          method: select("method", {label: "Method", options: ["zoh", {value: "euler", label: "Euler"}], value: "zoh"}),
          show: checkboxes("show", {label: "Show", options: ["input", "state", "output"], value: ["output"]}),
          grid: toggle("grid", {label: "Grid", value: false}),
          n: slider("n", {label: "n", min: 1, max: 8, step: 1, value: 4, url: false})
        };
        document.body.append(...Object.values(els));
        const values = Object.fromEntries(Object.entries(els).map(([k, e]) => [k, e.value]));
        const warn = (k) => els[k].querySelector(".ssm-url-warning")?.textContent ?? null;
        return {
          values,
          warnings: {delta: warn("delta"), a: warn("a"), show: warn("show"), n: warn("n")},
          listed: urlWarnings().map((w) => [w.key, w.raw, w.message]),
          shown: Object.fromEntries(Object.entries(els).map(([k, e]) => [k, e.querySelector(".ssm-control-value").textContent])),
          labelFor: els.a.querySelector("label.ssm-control-label").htmlFor === els.a.querySelector("input[type=range]").id
        };
      });
      assert.deepEqual(r.values, {delta: 0.1, a: 0.25, method: "euler", show: ["output"], grid: true, n: 4});
      assert.equal(r.warnings.delta, 'URL value delta=abc ignored: "abc" is not a number; using 0.100');
      assert.equal(r.warnings.show, 'URL value show=input,zzz ignored: "zzz" is not one of input, state, output; using output');
      assert.equal(r.warnings.a, null);
      assert.equal(r.warnings.n, null, "url: false ignores the URL");
      assert.deepEqual(r.listed, [["delta", "abc", '"abc" is not a number'], ["show", "input,zzz", '"zzz" is not one of input, state, output']]);
      assert.deepEqual(r.shown, {delta: "0.100", a: "0.25", method: "", show: "1 of 3", grid: "on", n: "4"});
      assert.ok(r.labelFor, "the label is a real <label> for the input");
      assert.deepEqual(foreign, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("input updates .value before view()'s listener, mirrors it into the URL and keeps other params", async () => {
    const {page, context, errors} = await blank("?backend=wasm&delta=abc&other=x");
    try {
      await page.evaluate(() => {
        const {logSlider, checkboxes} = window.ssm.controls;
        const delta = logSlider("delta", {label: "Δ", min: 1e-4, max: 10, value: 0.1});
        const show = checkboxes("show", {label: "Show", options: ["input", "state", "output"], value: ["output"]});
        document.body.append(delta, show);
        window.seen = [];
        // What Framework's view() does: listen on the element, read .value.
        delta.addEventListener("input", () => window.seen.push(delta.value));
        show.addEventListener("input", () => window.seen.push(show.value));
      });
      const range = page.locator('[data-key="delta"] input[type=range]');
      await range.focus();
      for (let i = 0; i < 100; i++) await page.keyboard.press("ArrowRight"); // +0.5 decade
      await page.click('[data-key="show"] input[value="input"]');
      await page.waitForTimeout(400); // throttled URL write
      const r = await page.evaluate(() => ({
        seen: window.seen, search: location.search,
        delta: document.querySelector('[data-key="delta"]').value,
        shown: document.querySelector('[data-key="delta"] .ssm-control-value').textContent,
        warning: document.querySelector(".ssm-url-warning"), warnings: window.ssm.controls.urlWarnings().length
      }));
      assert.ok(Math.abs(r.delta - 0.316) < 0.002, `delta moved half a decade: ${r.delta}`);
      assert.equal(Number(r.delta.toPrecision(3)), r.delta, "3 significant digits");
      assert.equal(r.shown, r.delta.toPrecision(3));
      assert.equal(r.seen.length, 101);
      assert.equal(r.seen[99], r.delta, "view() sees the new value");
      assert.deepEqual(r.seen[100], ["input", "output"]);
      const params = new URLSearchParams(r.search);
      assert.equal(params.get("backend"), "wasm");
      assert.equal(params.get("other"), "x");
      assert.equal(Number(params.get("delta")), r.delta);
      assert.match(r.search, /show=input,output/);
      assert.equal(r.warning, null, "the warning goes once the reader sets a valid value");
      assert.equal(r.warnings, 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe("Notice and tex", () => {
  test("Notice levels, roles and the hidden empty notice; tex renders and shows errors", async () => {
    const {page, context, errors} = await blank("");
    try {
      const r = await page.evaluate(() => {
        const {Notice, tex, matrixTex} = window.ssm;
        const n = [Notice([]), Notice("unstable", "error"), Notice([{level: "info", text: "a"}, {level: "warn", text: "b"}])];
        const m = tex.block`\bar A = ${matrixTex([[1, NaN]])}`;
        const bad = tex`\frac{1}{`;
        document.body.append(...n, m, bad);
        return {
          notices: n.map((e) => [e.className, e.getAttribute("role"), e.hidden, e.textContent]),
          math: [m.className, !!m.querySelector(".katex-display"), m.textContent.includes("NaN")],
          bad: [bad.className, bad.title.startsWith("KaTeX parse error"), !!bad.querySelector(".katex-error")]
        };
      });
      assert.deepEqual(r.notices, [
        ["ssm-notice ssm-notice-info ssm-notice-empty", "status", true, ""],
        ["ssm-notice ssm-notice-error", "alert", false, "✖ unstable"],
        ["ssm-notice ssm-notice-warn", "status", false, "ℹ a⚠ b"]
      ]);
      assert.deepEqual(r.math, ["ssm-tex ssm-tex-block", true, true]);
      assert.deepEqual(r.bad, ["ssm-tex ssm-tex-error", true, true]);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
