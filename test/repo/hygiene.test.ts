// The repository's own rules, checked on every tracked file (git ls-files), so that a page or a
// script added later keeps them: pages stay readable programs (short js cells), nothing points
// outside the repository, and no page imports from a CDN.
import {execFileSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";

const tracked = execFileSync("git", ["ls-files", "-z"], {encoding: "utf8"}).split("\0").filter(Boolean);
const text = (f: string) => readFileSync(f, "utf8");
const pages = tracked.filter((f) => /^src\/[^/]+\.md$/.test(f));

/** The js cells of a Framework page: fenced ```js blocks, with their line counts. */
function jsCells(md: string): {line: number; lines: number}[] {
  const cells: {line: number; lines: number}[] = [];
  const rows = md.split("\n");
  for (let i = 0; i < rows.length; i++) {
    if (!/^```js\b/.test(rows[i])) continue;
    const start = i;
    while (++i < rows.length && !/^```\s*$/.test(rows[i]));
    cells.push({line: start + 1, lines: i - start - 1});
  }
  return cells;
}

describe("pages", () => {
  it("there are pages to check", () => expect(pages.length).toBeGreaterThanOrEqual(5));
  it.each(pages)("%s: every js cell is at most 25 lines", (f) => {
    const long = jsCells(text(f)).filter((c) => c.lines > 25).map((c) => `line ${c.line}: ${c.lines} lines`);
    expect(long).toEqual([]);
  });
  it("the median js cell over all pages is at most 10 lines", () => {
    const sizes = pages.flatMap((f) => jsCells(text(f)).map((c) => c.lines)).sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThanOrEqual(10);
  });
  it.each(pages)("%s: imports nothing from npm: or a CDN", (f) => {
    expect(text(f)).not.toMatch(/from\s+["'](npm:|https?:)/);
  });
});

describe("the repository stands on its own", () => {
  const sources = tracked.filter((f) => /\.(ts|js|mjs|md|json|py|sh|css|html)$/.test(f) && !f.startsWith("src/assets/generated/") && !f.startsWith("src/data/models/") && !f.includes("/fixtures/") && !f.startsWith("bench/results/") && !f.startsWith("bench/gpu/results/"));
  it("no tracked file names the shared folder above the repository or an absolute path on the build machines", () => {
    const bad = sources.filter((f) => /\.\.\/shared\b|\/work\/(shared|main|wt)\b/.test(text(f)));
    expect(bad).toEqual([]);
  });
});
