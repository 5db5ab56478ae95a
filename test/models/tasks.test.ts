import {describe, expect, it} from "vitest";
import {mulberry32} from "../../src/kernels/index.js";
import {associativeRecall, encodeStream, inductionHeads, namesCorpus, namesTask, sampleDistinct, selectiveCopying, tiledWindows} from "../../src/models/tasks.js";
import {heldOutBatches} from "../../src/models/train.js";

const row = (a: ArrayLike<number>, i: number, l: number) => Array.from(a).slice(i * l, (i + 1) * l);

describe("task generators", () => {
  it("sampleDistinct(rand, n, k) returns k distinct sorted values in [0, n)", () => {
    const r = mulberry32(3);
    for (let trial = 0; trial < 50; trial++) {
      const s = sampleDistinct(r, 20, 7);
      expect(new Set(s).size).toBe(7);
      expect(s).toEqual([...s].sort((a, b) => a - b));
      expect(Math.min(...s)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...s)).toBeLessThan(20);
    }
  });

  it("selectiveCopying().sample is seeded: the same seed gives the same batch, another seed another", () => {
    const t = selectiveCopying();
    const a = t.sample(mulberry32(1), 4), b = t.sample(mulberry32(1), 4), c = t.sample(mulberry32(2), 4);
    expect(Array.from(a.inputs)).toEqual(Array.from(b.inputs));
    expect(Array.from(a.inputs)).not.toEqual(Array.from(c.inputs));
  });

  it("selectiveCopying targets the coloured tokens in order at the recall markers, and scores only there", () => {
    const [nData, nColors, lContext] = [5, 6, 20];
    const t = selectiveCopying({nData, nColors, lContext});
    expect(t.vocab).toBe(nColors + 2);
    const batch = t.sample(mulberry32(7), 16);
    expect(batch.l).toBe(lContext + nData);
    for (let i = 0; i < batch.b; i++) {
      const x = row(batch.inputs, i, batch.l), y = row(batch.targets, i, batch.l), w = row(batch.weights, i, batch.l);
      const colours = x.slice(0, lContext).filter((v) => v !== 0);
      expect(colours).toHaveLength(nData);
      expect(colours.every((v) => v >= 1 && v <= nColors)).toBe(true);
      expect(x.slice(lContext)).toEqual(Array(nData).fill(nColors + 1));
      expect(y.slice(lContext)).toEqual(colours);
      expect(w).toEqual([...Array(lContext).fill(0), ...Array(nData).fill(1)]);
    }
  });

  it("inductionHeads ends with the special token, whose target is the token after its first occurrence", () => {
    const t = inductionHeads({nTokens: 7, length: 24});
    const S = 7;
    for (const l of [24, 48, 96]) {
      const batch = t.sample(mulberry32(l), 32, l);
      for (let i = 0; i < batch.b; i++) {
        const x = row(batch.inputs, i, l), y = row(batch.targets, i, l), w = row(batch.weights, i, l);
        const where = x.flatMap((v, j) => (v === S ? [j] : []));
        expect(where).toHaveLength(2);
        expect(where[1]).toBe(l - 1);
        expect(y[l - 1]).toBe(x[where[0] + 1]);
        expect(x[where[0] + 1]).toBeLessThan(S);
        expect(w.reduce((a, b) => a + b)).toBe(1);
        expect(w[l - 1]).toBe(1);
      }
    }
  });

  it("associativeRecall (MQAR) repeats every key once after the pairs and targets its value there", () => {
    const t = associativeRecall({nKeys: 10, nValues: 12, maxPairs: 6, minPairs: 2});
    const seen = new Set<number>();
    const r = mulberry32(5);
    for (let trial = 0; trial < 20; trial++) {
      const batch = t.sample(r, 8);
      const P = batch.l / 4;
      seen.add(P);
      expect(P).toBeGreaterThanOrEqual(2);
      expect(P).toBeLessThanOrEqual(6);
      for (let i = 0; i < batch.b; i++) {
        const x = row(batch.inputs, i, batch.l), y = row(batch.targets, i, batch.l), w = row(batch.weights, i, batch.l);
        const value = new Map<number, number>();
        for (let j = 0; j < P; j++) {
          expect(x[2 * j]).toBeLessThan(10);
          expect(x[2 * j + 1]).toBeGreaterThanOrEqual(10);
          value.set(x[2 * j], x[2 * j + 1]);
        }
        expect(value.size).toBe(P); // distinct keys
        const queried: number[] = [];
        for (let j = 0; j < P; j++) {
          const pos = 2 * P + 2 * j;
          queried.push(x[pos]);
          expect(w[pos]).toBe(1);
          expect(y[pos]).toBe(value.get(x[pos]));
          expect(w[pos + 1]).toBe(0);
        }
        expect(queried.sort()).toEqual([...value.keys()].sort());
        expect(w.slice(0, 2 * P).every((v) => v === 0)).toBe(true);
      }
    }
    expect(seen.size).toBeGreaterThan(2);
    expect(t.sample(r, 2, 12).l).toBe(12);
    expect(() => t.sample(r, 2, 10)).toThrow(/associative-recall: length must be 4·P/);
  });

  it("namesCorpus splits de-duplicated lower-case names 90/10 with no name in both parts", () => {
    const names = ["Anna", "anna", "Bob", "Carl", "Dora", "Eve", "Finn", "Gus", "Hal", "Ida", "Jo", "Kai", "O'Neil"];
    const c = namesCorpus(names, 1);
    expect(c.train.length + c.heldOut.length).toBe(11); // anna once, O'Neil dropped
    expect(c.heldOut.length).toBe(1);
    expect(c.train.filter((n) => c.heldOut.includes(n))).toEqual([]);
    expect(namesCorpus(names, 1)).toEqual(c);
    expect(Array.from(encodeStream(["ab", "c"], c.chars))).toEqual([0, 1, 2, 0, 3, 0]);
  });

  it("namesTask windows predict the next character of the stream at every position", () => {
    const c = namesCorpus(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"], 2);
    const t = namesTask(c, {length: 8});
    const batch = t.sample(mulberry32(1), 5);
    const stream = Array.from(t.trainStream);
    for (let i = 0; i < batch.b; i++) {
      const x = row(batch.inputs, i, 8), y = row(batch.targets, i, 8);
      expect(y.slice(0, 7)).toEqual(x.slice(1));
      const at = stream.findIndex((_, o) => x.every((v, j) => stream[o + j] === v) && stream[o + 8] === y[7]);
      expect(at).toBeGreaterThanOrEqual(0);
    }
    const tiled = tiledWindows(t.heldOutStream, 4);
    expect(Array.from(tiled.inputs)).toEqual(Array.from(t.heldOutStream.slice(0, tiled.b * 4)));
  });

  it("heldOutBatches(task, {seed}) is fixed for a seed and differs from the training stream of that seed", () => {
    const t = selectiveCopying();
    const a = heldOutBatches(t, {seed: 3, batches: 2, batch: 8}), b = heldOutBatches(t, {seed: 3, batches: 2, batch: 8});
    expect(Array.from(a[1].inputs)).toEqual(Array.from(b[1].inputs));
    const train = t.sample(mulberry32(3), 8);
    expect(Array.from(train.inputs)).not.toEqual(Array.from(a[0].inputs));
  });
});
