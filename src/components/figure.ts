// Figure: the frame every figure sits in — a title, the chart, an export menu (PNG 1x/2x/4x,
// SVG, CSV, JSON, "talk style"), a visible notice of what the chart could not draw, and a
// caption. PlotlyFigure: the same frame around a plotly chart, with plotly loaded lazily.
//
// CSS: the "Figure frame" section of src/style.css.
//
// Talk style re-renders the chart with talk: true (large type, thick lines, white
// background): on screen as a preview and for every export made while it is on.
//
// Image exports are slide-ready on request: an aspect preset (as shown, 16:9, 4:3, square:
// the whole image has that shape; the chart is redrawn to fill it), a title and caption
// burned into the image, and the dark theme. They are light by default whatever the page's
// theme (chart colours are theme variables, resolved to plain colours in the file).
//
// Accessibility: the chart's <svg> carries role="img" and aria-label (the figure's title),
// and aria-describedby points at the caption when there is one.
import {
  type Aspect, type ExportKind, type FigureData, ASPECTS, EXPORT_KINDS, MIME, composeSlideSVG, exportFilename, isAspect,
  mergeIssues, parseIssuesAttribute, pngScale, presetSize, slideLayout, standaloneSVG, toCSV, toJSON
} from "./export.js";
import {chartBackground, chartText, ensureThemeStyle, resolveColors} from "./charts/colors.js";
import {FONT_FAMILY} from "./charts/common.js";

export type RenderOptions = {width: number; height: number; talk: boolean};
export type RenderFn = (o: RenderOptions) => SVGSVGElement | HTMLElement;

export interface FigureOptions {
  width: number;
  height: number;
  title?: string;
  caption?: string | Node;
  /** the figure's data for CSV/JSON: rows, or several named row arrays (or a function returning either) */
  data?: FigureData | (() => FigureData);
  /** file stem of exports; defaults to the title */
  filename?: string;
  /** notices from the page, shown under the figure with the chart's own */
  issues?: string[];
}

/** How an image export is made (the export menu's choices). */
export interface ImageOptions {
  talk: boolean;
  aspect: Aspect;
  dark: boolean;
  /** burned into the image when non-empty */
  title?: string;
  caption?: string;
}

// Export choices survive re-creation (pages wrap figures in resize()).
const talkState = new Map<string, boolean>();
const choiceState = new Map<string, {aspect: Aspect; dark: boolean; burn: boolean; title?: string; caption?: string}>();

type Exporter = {
  /** re-render (or refresh) the on-screen chart; returns chart issues */
  show: (talk: boolean) => Promise<string[]> | string[];
  /** produce the export file for an image kind */
  image: (kind: "png-1" | "png-2" | "png-4" | "svg", o: ImageOptions) => Promise<Blob>;
  canImage: () => boolean;
};

let captionIds = 0;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string> = {}, ...children: (Node | string | null | undefined)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const LABELS: Record<ExportKind, string> = {
  "png-1": "PNG 1×", "png-2": "PNG 2×", "png-4": "PNG 4×", svg: "SVG", csv: "CSV", json: "JSON"
};

