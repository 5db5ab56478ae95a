// Shared scaffolding for the chart components, one concept per file, re-exported here so that
// charts and tests import from one place:
//   theme.ts   screen or talk style, margins, palette, font, dot radius, halo, ChartOptions
//   scales.ts  plottable values, extents, domains, clipping with counts, issue sentences, d3 scales
//   ticks.ts   tick positions and compact labels (linear, log)
//   layout.ts  text widths, legend rows, label placement, densified lines, circle arcs (no DOM)
//   svg.ts     DOM helpers: elements, the chart root, axes, legends, symbols, dashes
// Everything but svg.ts is pure and unit-tested in Node (test/components/charts.test.ts).
// A chart carries its font family on its root and its colours as theme variables with light
// fallbacks (charts/colors.ts), resolved to plain colours on export, so an exported chart is a
// standalone file.
export * from "./theme.js";
export * from "./scales.js";
export * from "./ticks.js";
export * from "./layout.js";
export * from "./svg.js";
