// The page kit: what every page starts with, so a new page begins in a few lines.
//
//   const {backend, badge} = await startPage();   display(badge);
//   display(urlNotice());                            // refused URL values, after the controls
//   const inputIn = inputSelect("input", {value: "sine"});
//   display(Readout(["main sentence"], {details: "timings, backend, tensors"}));
//   display(orNotice(() => Figure(…), "Figure 1"));  // a notice in the figure's place if it throws
//
// It wires the runtime (backend choice) to components (badge, controls, notices); the math
// stays in kernels/ and lessons/.
import {initBackend, type BackendReport} from "../runtime/backend.js";
import {BackendBadge} from "./backendBadge.js";
import {select, urlWarnings, type Control, type Option} from "./controls.js";
import {Notice, type NoticeItem} from "./notice.js";

/** Chooses the backend (honouring ?backend=) and returns it with its badge. */
export async function startPage(): Promise<{backend: BackendReport; badge: HTMLElement}> {
  const backend = await initBackend(new URLSearchParams(location.search).get("backend"));
  return {backend, badge: BackendBadge(backend)};
}

/**
 * A notice listing every part of the link that was not used: parts the link guard dropped
 * before the page loaded (malformed percent-encoding, tfjsflags, repeated keys:
 * runtime/urlGuard.js) and values the page's controls refused. Empty and hidden when none.
 */
export function urlNotice(extra: readonly NoticeItem[] = []): HTMLElement {
  const guard = ((globalThis as {__ssmUrlNotes?: {key: string; text: string}[]}).__ssmUrlNotes ?? [])
    .map((n) => ({level: "warn" as const, text: `Part of the link was ignored: ${n.text}.`}));
  return Notice([...guard, ...urlWarnings().map((w) => ({level: "warn" as const, text: w.text})), ...extra]);
}

/** The site's input signals: five synthetic ones and two real series (src/data/series.json.js). */
export const INPUT_OPTIONS: readonly {value: string; label: string}[] = [
  {value: "step", label: "step"}, {value: "impulse", label: "impulse"}, {value: "sine", label: "sine"},
  {value: "square", label: "square"}, {value: "noise", label: "noise (seeded)"},
  {value: "co2", label: "real: CO₂ at Mauna Loa"}, {value: "seattle", label: "real: Seattle temperature"}
];

/** Inputs that are real series (their values come from data/series.json). */
export const SERIES_INPUTS: readonly string[] = ["co2", "seattle"];

export interface InputSelectOptions {
  value: string;
  label?: string;
  /** options before the standard ones (a page's own input, e.g. "two tones") */
  first?: readonly Option[];
  /** standard options to leave out */
  omit?: readonly string[];
  /** other labels for standard options, by value */
  labels?: Readonly<Record<string, string>>;
}

/** The input picker every page shares, mirrored in the URL under `key`. */
export function inputSelect(key: string, {value, label = "input u(t)", first = [], omit = [], labels = {}}: InputSelectOptions): Control<string> {
  const options = [...first, ...INPUT_OPTIONS.filter((o) => !omit.includes(o.value)).map((o) => ({value: o.value, label: labels[o.value] ?? o.label}))];
  return select(key, {label, value, options});
}

/** The signal kind of an input value ("series" for the real series) for lessons/signals.ts. */
export function signalKind(input: string): string {
  return SERIES_INPUTS.includes(input) ? "series" : input;
}

/**
 * A readout line under a figure: the sentence that teaches, and a collapsed details line for
 * what only a curious reader or a test needs (timings, the backend, tensors alive).
 * `data` becomes data-* attributes (numbers for tests); `summary` names the collapsed line.
 */
export function Readout(main: readonly (string | Node)[], {details, summary = "details", data = {}, className = ""}: {details?: string; summary?: string; data?: Record<string, unknown>; className?: string} = {}): HTMLElement {
  const root = document.createElement("div");
  root.className = `ssm-readout${className ? ` ${className}` : ""}`;
  const p = root.appendChild(document.createElement("p"));
  p.className = "ssm-readout-main";
  p.append(...main);
  if (details) {
    const d = root.appendChild(document.createElement("details"));
    d.className = "ssm-readout-details";
    d.appendChild(document.createElement("summary")).textContent = summary;
    d.append(details);
  }
  for (const [k, v] of Object.entries(data)) root.dataset[k] = typeof v === "string" ? v : JSON.stringify(v);
  return root;
}

/**
 * A figure (or any node) that may fail to build: `make()`'s node, or, when it throws, a
 * notice in its place that says what could not be drawn and why (logged as a warning, so a
 * bad value never leaves a blank page or a cell error behind).
 */
export function orNotice(make: () => Node, what = "This figure"): Node {
  try {
    return make();
  } catch (e) {
    console.warn(`${what} could not be drawn:`, e);
    return Notice([{level: "error", text: `${what} could not be drawn: ${(e as Error)?.message ?? String(e)}`}]);
  }
}

/**
 * Sets controls from code (a drag on a chart, a preset) as if the reader had moved them: each
 * value is shown and mirrored in the URL, then an `input` event lets the page recompute.
 */
export function setControls(values: readonly (readonly [Control<unknown>, unknown])[]): void {
  for (const [c, v] of values) {
    if (Object.is(c.value, v)) continue;
    c.value = v;
    c.dispatchEvent(new Event("input", {bubbles: true}));
  }
}