/** Triggers a download of `blob` as `name` through an <a download>. */
export function downloadBlob(blob: Blob, name: string, container: Element = document.body): void {
  const url = URL.createObjectURL(blob);
  const a = h("a", {href: url, download: name});
  a.style.display = "none";
  // Inside the menu, the link's click does not reach the document (which closes menus).
  container.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

function frame(options: FigureOptions, kind: string, makeExporter: (chart: HTMLDivElement) => Exporter): HTMLElement {
  const {width, height, title, caption} = options;
  const stem = options.filename ?? title ?? "figure";
  // The dark chart colours (the frame's own background uses them too, whatever it holds).
  ensureThemeStyle();
  const root = h("figure", {class: `ssm-figure ssm-figure-${kind}`, "data-filename": stem});
  root.style.maxWidth = `${width}px`;

  const toggle = h("button", {type: "button", class: "ssm-export-toggle", "aria-haspopup": "true", "aria-expanded": "false", title: "Export this figure"}, "Export ▾");
  const menu = h("div", {class: "ssm-export-menu", role: "menu"});
  menu.hidden = true;
  const talkBox = h("input", {type: "checkbox", "data-export": "talk"});
  const talk0 = talkState.get(stem) ?? false;
  talkBox.checked = talk0;
  const choice0 = choiceState.get(stem) ?? {aspect: "shown" as Aspect, dark: false, burn: false};
  const aspectSel = h("select", {"data-export": "aspect", "aria-label": "Image shape"});
  for (const a of ASPECTS) aspectSel.append(h("option", {value: a.id}, a.label));
  aspectSel.value = choice0.aspect;
  const darkBox = h("input", {type: "checkbox", "data-export": "dark"});
  darkBox.checked = choice0.dark;
  const burnBox = h("input", {type: "checkbox", "data-export": "burn"});
  burnBox.checked = choice0.burn;
  const captionText = typeof caption === "string" ? caption : caption?.textContent ?? "";
  const burnTitle = h("input", {type: "text", "data-export": "burn-title", "aria-label": "Title burned into the image", placeholder: "title"});
  burnTitle.value = choice0.title ?? title ?? "";
  const burnCaption = h("textarea", {"data-export": "burn-caption", rows: "2", "aria-label": "Caption burned into the image", placeholder: "caption"});
  burnCaption.value = choice0.caption ?? captionText.replace(/\s+/g, " ").trim();
  const burnFields = h("div", {class: "ssm-export-burn-fields"}, burnTitle, burnCaption);
  burnFields.hidden = !burnBox.checked;
  const status = h("div", {class: "ssm-export-status", role: "status", "aria-live": "polite"});
  const buttons = new Map<ExportKind, HTMLButtonElement>();
  const group = (label: string, kinds: ExportKind[]) => {
    const row = h("div", {class: "ssm-export-row"}, h("span", {class: "ssm-export-label"}, label));
    for (const k of kinds) {
      const b = h("button", {type: "button", role: "menuitem", "data-export": k}, LABELS[k]);
      buttons.set(k, b);
      row.append(b);
    }
    return row;
  };
  menu.append(
    group("Image", ["png-1", "png-2", "png-4", "svg"]),
    group("Data", ["csv", "json"]),
    h("div", {class: "ssm-export-row"}, h("span", {class: "ssm-export-label"}, "Shape"), aspectSel),
    h("div", {class: "ssm-export-checks"},
      h("label", {class: "ssm-export-talk", title: "Large type, thick lines, white background (for slides)"}, talkBox, " talk style"),
      h("label", {class: "ssm-export-dark", title: "Export in the dark theme (exports are light otherwise)"}, darkBox, " dark"),
      h("label", {class: "ssm-export-burn", title: "Burn a title and a caption into the image"}, burnBox, " title & caption")),
    burnFields,
    status
  );
  const head = h("div", {class: "ssm-figure-head"},
    title ? h("div", {class: "ssm-figure-title"}, title) : h("div", {class: "ssm-figure-title"}),
    h("div", {class: "ssm-export"}, toggle, menu));
  const chart = h("div", {class: "ssm-figure-chart"});
  chart.style.width = `${width}px`;
  chart.style.maxWidth = "100%";
  const notice = h("div", {class: "ssm-figure-issues", role: "note"});
  notice.hidden = true;
  root.append(head, chart, notice);
  const captionId = `ssm-figcaption-${++captionIds}`;
  if (caption) root.append(h("figcaption", {class: "ssm-figure-caption", id: captionId}, caption));
  // The chart's accessible name: the figure's title, and its caption as the description.
  const label = () => {
    const svg = chart.querySelector(":scope > svg, :scope > * > svg, :scope > canvas, :scope > .ssm-plotly");
    if (!svg) return;
    svg.setAttribute("role", "img");
    if (title) svg.setAttribute("aria-label", title);
    else if (!svg.getAttribute("aria-label")) svg.setAttribute("aria-label", "Figure");
    if (caption) svg.setAttribute("aria-describedby", captionId);
  };

  const exporter = makeExporter(chart);
  const showIssues = (chartIssues: string[]) => {
    const all = mergeIssues(options.issues, chartIssues);
    notice.replaceChildren(...all.map((s) => h("div", {class: "ssm-figure-issue"}, "⚠ ", s)));
    notice.hidden = all.length === 0;
    root.toggleAttribute("data-has-issues", all.length > 0);
  };
  const failed = (err: unknown) => showIssues([`This figure could not be drawn: ${(err as Error)?.message ?? err}`]);
  const drawn = (issues: string[]) => {
    label();
    showIssues(issues);
    const noImage = !exporter.canImage();
    for (const k of ["png-1", "png-2", "png-4", "svg"] as const) buttons.get(k)!.disabled = noImage;
  };
  // Synchronous charts (Figure) are complete, notices included, when Figure returns.
  const show = (talk: boolean) => {
    root.toggleAttribute("data-talk", talk);
    let result: Promise<string[]> | string[];
    try {
      result = exporter.show(talk);
    } catch (err) {
      failed(err);
      return;
    }
    if (Array.isArray(result)) drawn(result);
    else result.then(drawn, failed);
  };
  show(talk0);
  const hasData = options.data !== undefined;
  buttons.get("csv")!.disabled = !hasData;
  buttons.get("json")!.disabled = !hasData;

  const setOpen = (open: boolean) => {
    menu.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", (e) => { e.stopPropagation(); setOpen(menu.hidden); });
  menu.addEventListener("click", (e) => e.stopPropagation());
  const onDoc = () => setOpen(false);
  const onKey = (e: KeyboardEvent) => { if (e.key === "Escape") setOpen(false); };
  // Listeners on document are removed once the figure has left it.
  const observer = new MutationObserver(() => {
    if (!root.isConnected) { document.removeEventListener("click", onDoc); document.removeEventListener("keydown", onKey); observer.disconnect(); }
  });
  queueMicrotask(() => {
    document.addEventListener("click", onDoc);
    document.addEventListener("keydown", onKey);
    observer.observe(document.body, {childList: true, subtree: true});
  });
  talkBox.addEventListener("change", () => {
    talkState.set(stem, talkBox.checked);
    show(talkBox.checked);
  });
  const remember = () => {
    choiceState.set(stem, {aspect: isAspect(aspectSel.value) ? aspectSel.value : "shown", dark: darkBox.checked, burn: burnBox.checked,
      title: burnTitle.value, caption: burnCaption.value});
    burnFields.hidden = !burnBox.checked;
  };
  for (const c of [aspectSel, darkBox, burnBox, burnTitle, burnCaption]) c.addEventListener("change", remember);

  const run = async (k: ExportKind) => {
    const talk = talkBox.checked;
    const aspect: Aspect = isAspect(aspectSel.value) ? aspectSel.value : "shown";
    const dark = darkBox.checked;
    const name = exportFilename(stem, k, {talk, aspect, dark});
    status.textContent = `Preparing ${name} …`;
    try {
      let blob: Blob;
      if (k === "csv" || k === "json") {
        const d = typeof options.data === "function" ? options.data() : options.data!;
        blob = new Blob([k === "csv" ? toCSV(d) : toJSON(d)], {type: MIME[k]});
      } else {
        blob = await exporter.image(k, {talk, aspect, dark,
          title: burnBox.checked ? burnTitle.value : undefined, caption: burnBox.checked ? burnCaption.value : undefined});
      }
      downloadBlob(blob, name, menu);
      status.textContent = `Saved ${name}`;
      root.setAttribute("data-last-export", name);
    } catch (err) {
      status.textContent = `Export failed: ${(err as Error).message ?? err}`;
      console.warn(`Figure export (${k}) failed:`, err);
    }
  };
  for (const k of EXPORT_KINDS) buttons.get(k)!.addEventListener("click", () => void run(k));
  return root;
}

/** The <svg> of a rendered chart (the element itself or the first one inside it). */
function chartSVG(node: Element | null): SVGSVGElement | null {
  if (!node) return null;
  if (node instanceof SVGSVGElement) return node;
  return node.querySelector("svg");
}

function chartIssues(node: Element): string[] {
  const svg = chartSVG(node);
  const own = (node as Element & {issues?: string[]}).issues;
  const inner = svg && svg !== node ? (svg as SVGSVGElement & {issues?: string[]}).issues : undefined;
  return mergeIssues(own, inner, parseIssuesAttribute(node.getAttribute("data-issues")), svg ? parseIssuesAttribute(svg.getAttribute("data-issues")) : []);
}

/**
 * Standalone SVG text of a chart at width×height (CSS px), on a background, with its theme
 * colour variables resolved to plain colours: light, or dark when asked (charts/colors.ts).
 */
export function serializeChart(svg: SVGSVGElement, width: number, height: number, {scale = 1, dark = false, background = chartBackground(dark)}: {scale?: number; dark?: boolean; background?: string} = {}): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.removeAttribute("style");
  clone.removeAttribute("class");
  clone.removeAttribute("aria-describedby");
  if (!clone.getAttribute("viewBox")) clone.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const bg = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  bg.setAttribute("x", "0"); bg.setAttribute("y", "0"); bg.setAttribute("width", "100%"); bg.setAttribute("height", "100%");
  bg.setAttribute("fill", background);
  bg.setAttribute("class", "ssm-background");
  clone.insertBefore(bg, clone.firstChild);
  const markup = resolveColors(new XMLSerializer().serializeToString(clone), dark);
  return standaloneSVG(markup, {width: width * scale, height: height * scale});
}

/**
 * The SVG text of an image export: the chart drawn by `render` to fill the preset's shape
 * (less the room a burned-in title and caption take), on the theme's background, at `scale`.
 * Returns the text and the image's size in CSS px.
 */
export function exportSVG(render: RenderFn, width: number, height: number, o: ImageOptions, scale = 1): {text: string; width: number; height: number} {
  const box = presetSize(o.aspect, width, height);
  const lay = slideLayout({...box, title: o.title ?? "", caption: o.caption ?? "", talk: o.talk, aspect: o.aspect});
  // Exports are drawn fresh, so they never depend on the page's CSS or state.
  const svg = chartSVG(render({width: lay.width, height: lay.chartHeight, talk: o.talk}));
  if (!svg) throw new Error("this figure has no SVG to export");
  const plain = serializeChart(svg, lay.width, lay.chartHeight, {scale, dark: o.dark});
  if (!lay.titleLines.length && !lay.captionLines.length) return {text: plain, width: lay.width, height: lay.height};
  const composed = composeSlideSVG(plain, lay, {background: chartBackground(o.dark), text: chartText(o.dark),
    muted: o.dark ? "#b4b4b4" : "#555", fontFamily: FONT_FAMILY});
  return {text: standaloneSVG(composed, {width: lay.width * scale, height: lay.height * scale}), width: lay.width, height: lay.height};
}

/** Rasterises standalone SVG text to a PNG blob of (width·scale)×(height·scale) px. */
export async function svgToPNG(svgText: string, width: number, height: number, scale: number, background = "#ffffff"): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], {type: MIME.svg}));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("canvas.toBlob returned nothing"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * A figure frame around a chart. `render` draws the chart at the given size and style;
 * it is called again with talk: true for talk-style previews and exports.
 */
/** Smallest box a figure is drawn in (px). */
export const MIN_WIDTH = 160, MIN_HEIGHT = 80;

export function Figure(render: RenderFn, options: FigureOptions): HTMLElement {
  // Framework's reactive width can be 0 for a moment (seen while the viewport is resized):
  // never lay a chart out in less than a minimal box, or its margins make negative sizes.
  const atLeast = (v: number, min: number) => (Number.isFinite(v) ? Math.max(min, v) : min);
  const width = atLeast(options.width, MIN_WIDTH), height = atLeast(options.height, MIN_HEIGHT);
  options = {...options, width, height};
  return frame(options, "svg", (chart) => {
    let current: SVGSVGElement | HTMLElement | null = null;
    return {
      show(talk) {
        current = render({width, height, talk});
        chart.replaceChildren(current);
        return chartIssues(current);
      },
      canImage: () => chartSVG(current) !== null,
      async image(kind, o) {
        if (kind === "svg") return new Blob([exportSVG(render, width, height, o).text], {type: MIME.svg});
        const scale = pngScale(kind);
        const out = exportSVG(render, width, height, o, scale);
        return svgToPNG(out.text, out.width, out.height, scale, chartBackground(o.dark));
      }
    };
  });
}

// ------------------------------------------------------------------ plotly, loaded lazily

export type PlotlySpec = {data: unknown[]; layout?: Record<string, unknown>; config?: Record<string, unknown>};
type PlotlyModule = typeof import("plotly.js-dist-min");

let plotlyPromise: Promise<PlotlyModule> | null = null;
/** Loads plotly once, on first use (never on pages without a plotly figure). */
export function loadPlotly(): Promise<PlotlyModule> {
  plotlyPromise ??= import("plotly.js-dist-min").then((m) => ((m as unknown as {default?: PlotlyModule}).default ?? m) as PlotlyModule);
  return plotlyPromise;
}

const FONT = '-apple-system, BlinkMacSystemFont, "avenir next", avenir, helvetica, "helvetica neue", ubuntu, roboto, noto, "segoe ui", arial, sans-serif';

/** Whether the page shows the dark theme (components/themeScript.js). */
export function pageIsDark(): boolean {
  return typeof document !== "undefined" && document.documentElement.getAttribute("data-theme") === "dark";
}

function plotlyFigure(spec: PlotlySpec, width: number, height: number, talk: boolean, dark = false): PlotlySpec {
  const size = talk ? 20 : 12;
  const layout: Record<string, unknown> = {
    width, height, autosize: false, paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
    font: {family: FONT, size, color: talk ? "#111" : "#222"},
    margin: talk ? {l: 80, r: 30, t: 30, b: 70} : {l: 55, r: 20, t: 20, b: 45},
    ...spec.layout
  };
  if (dark) {
    // On a dark page: the charts' dark background and type, and faint gridlines on every axis.
    const bg = chartBackground(true);
    Object.assign(layout, {paper_bgcolor: bg, plot_bgcolor: bg, font: {...(layout.font as object), color: chartText(true)}});
    for (const k of Object.keys(layout)) {
      if (/^[xy]axis\d*$/.test(k)) layout[k] = {...(layout[k] as object), gridcolor: "#333", linecolor: "#777", zerolinecolor: "#555"};
    }
  }
  const config = {displaylogo: false, responsive: false, modeBarButtonsToRemove: ["toImage", "sendDataToCloud"], ...spec.config};
  return {data: spec.data, layout, config};
}

// Plotly figures to redraw when the reader switches the theme. One observer for the page and
// weak references to the figures: a figure that has left the page is not kept alive by this
// list (a per-figure observer on <html> kept every figure ever drawn, e.g. each of /lab's
// redraws during a run, until the next theme switch). The div holds its entry strongly.
type Themed = {div: HTMLElement; redraw: () => void};
const themed = new Set<WeakRef<Themed>>();
let themeWatch: MutationObserver | null = null;
function watchTheme(div: HTMLElement, redraw: () => void): void {
  const entry: Themed = {div, redraw};
  (div as HTMLElement & {ssmThemed?: Themed}).ssmThemed = entry;
  themed.add(new WeakRef(entry));
  if (themeWatch) return;
  themeWatch = new MutationObserver(() => {
    for (const ref of themed) {
      const e = ref.deref();
      if (!e) themed.delete(ref);
      else if (e.div.isConnected) e.redraw();
    }
  });
  themeWatch.observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});
}

