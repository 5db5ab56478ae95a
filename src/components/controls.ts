// Controls whose state lives in the URL (docs/design.md, "Components and pages"). Each
// is a Framework input: an element with `.value` that lets the native, bubbling `input`
// event of its <input>/<select> through, so `const delta = view(logSlider("delta", {...}))`
// works. On creation a control reads `?key=` through urlState: a valid value is used; a bad
// one is ignored, the default used, and a warning shown under the control (and listed by
// urlWarnings()). The value is written back with history.replaceState once the control has
// been still for 200 ms (debounced: replaceState costs several ms, so a drag does not pay it on
// every frame; other parameters such as ?backend= are kept).
//
// Markup (for tests and CSS):
//   <div class="ssm-control ssm-control-<kind>" data-key="<key>">
//     <div class="ssm-control-row">
//       <label class="ssm-control-label" for="…">label</label>
//       <input type="range" | <select> | <span class="ssm-control-options">checkboxes</span>
//       <output class="ssm-control-value">current value</output>
//     </div>
//     <div class="ssm-url-warning" role="alert">URL value key=raw ignored: …; using …</div>?
//   </div>
import {formatParam, parseParam, stepDecimals, withParam, type Spec} from "./urlState.js";

export interface UrlWarning {
  key: string;
  raw: string;
  message: string;
  /** the sentence shown under the control */
  text: string;
}

export type Control<T> = HTMLDivElement & {value: T};
export type Option = string | {value: string; label: string};

// The warnings of the controls on this page, by key: a control re-created (its cell re-ran)
// replaces its own entry. This is the only module state besides the URL.
const warnings = new Map<string, UrlWarning>();

/** All URL warnings of the controls created so far on this page, in creation order. */
export function urlWarnings(): UrlWarning[] {
  return [...warnings.values()];
}

export interface SliderOptions {
  label: string;
  min: number;
  max: number;
  /** omitted: any value (step="any") */
  step?: number;
  value: number;
  format?: (x: number) => string;
  url?: boolean;
}

/** A linear slider. */
export function slider(key: string, {label, min, max, step, value, format, url = true}: SliderOptions): Control<number> {
  const spec: Spec = {kind: "number", min, max, step, default: value};
  const fmt = format ?? ((x: number) => (step ? x.toFixed(stepDecimals(step)) : trimNumber(x)));
  const input = el("input", {type: "range", min: String(min), max: String(max), step: step ? String(step) : "any"});
  return build<number>(key, spec, url, "slider", label, input, {
    read: () => Number(input.value),
    show: (x) => { input.value = String(x); },
    text: fmt
  });
}

export interface LogSliderOptions {
  label: string;
  min: number;
  max: number;
  value: number;
  format?: (x: number) => string;
  url?: boolean;
}

/** A slider whose thumb moves in log10 space; values keep 3 significant digits. */
export function logSlider(key: string, {label, min, max, value, format, url = true}: LogSliderOptions): Control<number> {
  if (!(min > 0 && max > min)) throw new Error(`logSlider ${key}: need 0 < min < max, got [${min}, ${max}]`);
  const spec: Spec = {kind: "log", min, max, default: value};
  const lo = Math.log10(min), hi = Math.log10(max);
  const input = el("input", {type: "range", min: String(lo), max: String(hi), step: String((hi - lo) / 1000)});
  return build<number>(key, spec, url, "log-slider", label, input, {
    read: () => Math.min(max, Math.max(min, Number((10 ** Number(input.value)).toPrecision(3)))),
    show: (x) => { input.value = String(Math.log10(x)); },
    text: format ?? formatLog
  });
}

/** 1.0e-3, 0.0316, 0.500, 2.00, 1.0e+4: three significant digits, exponent outside [0.01, 1e4). */
export function formatLog(x: number): string {
  return x !== 0 && (Math.abs(x) < 0.01 || Math.abs(x) >= 1e4) ? x.toExponential(1) : x.toPrecision(3);
}

export interface SelectOptions {
  label: string;
  options: readonly Option[];
  value: string;
  url?: boolean;
}

/** A drop-down; options are strings or {value, label}. */
export function select(key: string, {label, options, value, url = true}: SelectOptions): Control<string> {
  const opts = options.map(normalize);
  const spec: Spec = {kind: "choice", options: opts.map((o) => o.value), default: value};
  const input = el("select", {});
  for (const o of opts) input.appendChild(el("option", {value: o.value})).textContent = o.label;
  return build<string>(key, spec, url, "select", label, input, {
    read: () => input.value,
    show: (v) => { input.value = v; },
    text: null
  });
}

export interface CheckboxesOptions {
  label: string;
  options: readonly Option[];
  value: readonly string[];
  url?: boolean;
}

/** A group of checkboxes; the value is the checked options' values, in option order. */
export function checkboxes(key: string, {label, options, value, url = true}: CheckboxesOptions): Control<string[]> {
  const opts = options.map(normalize);
  const spec: Spec = {kind: "set", options: opts.map((o) => o.value), default: [...value]};
  const group = el("span", {class: "ssm-control-options", role: "group"});
  const boxes = opts.map((o) => {
    const box = el("input", {type: "checkbox", value: o.value});
    const item = group.appendChild(el("label", {class: "ssm-control-option"}));
    item.append(box, " ", o.label);
    return box;
  });
  return build<string[]>(key, spec, url, "checkboxes", label, group, {
    read: () => boxes.filter((b) => b.checked).map((b) => b.value),
    show: (vs) => { for (const b of boxes) b.checked = vs.includes(b.value); },
    text: (vs) => (vs.length ? `${vs.length} of ${opts.length}` : "none"),
    focus: boxes[0]
  });
}

