// The backend choice on the built site's home page, which starts with
//   const backend = await initBackend(new URLSearchParams(location.search).get("backend"));
//   display(BackendBadge(backend));
// For each ?backend= the badge (.ssm-backend-badge) shows that backend, or a fallback
// (data-fallback="true", warning colour) whose panel says why the requested one failed.
// Every page: no console error, no request to another host. SSM_OUT selects the build
// (default dist/).
import {describe, test} from "node:test";
import assert from "node:assert/strict";
import {openPage, useSite} from "../../tools/browser/harness.mjs";

const site = useSite();

/** Opens `path`, waits for the badge, returns what it says plus the page's requests. */
async function badgeOf(path) {
  const requests = [];
  const opened = await openPage(site.browser, site.origin, path);
  const {page} = opened;
  page.on("request", (r) => requests.push(r.url()));
  await page.waitForSelector(".ssm-backend-badge", {timeout: 90_000});
  const badge = await page.$eval(".ssm-backend-badge", (b) => ({
    ...b.dataset,
    text: b.querySelector(".ssm-backend-button").textContent,
    attempts: [...b.querySelectorAll(".ssm-backend-attempt")].map((li) => ({name: li.dataset.name, ok: li.dataset.ok === "true", skipped: li.dataset.skipped === "true", text: li.textContent})),
    check: b.querySelector(".ssm-backend-check").textContent
  }));
  // Requests made before the listener was attached are in the performance timeline.
  const resources = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
  return {...opened, badge, requests: [...new Set([...resources, ...requests])]};
}

function assertClean({errors, foreign}) {
  assert.deepEqual(foreign, [], "no request may leave 127.0.0.1");
  assert.deepEqual(errors, [], "no console errors");
}

describe("backend badge on /", () => {
  for (const name of ["cpu", "webgl", "wasm", "webgpu"]) {
    test(`?backend=${name}: the badge shows ${name}, or a fallback with the reason`, async (t) => {
      const r = await badgeOf(`/?backend=${name}`);
      try {
        const {badge} = r;
        assert.equal(badge.requested, name);
        assert.equal(badge.attempts[0].name, name, "the requested backend is tried first");
        if (badge.backend === name) {
          assert.equal(badge.fallback, "false");
          assert.equal(badge.text, `tfjs: ${name}`);
          assert.equal(badge.attempts.length, 1);
          assert.match(badge.attempts[0].text, /self-check passed/);
        } else {
          t.diagnostic(`${name} unavailable here: ${badge.attempts[0].text}`);
          assert.equal(badge.fallback, "true");
          assert.match(badge.text, /⚠/);
          assert.equal(badge.attempts[0].ok, false);
          assert.ok(badge.attempts[0].text.length > `${name}: failed`.length + 10, "a reason is given");
        }
        const m = /max relative error (\S+)\./.exec(badge.check);
        assert.ok(m && Number(m[1]) <= 1e-3, `self-check error: ${badge.check}`);
        t.diagnostic(`chosen ${badge.backend}; ${badge.attempts.map((a) => a.text).join(" | ")}`);
        if (badge.backend === "wasm") {
          assert.ok(r.requests.some((u) => /\/_file\/.*tfjs-backend-wasm.*\.wasm$/.test(u) && u.startsWith(site.origin)),
            "the .wasm binary is self-hosted");
        }
        if (name === "cpu" || name === "webgl") {
          // Lazy loading: a page that ends on cpu/webgl fetches neither the webgpu nor the wasm backend.
          assert.deepEqual(r.requests.filter((u) => /tfjs-backend-(webgpu|wasm)/.test(u)), []);
        }
        // The engine really runs the backend named on the badge (same module URL, same engine).
        const engineBackend = await r.page.evaluate(async () => {
          const link = document.querySelector('link[rel="modulepreload"][href*="/@tensorflow/tfjs@"]');
          return link ? (await import(link.href)).getBackend() : "no tfjs modulepreload link";
        });
        assert.equal(engineBackend, badge.backend);
        assertClean(r);
      } finally {
        await r.context.close();
      }
    });
  }

  test("?backend=bogus: the reason is shown and the automatic order is used", async () => {
    const r = await badgeOf("/?backend=bogus");
    try {
      const {badge} = r;
      assert.equal(badge.requested, "bogus");
      assert.equal(badge.fallback, "true");
      assert.deepEqual([badge.attempts[0].name, badge.attempts[0].ok], ["bogus", false]);
      assert.match(badge.attempts[0].text, /"bogus" is not a backend/);
      assert.ok(["webgpu", "webgl", "wasm", "cpu"].includes(badge.backend));
      const tried = badge.attempts.filter((a) => !a.skipped);
      assert.equal(tried.at(-1).name, badge.backend);
      assert.equal(tried.at(-1).ok, true);
      assertClean(r);
    } finally {
      await r.context.close();
    }
  });

  test("no ?backend=: the automatic choice, no warning colour; software GPUs rank after wasm", async (t) => {
    const r = await badgeOf("/");
    try {
      assert.equal(r.badge.requested, "");
      assert.equal(r.badge.fallback, "false");
      const tried = r.badge.attempts.filter((a) => !a.skipped);
      assert.equal(tried.at(-1).ok, true);
      // Here WebGL and WebGPU are SwiftShader (software): ranked after wasm, listed as not tried.
      const skipped = r.badge.attempts.filter((a) => a.skipped);
      for (const a of skipped) assert.match(a.text, /not tried — a software GPU .* is slower than/);
      t.diagnostic(`automatic choice: ${r.badge.backend}; ${r.badge.attempts.map((a) => a.text).join(" | ")}`);
      if (skipped.length) assert.equal(r.badge.backend, "wasm");
      assertClean(r);
    } finally {
      await r.context.close();
    }
  });

  test("clicking the badge opens and closes the panel of attempts", async () => {
    const r = await badgeOf("/?backend=bogus");
    try {
      const {page} = r;
      assert.equal(await page.isVisible(".ssm-backend-panel"), false);
      await page.click(".ssm-backend-button");
      assert.equal(await page.isVisible(".ssm-backend-panel"), true);
      assert.equal(await page.getAttribute(".ssm-backend-button", "aria-expanded"), "true");
      assert.match(await page.textContent(".ssm-backend-panel"), /"bogus" is not a backend/);
      await page.click(".ssm-backend-button");
      assert.equal(await page.isVisible(".ssm-backend-panel"), false);
      assertClean(r);
    } finally {
      await r.context.close();
    }
  });
});