/**
 * A figure frame around a plotly chart (for what SVG charts do poorly: heatmaps with
 * hover, 3D). `spec` returns plotly's {data, layout, config} for a size and style.
 * Exports go through Plotly.toImage; CSV/JSON as for Figure.
 */
export function PlotlyFigure(spec: (o: RenderOptions) => PlotlySpec, options: FigureOptions): HTMLElement {
  const {width, height} = options;
  return frame(options, "plotly", (chart) => {
    const div = document.createElement("div");
    div.className = "ssm-plotly";
    div.style.width = `${width}px`;
    div.style.height = `${height}px`;
    div.textContent = "Loading the plotting library …";
    chart.replaceChildren(div);
    let ready = false, watching = false;
    return {
      async show(talk) {
        const Plotly = await loadPlotly();
        // On screen plotly follows the page's theme (exports below stay light).
        const fig = plotlyFigure(spec({width, height, talk}), width, height, talk, !talk && pageIsDark());
        if (!ready) div.textContent = "";
        if (!watching) {
          watching = true;
          // Redraw when the reader switches the theme (while the figure is on the page).
          watchTheme(div, () => void this.show(chart.parentElement?.hasAttribute("data-talk") ?? false));
        }
        await Plotly.react(div, fig.data, fig.layout, fig.config);
        ready = true;
        return [];
      },
      canImage: () => true,
      async image(kind, o) {
        // Plotly figures take the shape presets; a burned-in title and the dark theme are
        // for SVG charts only (plotly draws its own background and type).
        const talk = o.talk;
        const {width: w, height: hh} = presetSize(o.aspect, width, height);
        const fig = plotlyFigure(spec({width: w, height: hh, talk}), w, hh, talk);
        const Plotly = await loadPlotly();
        if (kind === "svg") {
          const url = await Plotly.toImage({data: fig.data, layout: fig.layout}, {format: "svg", width: w, height: hh});
          const body = url.slice(url.indexOf(",") + 1);
          const text = /;base64,/.test(url.slice(0, url.indexOf(",") + 1)) ? atob(body) : decodeURIComponent(body);
          return new Blob([standaloneSVG(text)], {type: MIME.svg});
        }
        const url = await Plotly.toImage({data: fig.data, layout: fig.layout}, {format: "png", width: w, height: hh, scale: pngScale(kind)});
        return await (await fetch(url)).blob();
      }
    };
  });
}
