// Closed-form 2x2 eigenvalues and eigen-directions (linalg/eig.ts), used by pages 1 and 2.
import {describe, expect, it} from "vitest";
import {eig2, eigvecs2, eigvalsF64} from "../../src/kernels/index.js";

const Av = (A: number[][], v: [number, number]) => [A[0][0] * v[0] + A[0][1] * v[1], A[1][0] * v[0] + A[1][1] * v[1]];

describe("eig2", () => {
  it("eig2(A) of a 1x1 matrix is its entry", () => {
    expect(eig2([[-0.7]])).toEqual({re: [-0.7], im: [0]});
  });
  it("eig2(A) of a rotation-scaling gives the conjugate pair σ ± iω", () => {
    const e = eig2([[-0.25, 2], [-2, -0.25]]);
    expect(e.re).toEqual([-0.25, -0.25]);
    expect(e.im[0]).toBeCloseTo(2, 14);
    expect(e.im[1]).toBeCloseTo(-2, 14);
  });
  it("eig2(A) agrees with the general QR eigensolver on a non-normal matrix", () => {
    const A = [[0.3, -1.7], [0.4, -2.2]];
    const a = eig2(A), b = eigvalsF64(A);
    const sort = (e: {re: number[]; im: number[]}) => e.re.map((r, i) => [r, e.im[i]]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    sort(a).forEach(([r, i], k) => { expect(r).toBeCloseTo(sort(b)[k][0], 10); expect(i).toBeCloseTo(sort(b)[k][1], 10); });
  });
  it("eig2(A) refuses a 3x3 or non-finite matrix with a message naming it", () => {
    expect(() => eig2([[1, 0, 0], [0, 1, 0], [0, 0, 1]])).toThrow(/eig2: A must be a 1x1 or 2x2/);
    expect(() => eig2([[1, NaN], [0, 1]])).toThrow(/eig2: A must be finite/);
  });
});

describe("eigvecs2", () => {
  it("eigvecs2(A) finds the real eigen-directions of a 2x2 matrix", () => {
    const A = [[-1, 0], [0, -3]];
    const e = eigvecs2(A);
    expect([...e.values].sort((a, b) => a - b)).toEqual([-3, -1]);
    expect(e.vectors).toHaveLength(2);
    e.vectors.forEach((v, k) => {
      const l = e.values[k], w = Av(A, v);
      expect(w[0]).toBeCloseTo(l * v[0], 12);
      expect(w[1]).toBeCloseTo(l * v[1], 12);
    });
  });
  it("eigvecs2(A) of a rotation-like A returns no directions", () => {
    expect(eigvecs2([[-0.1, 1], [-1, -0.1]])).toEqual({values: [], vectors: []});
  });
  it("eigvecs2(A) handles a general real case (A v = λ v, |v| = 1)", () => {
    const A = [[0, 1], [-2, -3]];
    const e = eigvecs2(A);
    expect(e.vectors).toHaveLength(2);
    e.vectors.forEach((v, k) => {
      const l = e.values[k], w = Av(A, v);
      expect(Math.hypot(v[0], v[1])).toBeCloseTo(1, 14);
      expect(w[0]).toBeCloseTo(l * v[0], 12);
      expect(w[1]).toBeCloseTo(l * v[1], 12);
    });
  });
  it("eigvecs2(A) of a defective matrix gives its one direction; of λI the two axes", () => {
    expect(eigvecs2([[-1, 1], [0, -1]]).vectors).toEqual([[1, 0]]);
    expect(eigvecs2([[-2, 0], [0, -2]]).vectors).toEqual([[1, 0], [0, 1]]);
  });
});
