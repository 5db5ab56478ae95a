// logLogSpec: the plotly spec of the /lab figures (log axes, slopes in the legend, one colour per group).
import {describe, expect, it} from "vitest";
import {logLogSpec} from "../../src/components/charts/LogLogPlot.js";

describe("logLogSpec", () => {
  const series = [
    {label: "a · cpu", group: "a", style: "solid" as const, symbol: "x", points: [{L: 64, y: 1}, {L: 256, y: 4}], slope: 1},
    {label: "a · JS", group: "a", style: "dot" as const, points: [{L: 64, y: 0.1}], slope: null},
    {label: "b <i>", group: "b", style: "dash" as const, points: [{L: 64, y: 2}], slope: 2}];
  const spec = logLogSpec(series, {width: 800, height: 400, talk: false, yLabel: "ms", unit: "ms", marks: [{L: 100, text: "cross"}]});

  it("logLogSpec draws every series on log axes with its slope in the legend", () => {
    expect(spec.layout.xaxis.type).toBe("log");
    expect(spec.layout.yaxis.type).toBe("log");
    const data = spec.data as any[];
    expect(data.map((d) => d.name)).toEqual(["a · cpu (slope 1.00)", "a · JS", "b <i> (slope 2.00)", undefined]);
    expect(data[0].x).toEqual([64, 256]);
    expect(data[0].line.color).toBe(data[1].line.color);
    expect(data[0].line.color).not.toBe(data[2].line.color);
    expect(data[2].hovertemplate).toContain("b &lt;i>");
  });

  it("logLogSpec puts crossover marks at the lowest time, outside the legend, and the legend below on narrow figures", () => {
    const mark = (spec.data as any[])[3];
    expect(mark).toMatchObject({x: [100], y: [0.1], showlegend: false});
    const narrow = logLogSpec(series, {width: 390, height: 500, talk: false, yLabel: "ms", unit: "ms"});
    expect(narrow.layout.legend.orientation).toBe("h");
  });
});
