import {describe, expect, it} from "vitest";
import {wrap} from "../../src/components/walkDiagram.js";

describe("wrap", () => {
  it("wrap(text, width) breaks at spaces so that no line exceeds width", () => {
    const lines = wrap("recurrence = convolution (S4, S4D)", 14);
    expect(lines).toEqual(["recurrence =", "convolution", "(S4, S4D)"]);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(14);
  });
  it("wrap keeps a word longer than width on its own line and ignores extra spaces", () => {
    expect(wrap("  a   supercalifragilistic b ", 5)).toEqual(["a", "supercalifragilistic", "b"]);
    expect(wrap("", 5)).toEqual([]);
  });
});
