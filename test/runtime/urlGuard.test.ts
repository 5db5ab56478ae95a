// The link guard (src/runtime/urlGuard.js) and the URL parser (components/urlState.ts) against
// a table of hostile inputs: mangled links from chat clients and slides, crafted ones, and
// plain garbage. The guard keeps what is sound, drops the rest with a note; the parser refuses
// bad values with a message and the default. Nothing throws.
import {describe, expect, it} from "vitest";
import {sanitizeSearch, urlGuardScript} from "../../src/runtime/urlGuard.js";
import {parseParam, readParams, type Spec} from "../../src/components/urlState.js";

const HOSTILE: [string, string, string[]][] = [
  // [search, search kept, keys noted]
  ["?sigma=%", "", ["sigma"]],
  ["?x=100%", "", ["x"]],
  ["?x=100%&delta=0.1", "?delta=0.1", ["x"]],
  ["?%=1&sigma=-0.3", "?sigma=-0.3", ["%"]],
  ["?sigma=%zz", "", ["sigma"]],
  ["?sigma=%E0%A4%A", "", ["sigma"]],               // a truncated UTF-8 sequence
  ["?tfjsflags=DEBUG:true", "", ["tfjsflags"]],
  ["?tfjsflags=garbage&sigma=1", "?sigma=1", ["tfjsflags"]],
  ["?TFJSFLAGS=WEBGL_FORCE_F16_TEXTURES:true", "", ["tfjsflags"]],
  ["?tfjs%66lags=DEBUG:true", "", ["tfjsflags"]],   // the name percent-encoded
  ["?sigma=1&sigma=2", "?sigma=1", ["sigma"]],
  ["?a=1&&b=2&", "?a=1&b=2", []],
  ["?", "", []],
  ["", "", []],
  ["?sigma", "?sigma", []],
  ["?sigma=", "?sigma=", []],
  ["?ω=2&σ=%CF%83", "?ω=2&σ=%CF%83", []],           // unicode keys and values are fine
  ["?x=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "?x=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", []],
  [`?sigma=${"9".repeat(5000)}`, `?sigma=${"9".repeat(5000)}`, []]
];

describe("sanitizeSearch (the link guard)", () => {
  it.each(HOSTILE)("sanitizeSearch(%j) keeps what is sound", (search, kept, noted) => {
    const r = sanitizeSearch(search);
    expect(r.search).toBe(kept);
    expect(r.notes.map((n) => n.key)).toEqual(noted);
    for (const n of r.notes) expect(n.text.length).toBeLessThan(200); // a long value is never quoted whole
    // What is kept always decodes.
    expect(() => new URLSearchParams(r.search).forEach(() => {})).not.toThrow();
    for (const part of r.search.slice(1).split("&").filter(Boolean)) expect(() => decodeURIComponent(part)).not.toThrow();
  });
  it("urlGuardScript() is a self-contained classic script that applies sanitizeSearch", () => {
    const src = urlGuardScript();
    expect(src).not.toMatch(/\bexport\b|\bimport\b/);
    const calls: string[] = [];
    const location = {search: "?sigma=%&delta=0.1", pathname: "/continuous", hash: "#x"};
    const window: Record<string, unknown> = {};
    const history = {state: null, replaceState: (_s: unknown, _t: string, url: string) => calls.push(url)};
    new Function("location", "window", "history", src)(location, window, history);
    expect(calls).toEqual(["/continuous?delta=0.1#x"]);
    expect((window.__ssmUrlNotes as {key: string}[]).map((n) => n.key)).toEqual(["sigma"]);
  });
});

describe("parseParam on hostile values", () => {
  const number: Spec = {kind: "number", min: -2, max: 1, step: 0.01, default: -0.25};
  const log: Spec = {kind: "log", min: 1e-4, max: 10, default: 0.1};
  const choice: Spec = {kind: "choice", options: ["a", "b"], default: "a"};
  it.each([
    ["1e-400", log, /too small to represent/],
    ["1e-400", number, /too small to represent/],
    ["-0e0", number, null],
    ["0x10", number, /is not a number/],
    ["1,5", number, /is not a number/],
    ["Infinity", number, /not a finite number/],
    ["NaN", log, /not a finite number/],
    ["1e309", number, /not a finite number/],
    ["  5 ", number, /outside/],
    ["9".repeat(5000), number, /(not a finite number|outside)/],
    ["<img src=x onerror=alert(1)>", choice, /is not one of a, b/],
    ["\"><script>alert(1)</script>", number, /is not a number/],
    ["javascript:alert(1)", choice, /is not one of/],
    ["a\u0000", choice, /is not one of/],
    ["", number, /is not a number/]
  ] as [string, Spec, RegExp | null][])("parseParam(%j) is refused with a message, the default used", (raw, spec, message) => {
    const r = parseParam(raw, spec);
    if (message == null) { expect(r.error).toBeUndefined(); return; }
    expect(r.error).toMatch(message);
    expect(r.value).toEqual(spec.default);
    expect(r.error!.length).toBeLessThan(120); // quotes at most a few dozen characters
  });
  it("readParams never throws, whatever the search string", () => {
    for (const [search] of HOSTILE) expect(() => readParams(search, {sigma: number, x: choice})).not.toThrow();
  });
});
