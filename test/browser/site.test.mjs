// The whole built site: the navigation lists exactly the pages that exist, in walk order;
// every page loads with no console error and no request to another host; no HTML file
// loads a script or stylesheet from another host. Prints the bytes of each page's first
// load (a measurement, not an assertion).
import {test} from "node:test";
import assert from "node:assert/strict";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {openPage, useSite} from "../../tools/browser/harness.mjs";

const WALK = ["/continuous", "/discretization", "/hippo", "/views", "/selective", "/linear-attention", "/family", "/lab"];
const PAGES = WALK.filter((p) => existsSync(`src${p}.md`));
const ROOT = process.env.SSM_OUT ?? "dist";
const site = useSite(ROOT);

test("no built HTML file loads a script, stylesheet or font from another host", () => {
  const html = readdirSync(ROOT).filter((f) => f.endsWith(".html"));
  assert.ok(html.length >= PAGES.length + 1);
  for (const f of html) {
    const text = readFileSync(join(ROOT, f), "utf8");
    const external = [...text.matchAll(/<(script|link|img|iframe)\b[^>]*\b(src|href)="(https?:)?\/\/[^"]+"/g)].map((m) => m[0]);
    assert.deepEqual(external, [], `${f} loads nothing from another host`);
  }
});

test("the navigation lists exactly the existing pages, in walk order", async () => {
  const {page, context} = await openPage(site.browser, site.origin, "/?backend=cpu");
  try {
    const links = await page.$$eval("#observablehq-sidebar a", (as) => as.map((a) => new URL(a.href).pathname));
    assert.deepEqual(links.filter((p) => p !== "/"), PAGES);
  } finally {
    await context.close();
  }
});

test("every page loads with no console error and no request to another host", async () => {
  const weights = [];
  for (const path of ["/", ...PAGES]) {
    const {page, context, errors, foreign} = await openPage(site.browser, site.origin, `${path}?backend=cpu`);
    try {
      await page.waitForSelector(".ssm-backend-badge", {timeout: 60_000});
      await page.waitForTimeout(1500);
      const bytes = await page.evaluate(() => performance.getEntriesByType("resource")
        .reduce((a, e) => a + e.decodedBodySize, 0) + performance.getEntriesByType("navigation")[0].decodedBodySize);
      assert.deepEqual(errors, [], `${path}: no console error`);
      assert.deepEqual(foreign, [], `${path}: no request to another host`);
      weights.push(`${path} ${(bytes / 1e6).toFixed(2)} MB`);
    } finally {
      await context.close();
    }
  }
  console.log(`first load (uncompressed bytes, cpu backend, before scrolling): ${weights.join(", ")}`);
});

test("every page carries a content-security policy that refuses other hosts", async () => {
  for (const path of ["/", ...PAGES]) {
    const {page, context} = await openPage(site.browser, site.origin, path);
    try {
      const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
      assert.match(csp, /default-src 'self'/, `${path}: default-src 'self'`);
      assert.doesNotMatch(csp, /https?:|\*/, `${path}: no other origin is allowed`);
      // A request to another host is refused by the policy itself (a securitypolicyviolation
      // event), not only by this machine's closed network.
      const violation = await page.evaluate(() => new Promise((resolve) => {
        document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective), {once: true});
        fetch("https://example.com/x.json").catch(() => {});
        setTimeout(() => resolve(null), 3000);
      }));
      assert.equal(violation, "connect-src", `${path}: fetch to another host violates connect-src`);
    } finally {
      await context.close();
    }
  }
});
