// URL state for controls: parse and format `?key=value` parameters against a spec. Pure (no
// DOM), so every rule here is unit-tested (test/components/urlState.test.ts). A bad value is
// never used: the caller gets the spec's default plus a short message that says what was
// wrong with the value (the key is added by the caller, e.g. controls.ts).

export interface NumberSpec { kind: "number"; min: number; max: number; step?: number; default: number }
/** Positive numbers on a log scale (min > 0). */
export interface LogSpec { kind: "log"; min: number; max: number; default: number }
export interface IntSpec { kind: "int"; min: number; max: number; default: number }
export interface ChoiceSpec { kind: "choice"; options: readonly string[]; default: string }
/** A subset of options, written comma-separated in option order (`a,c`); empty is allowed. */
export interface SetSpec { kind: "set"; options: readonly string[]; default: readonly string[] }
/** `1/true/yes/on` or `0/false/no/off`; a bare `?key` counts as true. */
export interface BoolSpec { kind: "bool"; default: boolean }
/** Free text checked by `validate` (null: valid, else the reason), at most maxLength characters. */
export interface TextSpec { kind: "text"; maxLength: number; validate: (s: string) => string | null; default: string }
export type Spec = NumberSpec | LogSpec | IntSpec | ChoiceSpec | SetSpec | BoolSpec | TextSpec;

export type SpecValue<S extends Spec> =
  S extends SetSpec ? string[] : S extends ChoiceSpec | TextSpec ? string : S extends BoolSpec ? boolean : number;

export interface Parsed<T> { value: T; error?: string }
export interface ParamError { key: string; raw: string; message: string }

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const NON_FINITE = /^[+-]?(inf|infinity|nan)$/i;
const TRUE = new Set(["", "1", "true", "yes", "on"]);
const FALSE = new Set(["0", "false", "no", "off"]);

/** Parses one raw URL value (null: absent → default, no error). */
export function parseParam<S extends Spec>(raw: string | null, spec: S): Parsed<SpecValue<S>>;
export function parseParam(raw: string | null, spec: Spec): Parsed<number | string | string[] | boolean> {
  const fallback = defaultOf(spec);
  if (raw == null) return {value: fallback};
  const bad = (error: string) => ({value: fallback, error});
  const text = raw.trim();
  switch (spec.kind) {
    case "number":
    case "log":
    case "int": {
      if (NON_FINITE.test(text)) return bad(`${quote(raw)} is not a finite number`);
      if (!NUMBER.test(text)) return bad(`${quote(raw)} is not a number`);
      let x = Number(text);
      if (!Number.isFinite(x)) return bad(`${quote(raw)} is not a finite number`);
      // 1e-400 parses to 0 (below the smallest double): refuse it rather than use 0 silently.
      if (x === 0 && /[1-9]/.test(text.replace(/e.*$/i, ""))) return bad(`${quote(raw)} is too small to represent (it would be 0)`);
      if (spec.kind === "int" && !Number.isInteger(x)) return bad(`${text} is not an integer`);
      if (x < spec.min || x > spec.max) return bad(`${text} is outside [${spec.min}, ${spec.max}]`);
      if (spec.kind === "number" && spec.step != null && spec.step > 0) {
        const k = (x - spec.min) / spec.step;
        if (Math.abs(k - Math.round(k)) > 1e-6) return bad(`${text} is not on the slider's steps (${spec.min} + k·${spec.step})`);
        x = snap(x, spec);
      }
      return {value: x};
    }
    case "choice":
      return spec.options.includes(text) ? {value: text} : bad(`${quote(raw)} is not one of ${spec.options.join(", ")}`);
    case "set": {
      if (text === "") return {value: []};
      const items = text.split(",").map((s) => s.trim());
      const unknown = items.filter((s) => !spec.options.includes(s));
      if (unknown.length) return bad(`${unknown.map(quote).join(", ")} ${unknown.length > 1 ? "are" : "is"} not one of ${spec.options.join(", ")}`);
      return {value: spec.options.filter((o) => items.includes(o))};
    }
    case "bool": {
      const t = text.toLowerCase();
      if (TRUE.has(t)) return {value: true};
      if (FALSE.has(t)) return {value: false};
      return bad(`${quote(raw)} is not a yes/no value (use 1 or 0)`);
    }
    case "text": {
      if (raw.length > spec.maxLength) return bad(`the text is longer than ${spec.maxLength} characters`);
      const why = spec.validate(raw);
      return why == null ? {value: raw} : bad(why);
    }
  }
}

/** Formats a value compactly; parseParam(formatParam(v, spec), spec).value equals v. */
export function formatParam<S extends Spec>(value: SpecValue<S>, spec: S): string;
export function formatParam(value: number | string | readonly string[] | boolean, spec: Spec): string {
  switch (spec.kind) {
    case "number":
      return compactNumber(spec.step ? snap(value as number, spec) : (value as number));
    case "log":
    case "int":
      return compactNumber(value as number);
    case "choice":
    case "text":
      return String(value);
    case "set": {
      const set = value as readonly string[];
      return spec.options.filter((o) => set.includes(o)).join(",");
    }
    case "bool":
      return value ? "1" : "0";
  }
}

/** Reads every key of `specs` from a query string (`?a=1&b=2` or `a=1&b=2`). */
export function readParams<T extends Record<string, Spec>>(search: string, specs: T):
  {values: {[K in keyof T]: SpecValue<T[K]>}; errors: ParamError[]} {
  const params = new URLSearchParams(search);
  const values = {} as {[K in keyof T]: SpecValue<T[K]>};
  const errors: ParamError[] = [];
  for (const key of Object.keys(specs) as (keyof T & string)[]) {
    const raw = params.get(key);
    const {value, error} = parseParam(raw, specs[key]);
    values[key] = value as SpecValue<T[typeof key]>;
    if (error != null) errors.push({key, raw: raw!, message: error});
  }
  return {values, errors};
}

/**
 * Returns `search` with `key` set to `formatted` (or removed when null), other parameters
 * kept in place; commas stay readable. Result starts with "?" or is "" when empty.
 */
export function withParam(search: string, key: string, formatted: string | null): string {
  const params = new URLSearchParams(search);
  if (formatted == null) params.delete(key);
  else params.set(key, formatted);
  const s = params.toString().replace(/%2C/gi, ",");
  return s ? `?${s}` : "";
}

/** The spec's default, copied (sets) so callers may not alias it. */
export function defaultOf(spec: Spec): number | string | string[] | boolean {
  return spec.kind === "set" ? [...spec.default] : spec.default;
}

/** Decimal places of a step (0.25 → 2, 1e-3 → 3, 5 → 0). */
export function stepDecimals(step: number): number {
  const [mantissa, exp] = String(step).toLowerCase().split("e");
  const frac = (mantissa.split(".")[1] ?? "").length;
  return Math.max(0, frac - (exp ? Number(exp) : 0));
}

function snap(x: number, spec: NumberSpec): number {
  const step = spec.step!;
  const k = Math.round((x - spec.min) / step);
  const y = Math.min(spec.max, Math.max(spec.min, spec.min + k * step));
  return Number(y.toFixed(Math.min(20, stepDecimals(step) + stepDecimals(spec.min))));
}

function compactNumber(x: number): string {
  // Shortest text that parses back to the same double; Object.is keeps -0 apart.
  if (Object.is(x, -0)) return "0";
  return String(x).replace("e+", "e");
}

function quote(s: string): string {
  const t = s.length > 40 ? `${s.slice(0, 37)}…` : s;
  return JSON.stringify(t);
}