export interface ToggleOptions {
  label: string;
  value: boolean;
  url?: boolean;
}

/** A single on/off checkbox. */
export function toggle(key: string, {label, value, url = true}: ToggleOptions): Control<boolean> {
  const spec: Spec = {kind: "bool", default: value};
  const input = el("input", {type: "checkbox"});
  return build<boolean>(key, spec, url, "toggle", label, input, {
    read: () => input.checked,
    show: (v) => { input.checked = v; },
    text: (v) => (v ? "on" : "off")
  });
}

export interface TextInputOptions {
  label: string;
  value: string;
  /** null when the text is valid, else the reason (shown under the field; the value keeps the last valid text) */
  validate: (s: string) => string | null;
  maxLength?: number;
  placeholder?: string;
  url?: boolean;
}

/**
 * A one-line text field. While the typed text is invalid the control keeps its last valid
 * value and says why under the field; a valid text becomes the value at once.
 */
export function textInput(key: string, {label, value, validate, maxLength = 200, placeholder, url = true}: TextInputOptions): Control<string> {
  const spec: Spec = {kind: "text", maxLength, validate, default: value};
  const input = el("input", {type: "text", maxlength: String(maxLength), spellcheck: "false", autocomplete: "off", ...(placeholder ? {placeholder} : {})});
  let last = value;
  let invalid: HTMLElement | null = null;
  const root = build<string>(key, spec, url, "text", label, input, {
    read: () => {
      const why = input.value.length > maxLength ? `longer than ${maxLength} characters` : validate(input.value);
      invalid?.remove();
      invalid = null;
      if (why == null) return (last = input.value);
      invalid = root.appendChild(el("div", {class: "ssm-text-invalid", role: "status"}));
      invalid.textContent = `Not used: ${why}; still showing ${JSON.stringify(last)}.`;
      return last;
    },
    show: (v) => { input.value = v; last = v; invalid?.remove(); invalid = null; },
    text: null
  });
  return root;
}

interface Widget<T> {
  read(): T;
  show(value: T): void;
  /** the visible value next to the label (null: the widget shows it itself) */
  text: ((value: T) => string) | null;
  /** the element the <label> points at (default: the widget) */
  focus?: HTMLElement;
}

let ids = 0;

function build<T>(key: string, spec: Spec, url: boolean, kind: string, label: string, widget: HTMLElement, w: Widget<T>): Control<T> {
  const root = el("div", {class: `ssm-control ssm-control-${kind}`, "data-key": key}) as Control<T>;
  const row = root.appendChild(el("div", {class: "ssm-control-row"}));
  const id = `ssm-${key.replace(/[^\w-]/g, "_")}-${++ids}`;
  const labelEl = row.appendChild(el("label", {class: "ssm-control-label", id: `${id}-label`}));
  labelEl.textContent = label;
  const target = w.focus ?? widget;
  target.id = id;
  labelEl.htmlFor = id;
  if (w.focus) widget.setAttribute("aria-labelledby", labelEl.id);
  row.appendChild(widget);
  const output = row.appendChild(el("output", {class: "ssm-control-value", for: id}));
  if (!w.text) output.hidden = true;

  // The starting value: the URL's when it is valid, else the default with a warning.
  let value: T = parseParam(null, spec).value as T;
  let warningEl: HTMLElement | null = null;
  warnings.delete(key);
  if (url) {
    const raw = new URLSearchParams(currentSearch()).get(key);
    const parsed = parseParam(raw, spec);
    value = parsed.value as T;
    if (parsed.error != null && raw != null) {
      const shown = Array.isArray(value) ? value.join(", ") || "none" : w.text ? w.text(value) : formatParam(value as never, spec);
      const text = `URL value ${key}=${shorten(raw)} ignored: ${parsed.error}; using ${shown}`;
      warnings.set(key, {key, raw, message: parsed.error, text});
      warningEl = root.appendChild(el("div", {class: "ssm-url-warning", role: "alert"}));
      warningEl.textContent = text;
    }
  }

  const render = (v: T) => {
    w.show(v);
    if (w.text) output.value = output.textContent = w.text(v);
  };
  render(value);

  const write = url ? debouncedWriter(key, spec) : () => {};
  Object.defineProperty(root, "value", {
    get: () => value,
    set: (v: T) => { value = v; render(v); write(v); }
  });
  // Registered before any view() listener on the same element, so .value is current when
  // Framework reads it.
  root.addEventListener("input", () => {
    value = w.read();
    if (w.text) output.value = output.textContent = w.text(value);
    write(value);
    if (warningEl) {
      warningEl.remove();
      warningEl = null;
      warnings.delete(key);
    }
  });
  return root;
}

function debouncedWriter(key: string, spec: Spec, ms = 200): (value: unknown) => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: unknown;
  return (value) => {
    pending = value;
    if (typeof history === "undefined") return;
    if (timer != null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const search = withParam(location.search, key, formatParam(pending as never, spec));
      if (search !== location.search) history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
    }, ms);
  };
}

function currentSearch(): string {
  return typeof location === "undefined" ? "" : location.search;
}

/** A value as quoted in a warning: at most 40 characters (a link can carry thousands). */
function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

function normalize(o: Option): {value: string; label: string} {
  return typeof o === "string" ? {value: o, label: o} : o;
}

function trimNumber(x: number): string {
  const s = x.toPrecision(3);
  return s.includes("e") || !s.includes(".") ? s : s.replace(/\.?0+$/, "");
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}
