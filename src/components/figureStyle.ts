// The figure frame's CSS, injected once by the first figure on a page (so a figure looks
// right on any page, whatever the site stylesheet holds). Charts themselves need no CSS:
// they are styled by SVG attributes so that exports stand alone.
export const FIGURE_CSS = `
.ssm-figure { margin: 1.25rem 0 1.75rem; padding: 0; max-width: 100%; }
.ssm-figure-head { display: flex; align-items: baseline; gap: 0.75rem; justify-content: space-between; margin-bottom: 0.35rem; }
.ssm-figure-title { font-weight: 600; font-size: 14px; line-height: 1.3; }
.ssm-figure-chart { background: #fff; border-radius: 4px; overflow: hidden; }
.ssm-figure-chart > svg { display: block; max-width: 100%; height: auto; }
.ssm-export { position: relative; flex: none; }
.ssm-export-toggle { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid #c9c9c9; border-radius: 4px; background: #fff; color: #333; cursor: pointer; }
.ssm-export-toggle:hover, .ssm-export-toggle[aria-expanded="true"] { border-color: #888; background: #f4f4f4; }
.ssm-export-menu { position: absolute; right: 0; top: calc(100% + 4px); z-index: 20; min-width: 15rem; padding: 8px 10px; background: #fff; color: #222; border: 1px solid #ccc; border-radius: 6px; box-shadow: 0 4px 14px rgba(0,0,0,0.12); font-size: 12px; }
.ssm-export-menu[hidden] { display: none; }
.ssm-export-row { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; margin-bottom: 6px; }
.ssm-export-label { width: 3.2rem; color: #666; }
.ssm-export-row button { font: inherit; padding: 2px 7px; border: 1px solid #ccc; border-radius: 3px; background: #fafafa; color: #222; cursor: pointer; }
.ssm-export-row button:hover:not(:disabled) { background: #eef3fb; border-color: #7a9cc6; }
.ssm-export-row button:disabled { opacity: 0.45; cursor: not-allowed; }
.ssm-export-talk { display: flex; align-items: center; gap: 4px; cursor: pointer; }
.ssm-export-status { margin-top: 4px; color: #666; min-height: 1em; overflow-wrap: anywhere; }
.ssm-figure-issues { margin-top: 0.4rem; padding: 4px 8px; border-left: 3px solid #e8a33d; background: #fdf6e9; color: #5c4200; font-size: 12px; border-radius: 0 3px 3px 0; }
.ssm-figure-issues[hidden] { display: none; }
.ssm-figure-caption { margin-top: 0.4rem; font-size: 13px; color: var(--theme-foreground-muted, #555); }
.ssm-plotly { font-size: 12px; color: #666; }
`;

let injected = false;

/** Adds the figure CSS to the document once (no-op when the site stylesheet already has it). */
export function ensureFigureStyle(): void {
  if (injected || typeof document === "undefined") return;
  injected = true;
  if (document.getElementById("ssm-figure-style")) return;
  // The site stylesheet may carry these rules itself; it marks that with this custom property.
  if (getComputedStyle(document.documentElement).getPropertyValue("--ssm-figure-css").trim() === "1") return;
  const style = document.createElement("style");
  style.id = "ssm-figure-style";
  style.textContent = FIGURE_CSS;
  document.head.append(style);
}
