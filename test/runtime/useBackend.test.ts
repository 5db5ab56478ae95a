// useBackend (the /lab page's switch between backends) and peakTensorBytes (its memory column).
import {describe, expect, it} from "vitest";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {useBackend} from "../../src/runtime/backend.js";
import {peakTensorBytes} from "../../src/runtime/timing.js";

describe("useBackend", () => {
  it("useBackend('wasm') then useBackend('cpu') switch after a passing self-check each", async () => {
    const w = await useBackend("wasm");
    expect(w).toMatchObject({name: "wasm", ok: true, software: null});
    expect(w.reason).toMatch(/self-check passed/);
    expect(tf.getBackend()).toBe("wasm");
    const c = await useBackend("cpu");
    expect(c.ok).toBe(true);
    expect(tf.getBackend()).toBe("cpu");
  });

  it("useBackend('webgl') in Node fails, says why, and leaves the backend in use", async () => {
    await useBackend("cpu");
    const r = await useBackend("webgl", {probe: async () => null});
    expect(r.ok).toBe(false);
    expect(r.reason.length).toBeGreaterThan(0);
    expect(tf.getBackend()).toBe("cpu");
  });
});

describe("peakTensorBytes", () => {
  it("peakTensorBytes(fn) counts intermediates freed inside a tidy, and restores the engine", async () => {
    await tf.setBackend("cpu");
    const engine = tf.engine() as unknown as Record<string, unknown>;
    const own = Object.prototype.hasOwnProperty.call(engine, "trackTensor");
    const {value, peakBytes} = peakTensorBytes(() => tf.tidy(() => {
      const a = tf.ones([1000]);   // 4000 B
      const b = a.mul(2);          // 4000 B, freed at the end of the tidy
      return b.sum();              // 4 B returned
    }));
    expect(peakBytes).toBeGreaterThanOrEqual(8004);
    expect(tf.memory().numBytes).toBeGreaterThanOrEqual(4);
    expect(await value.data()).toEqual(new Float32Array([2000]));
    value.dispose();
    expect(Object.prototype.hasOwnProperty.call(engine, "trackTensor")).toBe(own);
  });
});
