// The dark theme: chart colour variables (charts/colors.ts), the inline theme script
// (components/themeScript.js), talk style scaling and dense markers (charts/common.ts).
import {describe, expect, it} from "vitest";
import {DARK_COLORS, chartBackground, colorVar, paint, resolveColors, themeCSS} from "../../src/components/charts/colors.js";
import {COMPACT_LEGEND_WIDTH, PALETTE, legendPlan, pointRadius, talkScale, theme} from "../../src/components/charts/common.js";
import {resolveTheme, themeScript} from "../../src/components/themeScript.js";

/** Relative luminance (WCAG 2) of #rrggbb. */
function luminance(hex: string): number {
  const h = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (c) => c + c) : hex;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };

describe("chart colours", () => {
  it("paint(color) writes a themed colour as a variable with the light colour as fallback", () => {
    expect(paint("#222")).toBe("var(--ssm-c-222, #222)");
    expect(paint("#4e79a7")).toBe("var(--ssm-c-4e79a7, #4e79a7)");
    expect(paint("rgb(1, 2, 3)")).toBe("rgb(1, 2, 3)");
    expect(paint("#123456")).toBe("#123456");
    expect(colorVar("#123456")).toBeUndefined();
  });
  it("resolveColors(markup) gives the light colours, resolveColors(markup, true) the dark ones", () => {
    const m = `<rect fill="${paint("#ffffff")}" stroke="${paint("#222")}"/><path stroke="${paint("#4e79a7")}"/>`;
    expect(resolveColors(m)).toBe('<rect fill="#ffffff" stroke="#222"/><path stroke="#4e79a7"/>');
    expect(resolveColors(m, true)).toBe(`<rect fill="${DARK_COLORS["#ffffff"]}" stroke="${DARK_COLORS["#222"]}"/><path stroke="${DARK_COLORS["#4e79a7"]}"/>`);
    expect(resolveColors(m)).not.toMatch(/var\(/);
  });
  it("themeCSS() defines every variable under :root[data-theme=dark] only", () => {
    const css = themeCSS();
    expect(css.startsWith(':root[data-theme="dark"] {')).toBe(true);
    for (const [light, dark] of Object.entries(DARK_COLORS)) expect(css).toContain(`${colorVar(light)}: ${dark};`);
  });
  it("the theme's text colours read on their background in both themes (contrast ≥ 4.5)", () => {
    const t = theme(false);
    for (const c of [t.text, t.mutedText]) {
      expect(contrast(c, "#ffffff")).toBeGreaterThanOrEqual(4.5);
      expect(contrast(DARK_COLORS[c], chartBackground(true))).toBeGreaterThanOrEqual(4.5);
    }
  });
  it("every Tableau 10 series colour has a dark form that reads on the dark background (contrast ≥ 3)", () => {
    for (const c of PALETTE) {
      expect(DARK_COLORS[c], c).toBeDefined();
      expect(contrast(DARK_COLORS[c], chartBackground(true)), c).toBeGreaterThanOrEqual(3);
    }
  });
  it("the token strip's glyphs read on their cells in both themes, and the cells on the page (contrast ≥ 3 to 4.5)", () => {
    const bg = chartBackground(true);
    // [glyph, cell]: a content token (white on navy), a noise token (grey on light grey), a content sub-label
    for (const [glyph, cell] of [["#ffffff", "#33415c"], ["#777", "#eeeeee"], ["#dfe6f3", "#33415c"]]) {
      const [gl, cl] = [glyph, cell];
      const min = glyph === "#777" ? 3 : 4.5;
      expect(contrast(gl, cl), `${glyph} on ${cell}, light`).toBeGreaterThanOrEqual(min);
      expect(contrast(DARK_COLORS[gl], DARK_COLORS[cl]), `${glyph} on ${cell}, dark`).toBeGreaterThanOrEqual(min);
    }
    // content cells must stand out from the page far more than noise cells do, in both themes
    expect(contrast(DARK_COLORS["#33415c"], bg)).toBeGreaterThan(3 * contrast(DARK_COLORS["#eeeeee"], bg));
    expect(contrast("#33415c", "#ffffff")).toBeGreaterThan(3 * contrast("#eeeeee", "#ffffff"));
  });
  it("gridlines stay fainter than axes in the dark theme", () => {
    const t = theme(false);
    const bg = chartBackground(true);
    expect(contrast(DARK_COLORS[t.grid], bg)).toBeLessThan(contrast(DARK_COLORS[t.axis], bg));
  });
});

describe("theme script", () => {
  it("resolveTheme(stored, systemDark) follows the system unless the reader chose", () => {
    expect(resolveTheme(null, true)).toEqual({choice: "auto", theme: "dark"});
    expect(resolveTheme(null, false)).toEqual({choice: "auto", theme: "light"});
    expect(resolveTheme("light", true)).toEqual({choice: "light", theme: "light"});
    expect(resolveTheme("dark", false)).toEqual({choice: "dark", theme: "dark"});
    expect(resolveTheme("purple", true)).toEqual({choice: "auto", theme: "dark"});
  });
  it("themeScript() is a self-contained classic script that sets data-theme before paint", () => {
    const src = themeScript();
    const attrs: Record<string, string> = {};
    const stored: Record<string, string> = {"ssm-theme": "dark"};
    const doc = {documentElement: {setAttribute: (k: string, v: string) => { attrs[k] = v; }, getAttribute: (k: string) => attrs[k]},
      readyState: "loading", addEventListener: () => {}, querySelector: () => null};
    const win = {matchMedia: () => ({matches: false, addEventListener: () => {}}), localStorage: {getItem: (k: string) => stored[k] ?? null}, addEventListener: () => {}};
    new Function("window", "document", src)(win, doc);
    expect(attrs["data-theme"]).toBe("dark");
    expect(attrs["data-theme-choice"]).toBe("dark");
    expect(src).not.toMatch(/\bimport\b|\bexport\b/);
  });
});

describe("talk style and markers", () => {
  it("theme(true, width, height) scales type, lines and markers with the size", () => {
    const base = theme(true, 640, 300), big = theme(true, 1280, 720), small = theme(true, 390, 260);
    expect(base.fontSize).toBe(19);
    expect(big.fontSize).toBeGreaterThan(base.fontSize);
    expect(big.markerRadius).toBeGreaterThan(base.markerRadius);
    // Narrow charts keep the full talk size (they are enlarged on the slide).
    expect(small.fontSize).toBe(base.fontSize);
    expect(theme(true).fontSize).toBe(19);
    expect(theme(false, 1280, 720).fontSize).toBe(12);
    expect(talkScale(1280, 720)).toBe(1.8);
    expect(talkScale(1280, 150)).toBe(1);
  });
  it("pointRadius(t, spacing) shrinks talk-style dots with their spacing", () => {
    const t = theme(true, 912, 400);
    expect(pointRadius(t, 100)).toBe(t.markerRadius);
    expect(pointRadius(t, 4)).toBeLessThan(t.markerRadius);
    expect(pointRadius(t, 0.5)).toBeGreaterThanOrEqual(1.6);
  });
});

describe("legends", () => {
  const names = ["exact y(t)", "ZOH", "bilinear", "forward Euler", "backward Euler", "Mamba mix"];
  it("legendPlan(names, width) is compact below COMPACT_LEGEND_WIDTH: smaller type and swatches", () => {
    const wide = legendPlan(names, 600, theme(false)), narrow = legendPlan(names, COMPACT_LEGEND_WIDTH - 100, theme(false));
    expect(narrow.size).toBeLessThan(wide.size);
    expect(narrow.sw).toBeLessThan(wide.sw);
  });
  it("legendPlan(names, width, t, maxHeight) shrinks the legend until it fits the height it may take", () => {
    const t = theme(true, 912, 400);
    const free = legendPlan(names, 700, t), capped = legendPlan(names, 700, t, 0.26 * 400);
    expect(capped.lay.height).toBeLessThan(free.lay.height);
    expect(capped.lay.height).toBeLessThanOrEqual(0.26 * 400);
    expect(capped.size).toBeGreaterThanOrEqual(9);
  });
});
