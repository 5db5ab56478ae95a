import * as d3 from "d3";
import {describe, expect, it} from "vitest";
import {colorTable} from "../../src/components/charts/Heatmap.js";

describe("colorTable", () => {
  it("colorTable(interp) holds 256 colours equal to the interpolator at i/255, as CSS and RGB bytes", () => {
    const t = colorTable(d3.interpolateViridis);
    expect(t.css).toHaveLength(256);
    expect(t.rgb).toHaveLength(768);
    for (const i of [0, 1, 127, 254, 255]) {
      const c = d3.rgb(d3.interpolateViridis(i / 255));
      expect(t.css[i]).toBe(c.formatHex());
      expect([t.rgb[3 * i], t.rgb[3 * i + 1], t.rgb[3 * i + 2]]).toEqual([c.r, c.g, c.b].map(Math.round));
    }
  });
  it("colorTable caches per interpolator", () => {
    expect(colorTable(d3.interpolateViridis)).toBe(colorTable(d3.interpolateViridis));
  });
});
