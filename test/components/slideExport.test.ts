// Slide-ready exports (components/export.ts): file names that say the preset, the preset
// sizes, title and caption layout, and the composed SVG with both burned in.
import {describe, expect, it} from "vitest";
import {
  ASPECTS, SLIDE_MIN_WIDTH, composeSlideSVG, escapeXML, exportFilename, isAspect, presetSize, slideLayout, standaloneSVG, wrapText
} from "../../src/components/export.js";

const CHART = '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="300" viewBox="0 0 640 300"><path class="ssm-series" d="M0,0L10,10"/></svg>';

describe("exportFilename with presets", () => {
  it("exportFilename(stem, kind, {aspect, dark}) names the preset and the theme of image files", () => {
    expect(exportFilename("Input and output", "png-2", {talk: true, aspect: "16x9"})).toBe("input-and-output-talk-16x9@2x.png");
    expect(exportFilename("fig", "svg", {aspect: "4x3", dark: true})).toBe("fig-4x3-dark.svg");
    expect(exportFilename("fig", "png-1", {aspect: "square"})).toBe("fig-square@1x.png");
    expect(exportFilename("fig", "png-1", {aspect: "shown"})).toBe("fig@1x.png");
  });
  it("exportFilename(stem, csv|json, {aspect, dark}) leaves data files unmarked", () => {
    expect(exportFilename("fig", "csv", {talk: true, aspect: "16x9", dark: true})).toBe("fig.csv");
    expect(exportFilename("fig", "json", {aspect: "square"})).toBe("fig.json");
  });
});

describe("presetSize", () => {
  it("presetSize(aspect, w, h) keeps the figure's size as shown", () => {
    expect(presetSize("shown", 517, 233)).toEqual({width: 517, height: 233});
  });
  it("presetSize(aspect, w, h) gives the exact ratio, at least SLIDE_MIN_WIDTH wide", () => {
    expect(presetSize("16x9", 960, 300)).toEqual({width: 960, height: 540});
    expect(presetSize("4x3", 800, 300)).toEqual({width: 800, height: 600});
    expect(presetSize("square", 700, 300)).toEqual({width: 700, height: 700});
    const narrow = presetSize("16x9", 326, 200);
    expect(narrow.width).toBe(SLIDE_MIN_WIDTH);
    expect(narrow.width / narrow.height).toBeCloseTo(16 / 9, 2);
  });
  it("ASPECTS lists as shown, 16:9, 4:3 and square; isAspect checks names", () => {
    expect(ASPECTS.map((a) => a.id)).toEqual(["shown", "16x9", "4x3", "square"]);
    expect(isAspect("16x9")).toBe(true);
    expect(isAspect("21x9")).toBe(false);
  });
});

describe("slideLayout and composeSlideSVG", () => {
  it("wrapText(s, width, size) breaks between words into lines that fit", () => {
    const lines = wrapText("one two three four five six seven eight nine ten", 100, 12);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join(" ")).toBe("one two three four five six seven eight nine ten");
    for (const l of lines) expect(l.length * 12 * 0.55).toBeLessThanOrEqual(100 + 12 * 6);
    expect(wrapText("  ", 100, 12)).toEqual([]);
  });
  it("slideLayout({aspect: 16x9}) keeps the whole image's size and gives the chart what is left", () => {
    const lay = slideLayout({width: 960, height: 540, title: "Input and output", caption: "The held input, solved exactly.", talk: true, aspect: "16x9"});
    expect(lay.height).toBe(540);
    expect(lay.titleLines).toEqual(["Input and output"]);
    expect(lay.captionLines).toEqual(["The held input, solved exactly."]);
    expect(lay.chartY).toBeGreaterThan(lay.titleSize);
    expect(lay.chartY + lay.chartHeight).toBeLessThan(540);
    expect(lay.chartHeight).toBeGreaterThan(540 * 0.4);
  });
  it("slideLayout({aspect: shown}) keeps the chart's height and adds the title and caption", () => {
    const lay = slideLayout({width: 640, height: 300, title: "T", caption: "C", aspect: "shown"});
    expect(lay.chartHeight).toBe(300);
    expect(lay.height).toBeGreaterThan(300);
  });
  it("slideLayout cuts a caption too long for the slide and keeps 40 % for the chart", () => {
    const caption = Array.from({length: 200}, (_, i) => `word${i}`).join(" ");
    const lay = slideLayout({width: 640, height: 360, title: "A title", caption, talk: true, aspect: "16x9"});
    expect(lay.captionLines.length).toBeLessThanOrEqual(5);
    expect(lay.captionLines[lay.captionLines.length - 1]).toMatch(/…$/);
    expect(lay.chartHeight).toBeGreaterThanOrEqual(360 * 0.4);
  });
  it("slideLayout in talk style uses larger type than on screen", () => {
    const a = slideLayout({width: 640, height: 360, title: "T", aspect: "16x9"});
    const b = slideLayout({width: 640, height: 360, title: "T", talk: true, aspect: "16x9"});
    expect(b.titleSize).toBeGreaterThan(a.titleSize);
  });
  it("composeSlideSVG(chart, layout) burns the title and caption in around the nested chart", () => {
    const lay = slideLayout({width: 960, height: 540, title: "Input & output <y>", caption: "A caption.", talk: true, aspect: "16x9"});
    const svg = standaloneSVG(composeSlideSVG(CHART, lay, {background: "#ffffff", text: "#222"}));
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="960" height="540" viewBox="0 0 960 540"/);
    expect(svg).toContain('<text class="ssm-burned-title"');
    expect(svg).toContain(">Input &amp; output &lt;y&gt;</text>");
    expect(svg).toContain('class="ssm-burned-caption"');
    expect(svg).toContain(">A caption.</text>");
    // The chart is nested below the title at the full width and the height left for it.
    const nested = svg.match(/<svg\b[^>]*viewBox="0 0 640 300"[^>]*>/)![0];
    expect(nested).toContain(`y="${lay.chartY}"`);
    expect(nested).toContain(`height="${lay.chartHeight}"`);
    expect(nested).toContain('width="960"');
    expect(svg).toContain('class="ssm-series"');
    expect(svg.match(/<svg\b/g)!.length).toBe(2);
  });
  it("composeSlideSVG refuses markup that is not an SVG", () => {
    expect(() => composeSlideSVG("<div/>", slideLayout({width: 10, height: 10}))).toThrow(/composeSlideSVG: the chart markup/);
  });
  it("escapeXML(s) escapes the five special characters", () => {
    expect(escapeXML(`a&b<c>"d'`)).toBe("a&amp;b&lt;c&gt;&quot;d&apos;");
  });
});
