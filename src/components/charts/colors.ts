// Chart colours for the light and the dark theme. Pure (no DOM), unit-tested in Node
// (test/components/colors.test.ts).
//
// Charts are written with plain hex colours (the light look: "#222" text, "#ececec" grid,
// Tableau 10 series). `el()` in common.ts writes every fill/stroke colour that has a dark
// counterpart here as a CSS variable with the light colour as its fallback:
//
//   fill="#222"  →  fill="var(--ssm-c-222, #222)"
//
// On screen the variable is defined only under :root[data-theme="dark"] (themeCSS(),
// inserted once by common.ts), so the light page looks exactly as before and the dark page
// switches every chart at once, without a redraw. Exports resolve the variables to plain
// colours (resolveColors): light unless the reader asks for dark, so the files stand alone.

/**
 * Light colour (exactly as charts and pages write it) → its dark-theme counterpart.
 * Text and axes get light greys, backgrounds near-black, and series colours of the
 * Tableau 10 palette are lifted where they are too dark to read on #1b1b1b.
 */
export const DARK_COLORS: Readonly<Record<string, string>> = {
  // backgrounds and white fills (hollow markers, cards)
  "#ffffff": "#1b1b1b", "#fff": "#1b1b1b", "#fafafa": "#222222", "#f6f7f9": "#232528", "#f6f6f6": "#232323",
  "#eef4fb": "#1d2836",
  // text and axes, darkest first
  "#000": "#f0f0f0", "#000000": "#f0f0f0", "#111": "#ececec", "#222": "#e2e2e2", "#333": "#d4d4d4",
  "#444": "#c8c8c8", "#555": "#b4b4b4", "#666": "#a6a6a6", "#777": "#9a9a9a",
  // neutral strokes and gridlines
  "#888": "#8c8c8c", "#8a8f98": "#8f959e", "#999": "#7d7d7d", "#bbb": "#666666", "#bbbbbb": "#5e5e5e",
  "#c9c9c9": "#555555", "#ccc": "#4e4e4e", "#d0d0d0": "#4a4a4a", "#d9d9d9": "#3c3c3c",
  "#e2e4e8": "#34373c", "#ececec": "#2e2e2e", "#9aa7b8": "#7f8da0",
  // accents
  "#1d3f66": "#a9c8ef", "#d62728": "#ff6b6b",
  // token strip (TokenStrip): noise cells dim, content cells light with dark glyphs (its
  // white glyph text maps through "#ffffff"); "#33415c" is also BlockDiagram's op outline
  "#eeeeee": "#2a2a2a", "#cccccc": "#4e4e4e", "#33415c": "#b8c7dd", "#dfe6f3": "#2a3a55",
  // Tableau 10 (d3.schemeTableau10): the dark blue, green, purple and brown are lifted
  "#4e79a7": "#7ba7db", "#f28e2b": "#f5a04c", "#e15759": "#f0787a", "#76b7b2": "#8fd0ca",
  "#59a14f": "#74c26a", "#edc948": "#efd26b", "#b07aa1": "#cd9dc1", "#ff9da7": "#ffb0b8",
  "#9c755f": "#c49d86", "#bab0ac": "#c9c0bc",
  // the same palette as d3 7 spells it (d3.schemeTableau10, charts' PALETTE)
  "#f28e2c": "#f5a04c", "#edc949": "#efd26b", "#af7aa1": "#cd9dc1", "#bab0ab": "#c9c0bc"
};

/** The CSS variable a light colour is written with, or undefined when it has no dark form. */
export function colorVar(color: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(DARK_COLORS, color)) return undefined;
  return `--ssm-c-${color.slice(1)}`;
}

/** A colour as charts write it into the DOM: `var(--ssm-c-…, light)` when it has a dark form. */
export function paint(color: string): string {
  const v = colorVar(color);
  return v ? `var(${v}, ${color})` : color;
}

/** The style sheet that switches chart colours under :root[data-theme="dark"]. */
export function themeCSS(): string {
  const lines = Object.entries(DARK_COLORS).map(([light, dark]) => `  ${colorVar(light)}: ${dark};`);
  return `:root[data-theme="dark"] {\n${lines.join("\n")}\n}\n`;
}

const VAR_RE = /var\(--ssm-c-([0-9a-fA-F]{3,8}), (#[0-9a-fA-F]{3,8})\)/g;

/**
 * Markup with every chart colour variable replaced by a plain colour: the light one, or
 * the dark one when `dark` (for standalone exports).
 */
export function resolveColors(markup: string, dark = false): string {
  return markup.replace(VAR_RE, (_m, _name: string, light: string) => (dark ? DARK_COLORS[light] ?? light : light));
}

/** The background of a chart in a theme (what exports are filled with). */
export function chartBackground(dark = false): string {
  return dark ? DARK_COLORS["#ffffff"] : "#ffffff";
}

/** The main text colour of a chart in a theme (burned-in titles and captions). */
export function chartText(dark = false): string {
  return dark ? DARK_COLORS["#222"] : "#222";
}

let themeStyleAdded = false;
/** Inserts themeCSS() once per document (a no-op outside the browser). */
export function ensureThemeStyle(): void {
  if (themeStyleAdded || typeof document === "undefined") return;
  themeStyleAdded = true;
  if (document.getElementById("ssm-chart-theme")) return;
  const style = document.createElement("style");
  style.id = "ssm-chart-theme";
  style.textContent = themeCSS();
  document.head.append(style);
}
