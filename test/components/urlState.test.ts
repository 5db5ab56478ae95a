import {describe, expect, it} from "vitest";
import {formatParam, parseParam, readParams, stepDecimals, withParam, type Spec} from "../../src/components/urlState.js";

const num = {kind: "number", min: 0, max: 1, step: 0.01, default: 0.5} as const;
const free = {kind: "number", min: -5, max: 5, default: 1} as const;
const log = {kind: "log", min: 1e-4, max: 10, default: 0.1} as const;
const int = {kind: "int", min: 1, max: 64, default: 8} as const;
const choice = {kind: "choice", options: ["zoh", "bilinear", "euler"], default: "zoh"} as const;
const set = {kind: "set", options: ["a", "b", "c"], default: ["a", "c"]} as const;
const bool = {kind: "bool", default: false} as const;

describe("parseParam", () => {
  it("parseParam(null, spec) gives the default with no error, for every kind", () => {
    for (const spec of [num, free, log, int, choice, set, bool] as Spec[]) {
      expect(parseParam(null, spec)).toEqual({value: spec.default});
    }
  });

  it("number: accepts values in range and on the step grid", () => {
    expect(parseParam("0.25", num)).toEqual({value: 0.25});
    expect(parseParam("1", num)).toEqual({value: 1});
    expect(parseParam("0.3", num).value).toBe(0.3);
    expect(parseParam("-2.5e0", free)).toEqual({value: -2.5});
    expect(parseParam(".5", free)).toEqual({value: 0.5});
  });

  it("number: rejects malformed, non-finite, out-of-range and off-step values with a message", () => {
    expect(parseParam("abc", num)).toEqual({value: 0.5, error: '"abc" is not a number'});
    expect(parseParam("", num)).toEqual({value: 0.5, error: '"" is not a number'});
    expect(parseParam("0x10", free).error).toBe('"0x10" is not a number');
    expect(parseParam("1,5", free).error).toBe('"1,5" is not a number');
    expect(parseParam("NaN", free)).toEqual({value: 1, error: '"NaN" is not a finite number'});
    expect(parseParam("-Infinity", free).error).toBe('"-Infinity" is not a finite number');
    expect(parseParam("1e999", free).error).toBe('"1e999" is not a finite number');
    expect(parseParam("2", num)).toEqual({value: 0.5, error: "2 is outside [0, 1]"});
    expect(parseParam("0.123", num).error).toMatch(/^0\.123 is not on the slider's steps/);
  });

  it("log: positive values inside [min, max]; zero and negatives are outside", () => {
    expect(parseParam("1e-3", log)).toEqual({value: 0.001});
    expect(parseParam("0.00123", log)).toEqual({value: 0.00123});
    expect(parseParam("20", log)).toEqual({value: 0.1, error: "20 is outside [0.0001, 10]"});
    expect(parseParam("0", log).error).toBe("0 is outside [0.0001, 10]");
    expect(parseParam("-1", log).error).toBe("-1 is outside [0.0001, 10]");
  });

  it("int: integers only", () => {
    expect(parseParam("16", int)).toEqual({value: 16});
    expect(parseParam("2.5", int)).toEqual({value: 8, error: "2.5 is not an integer"});
    expect(parseParam("0", int).error).toBe("0 is outside [1, 64]");
    expect(parseParam("eight", int).error).toBe('"eight" is not a number');
  });

  it("choice: one of the options, case-sensitive", () => {
    expect(parseParam("bilinear", choice)).toEqual({value: "bilinear"});
    expect(parseParam("ZOH", choice)).toEqual({value: "zoh", error: '"ZOH" is not one of zoh, bilinear, euler'});
    expect(parseParam("<script>", choice).error).toBe('"<script>" is not one of zoh, bilinear, euler');
  });

  it("set: comma-separated subset, returned in option order, empty allowed", () => {
    expect(parseParam("c,a", set)).toEqual({value: ["a", "c"]});
    expect(parseParam("b", set)).toEqual({value: ["b"]});
    expect(parseParam("", set)).toEqual({value: []});
    expect(parseParam("a,a", set)).toEqual({value: ["a"]});
    expect(parseParam("a,x", set)).toEqual({value: ["a", "c"], error: '"x" is not one of a, b, c'});
    expect(parseParam("x,y", set).error).toBe('"x", "y" are not one of a, b, c');
  });

  it("set: the default is copied, never aliased", () => {
    const v = parseParam(null, set).value;
    v.push("b");
    expect(set.default).toEqual(["a", "c"]);
  });

  it("bool: 1/true/yes/on, 0/false/no/off, bare key is true", () => {
    for (const t of ["1", "true", "YES", "on", ""]) expect(parseParam(t, bool)).toEqual({value: true});
    for (const f of ["0", "false", "No", "off"]) expect(parseParam(f, bool)).toEqual({value: false});
    expect(parseParam("maybe", bool)).toEqual({value: false, error: '"maybe" is not a yes/no value (use 1 or 0)'});
  });

  it("long raw values are shortened in the message", () => {
    expect(parseParam("x".repeat(100), choice).error!.length).toBeLessThan(80);
  });
});

describe("formatParam", () => {
  it("formatParam is compact", () => {
    expect(formatParam(0.25, num)).toBe("0.25");
    expect(formatParam(0.30000000000000004, num)).toBe("0.3");
    expect(formatParam(0.001, log)).toBe("0.001");
    expect(formatParam(1e-7, {kind: "log", min: 1e-9, max: 1, default: 1})).toBe("1e-7");
    expect(formatParam(1e21, {kind: "number", min: 0, max: 1e22, default: 0})).toBe("1e21");
    expect(formatParam(16, int)).toBe("16");
    expect(formatParam(["c", "a"], set)).toBe("a,c");
    expect(formatParam([], set)).toBe("");
    expect(formatParam(true, bool)).toBe("1");
    expect(formatParam(false, bool)).toBe("0");
    expect(formatParam("euler", choice)).toBe("euler");
  });

  it("formatParam round-trips through parseParam for every kind", () => {
    const cases: [unknown, Spec][] = [
      [0, num], [0.01, num], [0.57, num], [1, num], [-4.75, free], [Math.PI, free],
      [1e-4, log], [0.00126, log], [10, log], [0.123456789, log],
      [1, int], [64, int], ["bilinear", choice], [["b"], set], [[], set], [["a", "b", "c"], set],
      [true, bool], [false, bool]
    ];
    for (const [v, spec] of cases) {
      const text = formatParam(v as never, spec);
      const back = parseParam(text, spec);
      expect(back.error, `${text} (${spec.kind})`).toBeUndefined();
      expect(back.value).toEqual(v);
    }
  });
});

describe("readParams", () => {
  const specs = {delta: log, method: choice, n: int, show: set, grid: bool};

  it("readParams reads every key, defaults the absent ones, ignores unknown keys", () => {
    const {values, errors} = readParams("?delta=0.01&method=euler&backend=wasm&grid", specs);
    expect(values).toEqual({delta: 0.01, method: "euler", n: 8, show: ["a", "c"], grid: true});
    expect(errors).toEqual([]);
  });

  it("readParams reports each bad value with its key and raw text", () => {
    const {values, errors} = readParams("delta=abc&n=100&show=a%2Cz", specs);
    expect(values).toEqual({delta: 0.1, method: "zoh", n: 8, show: ["a", "c"], grid: false});
    expect(errors).toEqual([
      {key: "delta", raw: "abc", message: '"abc" is not a number'},
      {key: "n", raw: "100", message: "100 is outside [1, 64]"},
      {key: "show", raw: "a,z", message: '"z" is not one of a, b, c'}
    ]);
  });

  it("readParams decodes percent-escapes before parsing", () => {
    expect(readParams("?method=%3Cb%3E", specs).errors[0].raw).toBe("<b>");
  });
});

describe("withParam", () => {
  it("withParam sets one key and keeps the others in place", () => {
    expect(withParam("?backend=wasm&delta=0.1", "delta", "0.2")).toBe("?backend=wasm&delta=0.2");
    expect(withParam("?backend=wasm", "show", "a,c")).toBe("?backend=wasm&show=a,c");
    expect(withParam("", "n", "4")).toBe("?n=4");
  });

  it("withParam(search, key, null) removes the key, and returns '' when nothing is left", () => {
    expect(withParam("?n=4&backend=cpu", "n", null)).toBe("?backend=cpu");
    expect(withParam("?n=4", "n", null)).toBe("");
  });
});

describe("stepDecimals", () => {
  it("stepDecimals counts decimal places, exponents included", () => {
    expect(stepDecimals(1)).toBe(0);
    expect(stepDecimals(0.25)).toBe(2);
    expect(stepDecimals(1e-3)).toBe(3);
    expect(stepDecimals(1e-7)).toBe(7);
    expect(stepDecimals(2.5e-7)).toBe(8);
  });
});

describe("text values", () => {
  const text = {kind: "text", maxLength: 12, validate: (s: string) => (/^[0-9 ~]*$/.test(s) ? null : "only digits 0–9 and ~"), default: "1 2 3"} as const;
  it("parseParam(raw, text) keeps a valid text as it is and refuses an invalid or too long one with the validator's reason", () => {
    expect(parseParam(null, text)).toEqual({value: "1 2 3"});
    expect(parseParam("7 ~3 5", text)).toEqual({value: "7 ~3 5"});
    expect(parseParam("7 x 5", text)).toEqual({value: "1 2 3", error: "only digits 0–9 and ~"});
    expect(parseParam("1 2 3 4 5 6 7", text)).toEqual({value: "1 2 3", error: "the text is longer than 12 characters"});
    expect(formatParam("7 ~3", text)).toBe("7 ~3");
  });
});
