import {describe, expect, it} from "vitest";
import {complexTex, matrixTex, num, texSource, texToString, vectorTex} from "../../src/components/tex.js";

// A template tag that captures its arguments, to test texSource like tex`...` calls it.
const capture = (strings: TemplateStringsArray, ...values: unknown[]) => texSource(strings, values);

describe("num", () => {
  it("num(x) gives 3 significant digits without trailing zeros", () => {
    expect(num(0.1)).toBe("0.1");
    expect(num(1 / 3)).toBe("0.333");
    expect(num(-2 / 3)).toBe("-0.667");
    expect(num(2.5)).toBe("2.5");
    expect(num(0.0012345)).toBe("0.00123");
    expect(num(1 / 3, 5)).toBe("0.33333");
  });

  it("num(x) keeps integers exact and zero plain", () => {
    expect(num(0)).toBe("0");
    expect(num(-0)).toBe("0");
    expect(num(42)).toBe("42");
    expect(num(-7)).toBe("-7");
  });

  it("num(x) switches to scientific notation for tiny and huge values", () => {
    expect(num(1.2345e-5)).toBe("1.23 \\times 10^{-5}");
    expect(num(1e-7)).toBe("1 \\times 10^{-7}");
    expect(num(12345.6)).toBe("1.23 \\times 10^{4}");
    expect(num(9999.9)).toBe("1 \\times 10^{4}");
    expect(num(3e9)).toBe("3 \\times 10^{9}");
  });

  it("num(x) shows NaN and infinities visibly", () => {
    expect(num(NaN)).toBe("\\text{NaN}");
    expect(num(Infinity)).toBe("\\infty");
    expect(num(-Infinity)).toBe("-\\infty");
  });
});

describe("matrixTex, vectorTex, complexTex", () => {
  it("matrixTex(M) writes a bmatrix row by row", () => {
    expect(matrixTex([[1, 0.5], [NaN, -1 / 3]])).toBe("\\begin{bmatrix} 1 & 0.5 \\\\ \\text{NaN} & -0.333 \\end{bmatrix}");
    expect(matrixTex([Float32Array.of(0.25)], {digits: 2})).toBe("\\begin{bmatrix} 0.25 \\end{bmatrix}");
    expect(matrixTex([])).toBe("\\begin{bmatrix}\\,\\end{bmatrix}");
  });

  it("vectorTex(v) is a column by default and a row on request", () => {
    expect(vectorTex([1, 2])).toBe("\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}");
    expect(vectorTex([1, 2], {column: false})).toBe("\\begin{bmatrix} 1 & 2 \\end{bmatrix}");
  });

  it("complexTex(re, im) writes signs and drops zero parts", () => {
    expect(complexTex(0.5, -0.25)).toBe("0.5 - 0.25i");
    expect(complexTex(-1, 2)).toBe("-1 + 2i");
    expect(complexTex(0, 1)).toBe("i");
    expect(complexTex(0, -2)).toBe("-2i");
    expect(complexTex(3, 0)).toBe("3");
    expect(complexTex(NaN, 1)).toBe("\\text{NaN} + 1\\,i");
  });

  it("every helper's output is valid LaTeX for KaTeX", () => {
    for (const s of [matrixTex([[1, NaN], [Infinity, 1e-9]]), vectorTex([]), complexTex(NaN, -Infinity), num(1e-20)]) {
      expect(texToString(s).error, s).toBeUndefined();
    }
  });
});

describe("texSource and texToString", () => {
  it("texSource keeps backslashes raw and inserts strings as LaTeX", () => {
    expect(capture`\frac{1}{2} \bar A = ${matrixTex([[1]])}`).toBe("\\frac{1}{2} \\bar A = \\begin{bmatrix} 1 \\end{bmatrix}");
    expect(capture`\unicode`).toBe("\\unicode");
  });

  it("texSource formats bare numbers with num", () => {
    expect(capture`\Delta = ${0.1 + 0.2}, x = ${NaN}`).toBe("\\Delta = 0.3, x = \\text{NaN}");
  });

  it("texToString renders KaTeX markup, display mode on request", () => {
    const inline = texToString("x^2");
    expect(inline.error).toBeUndefined();
    expect(inline.html).toContain('class="katex"');
    expect(texToString("x^2", {displayMode: true}).html).toContain("katex-display");
  });

  it("texToString never throws: errors come back with red source and a message", () => {
    const r = texToString("\\frac{1}{");
    expect(r.error).toMatch(/KaTeX parse error/);
    expect(r.html).toContain("katex-error");
  });

  it("texToString accepts macros", () => {
    expect(texToString("\\Ab", {macros: {"\\Ab": "\\bar A"}}).error).toBeUndefined();
    expect(texToString("\\Ab").error).toBeDefined();
  });
});

describe("tex.wrap (display style, inline layout)", () => {
  it("\\displaystyle math typeset inline keeps break points after top-level relations (one .base per piece), display mode has none", () => {
    const src = "\\displaystyle x(t_k) = e^{\\Delta A}\\, x(t_{k-1}) + \\int_0^{\\Delta} e^{A(\\Delta - s)} B\\, u\\, ds";
    const inline = texToString(src).html, display = texToString(src, {displayMode: true}).html;
    const bases = (h: string) => (h.match(/class="(katex-)?base"/g) ?? []).length;
    expect(bases(inline)).toBeGreaterThanOrEqual(3);
    expect(inline).toMatch(/mop op-limits|mop op-symbol large-op/); // the integral keeps its display size
    expect(display).toMatch(/katex-display/);
  });
});
