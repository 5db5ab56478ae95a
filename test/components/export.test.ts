import {describe, expect, it} from "vitest";
import {
  columnsToRows, csvField, exportFilename, formatNumber, mergeIssues, parseIssuesAttribute, pngScale, pngSize, slugify,
  standaloneSVG, toCSV, toJSON
} from "../../src/components/export.js";

describe("formatNumber", () => {
  it("formatNumber(v) writes the shortest text that reads back the same double", () => {
    for (const v of [0.1, 1 / 3, Math.PI, 1e-300, -2.5e21, 123456789.123456789, 5e-324]) {
      expect(Number(formatNumber(v))).toBe(v);
    }
  });
  it("formatNumber(v) writes NaN and ±Infinity as empty", () => {
    expect(formatNumber(NaN)).toBe("");
    expect(formatNumber(Infinity)).toBe("");
    expect(formatNumber(-Infinity)).toBe("");
  });
});

describe("csvField", () => {
  it("csvField(s) quotes commas, quotes, newlines and edge spaces (RFC 4180)", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField(" padded")).toBe('" padded"');
  });
  it("csvField(v) writes null, undefined and non-finite numbers as empty", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(NaN)).toBe("");
    expect(csvField(-0.5)).toBe("-0.5");
  });
});

describe("toCSV", () => {
  it("toCSV(rows) writes a header of all columns in first-seen order and one line per row", () => {
    const csv = toCSV([{t: 0, y: 1.5}, {t: 1, y: NaN, note: "x,y"}, {t: 2, y: Infinity}]);
    expect(csv).toBe('t,y,note\n0,1.5,\n1,,"x,y"\n2,,\n');
  });
  it("toCSV(named tables) adds a leading table column", () => {
    const csv = toCSV({output: [{t: 0, y: 1}], input: [{t: 0, u: 2}]});
    expect(csv.split("\n")).toEqual(["table,t,y,u", "output,0,1,", "input,0,,2", ""]);
  });
  it("toCSV([]) is an empty header line", () => {
    expect(toCSV([])).toBe("\n");
  });
});

describe("toJSON", () => {
  it("toJSON(data) writes non-finite numbers as null and typed arrays as arrays", () => {
    const back = JSON.parse(toJSON({a: [1, NaN, -Infinity], b: new Float32Array([0.5, NaN]), c: [{y: Infinity}]}));
    expect(back).toEqual({a: [1, null, null], b: [0.5, null], c: [{y: null}]});
  });
  it("toJSON(rows) keeps full double precision", () => {
    expect(JSON.parse(toJSON([{y: 1 / 3}]))[0].y).toBe(1 / 3);
  });
});

describe("columnsToRows", () => {
  it("columnsToRows(columns) zips columns into rows, padding short ones with null", () => {
    expect(columnsToRows({t: [0, 1, 2], y: new Float64Array([5, 6])})).toEqual([{t: 0, y: 5}, {t: 1, y: 6}, {t: 2, y: null}]);
  });
});

describe("filenames", () => {
  it("slugify(title) makes a lowercase ascii stem", () => {
    expect(slugify("Continuous output (A, B)")).toBe("continuous-output-a-b");
    expect(slugify("Δ → Ā: zoh é")).toBe("a-zoh-e");
    expect(slugify("!!!")).toBe("figure");
  });
  it("exportFilename(stem, kind) names PNGs by scale and marks talk style", () => {
    expect(exportFilename("continuous-output", "png-2")).toBe("continuous-output@2x.png");
    expect(exportFilename("continuous-output", "png-1")).toBe("continuous-output@1x.png");
    expect(exportFilename("Continuous output", "png-4", {talk: true})).toBe("continuous-output-talk@4x.png");
    expect(exportFilename("continuous-output", "svg", {talk: true})).toBe("continuous-output-talk.svg");
    expect(exportFilename("continuous-output", "csv", {talk: true})).toBe("continuous-output.csv");
    expect(exportFilename("continuous-output", "json")).toBe("continuous-output.json");
  });
  it("pngScale(kind) reads the scale", () => {
    expect(pngScale("png-1")).toBe(1);
    expect(pngScale("png-4")).toBe(4);
  });
});

describe("standaloneSVG", () => {
  it("standaloneSVG(markup) adds the XML declaration, namespaces and size", () => {
    const s = standaloneSVG('<svg width="10" viewBox="0 0 10 5"><image xlink:href="data:,"/></svg>', {width: 20, height: 10});
    expect(s.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(s).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(s).toContain('xmlns:xlink="http://www.w3.org/1999/xlink"');
    expect(s).toContain('width="20"');
    expect(s).toContain('height="10"');
    expect(s).not.toContain('width="10"');
  });
  it("standaloneSVG(markup) keeps an existing xmlns once", () => {
    const s = standaloneSVG('<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>');
    expect(s.match(/xmlns=/g)).toHaveLength(1);
  });
  it("standaloneSVG(markup) rejects markup that is not an svg", () => {
    expect(() => standaloneSVG("<div></div>")).toThrow(/standaloneSVG/);
  });
});

describe("pngSize", () => {
  it("pngSize(bytes) reads width and height from IHDR", () => {
    const b = new Uint8Array(33);
    b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(b.buffer).setUint32(16, 1280);
    new DataView(b.buffer).setUint32(20, 720);
    expect(pngSize(b)).toEqual({width: 1280, height: 720});
  });
  it("pngSize(bytes) throws on non-PNG bytes", () => {
    expect(() => pngSize(new TextEncoder().encode("<svg></svg> and some more bytes here"))).toThrow(/not a PNG/);
  });
});

describe("issues", () => {
  it("mergeIssues(...) concatenates and deduplicates", () => {
    expect(mergeIssues(["a"], undefined, ["a", "b"], null)).toEqual(["a", "b"]);
  });
  it("parseIssuesAttribute(attr) reads a JSON array or plain text", () => {
    expect(parseIssuesAttribute('["4 NaN values"]')).toEqual(["4 NaN values"]);
    expect(parseIssuesAttribute("plain")).toEqual(["plain"]);
    expect(parseIssuesAttribute(null)).toEqual([]);
  });
});
