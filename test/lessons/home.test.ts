// The home page's live figure (src/lessons/home.ts).
import * as tf from "@tensorflow/tfjs";
import {describe, expect, it} from "vitest";
import {homeView, HOME_N} from "../../src/lessons/home.js";

describe("homeView", () => {
  const u = Float32Array.from({length: 400}, (_, k) => Math.sin(k / 20) + 0.3 * Math.sin(k * 1.7));
  it("homeView(Δ, u): the kernel sums to 1, is positive and decays; y = K̄ * u", async () => {
    await tf.setBackend("cpu");
    const before = tf.memory().numTensors;
    const v = await homeView(0.05, u);
    expect(tf.memory().numTensors).toBe(before);
    expect(v.K.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(v.K.every((k, i) => k > 0 && (i === 0 || k <= v.K[i - 1]))).toBe(true);
    let y7 = 0;
    for (let j = 0; j <= 7; j++) y7 += v.K[j] * u[7 - j];
    expect(v.y[7]).toBeCloseTo(y7, 5);
  });
  it("homeView: a smaller Δ means a longer memory (about 1/(Δ·|λ_slowest|) steps)", async () => {
    const slow = await homeView(0.01, u), fast = await homeView(0.2, u);
    expect(slow.memory).toBeGreaterThan(5 * fast.memory);
    expect(HOME_N).toBe(4);
  });
});
