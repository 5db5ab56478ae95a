// Picking a point on a chart: a pointer press or drag on the plot area, or the arrow keys
// when the chart has focus, report a new (x, y) in data units through `onPick`. The page
// owns the value (it moves its controls, which mirror the URL); the chart only reports.
//
// Pages redraw a chart by replacing it, so a drag outlives the element it started on: the
// move listeners sit on the window for the length of the drag, and each move is mapped
// through whichever chart with the same `id` is in the document now (its mapping is kept on
// the element). Focus moves to the new chart when the old one had it, so the arrow keys go on
// working across redraws.

export interface PickOptions {
  /** names the chart across redraws (one per page) */
  id: string;
  /** the point being moved, in data units */
  x: number;
  y: number;
  /** arrow-key step in data units (Shift: ×10) */
  step: number;
  /**
   * the point as the page holds it now (its controls), read on each arrow key: a key repeat
   * can come before the chart has been redrawn with the last step, and `x`, `y` are then stale
   */
  current?: () => [number, number];
  /** accessible name, e.g. "eigenvalue λ: drag it, or use the arrow keys" */
  label: string;
  onPick: (x: number, y: number) => void;
}

/** Data → plot mapping of a chart: the plot box in SVG user units and its data domain. */
export interface PickMapping { x0: number; y0: number; w: number; h: number; xDomain: [number, number]; yDomain: [number, number] }

/** The chart (by id) that has the focus: the chart that replaces it takes the focus over. */
let focusNext: string | null = null;

/** The drag in progress: its chart id and the mapping it started with (the chart keeps that domain until it ends). */
let dragging: {id: string; mapping: PickMapping} | null = null;

/** The mapping a drag on chart `id` started with, while it lasts: redraws keep its domain, so the point stays under the pointer. */
export function frozenMapping(id: string): PickMapping | null {
  return dragging?.id === id ? dragging.mapping : null;
}

/** Data coordinates of a pointer event over `svg` (SVG user units through its viewBox). */
export function pointerToData(m: PickMapping, px: number, py: number): [number, number] {
  const fx = (px - m.x0) / m.w, fy = (py - m.y0) / m.h;
  return [m.xDomain[0] + fx * (m.xDomain[1] - m.xDomain[0]), m.yDomain[1] - fy * (m.yDomain[1] - m.yDomain[0])];
}

/** The new point after an arrow key (null for other keys). */
export function keyStep(key: string, shift: boolean, x: number, y: number, step: number): [number, number] | null {
  const s = shift ? 10 * step : step;
  switch (key) {
    case "ArrowLeft": return [x - s, y];
    case "ArrowRight": return [x + s, y];
    case "ArrowUp": return [x, y + s];
    case "ArrowDown": return [x, y - s];
    default: return null;
  }
}

/** Makes `svg` pickable with `area` (an element covering the plot box) as the press target. */
export function makePickable(svg: SVGSVGElement, area: SVGElement, mapping: PickMapping, o: PickOptions): void {
  const state = svg as SVGSVGElement & {pickMapping?: PickMapping};
  state.pickMapping = mapping;
  svg.setAttribute("data-pick", o.id);
  svg.setAttribute("tabindex", "0");
  svg.setAttribute("aria-label", o.label);
  area.style.touchAction = "none";
  area.setAttribute("cursor", "crosshair");
  const current = () => (document.querySelector(`svg[data-pick="${CSS.escape(o.id)}"]`) as typeof state | null) ?? state;
  const report = (e: PointerEvent) => {
    const el = current(), m = el.pickMapping ?? mapping, rect = el.getBoundingClientRect(), vb = el.viewBox.baseVal;
    const sx = vb && vb.width ? vb.width / rect.width : 1, sy = vb && vb.height ? vb.height / rect.height : 1;
    const [x, y] = pointerToData(m, (e.clientX - rect.left) * sx, (e.clientY - rect.top) * sy);
    if (Number.isFinite(x) && Number.isFinite(y)) o.onPick(x, y);
  };
  area.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    dragging = {id: o.id, mapping};
    report(e);
    const move = (ev: PointerEvent) => report(ev);
    const up = () => { dragging = null; window.removeEventListener("pointermove", move); window.removeEventListener("pointerup", up); window.removeEventListener("pointercancel", up); };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", up);
  });
  svg.addEventListener("keydown", (e) => {
    const [x, y] = o.current?.() ?? [o.x, o.y];
    const next = keyStep(e.key, e.shiftKey, x, y, o.step);
    if (!next) return;
    e.preventDefault();
    o.onPick(next[0], next[1]);
  });
  // Focus is handed over when the chart is replaced, and dropped when the reader moves it elsewhere
  // (a blur while the chart is still in the document; removal blurs a detached chart, or not at all).
  svg.addEventListener("focus", () => { focusNext = o.id; });
  svg.addEventListener("blur", () => { if (svg.isConnected && focusNext === o.id) focusNext = null; });
  if (focusNext === o.id) {
    const take = (tries: number) => {
      if (svg.isConnected) svg.focus({preventScroll: true}); else if (tries > 0) requestAnimationFrame(() => take(tries - 1));
    };
    queueMicrotask(() => take(10));
  }
}
