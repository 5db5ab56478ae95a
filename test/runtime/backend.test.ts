import {describe, expect, it} from "vitest";
import * as tf from "@tensorflow/tfjs";
import {MathBackendCPU} from "@tensorflow/tfjs-backend-cpu";
import {BACKENDS, initBackend, isBackendName, selfCheck, SELF_CHECK_TOLERANCE} from "../../src/runtime/backend.js";

describe("initBackend", () => {
  it("initBackend('cpu') chooses cpu after a passing self-check", async () => {
    const r = await initBackend("cpu");
    expect(r.name).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(r.requested).toBe("cpu");
    expect(r.fallback).toBe(false);
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]).toMatchObject({name: "cpu", ok: true});
    expect(r.selfCheckError).toBeLessThan(1e-6);
  });

  it("initBackend is memoized: the same request shares one init", async () => {
    expect(initBackend("cpu")).toBe(initBackend("cpu"));
  });

  it("initBackend('bogus') records the reason and falls back to the automatic order", async () => {
    const r = await initBackend("bogus", {order: ["webgpu", "webgl", "cpu"]});
    expect(r.requested).toBe("bogus");
    expect(r.fallback).toBe(true);
    expect(r.attempts[0]).toMatchObject({name: "bogus", ok: false});
    expect(r.attempts[0].reason).toMatch(/"bogus" is not a backend/);
    // Node has neither WebGPU nor WebGL: both fail with a reason, cpu is used.
    expect(r.attempts.slice(1).map((a) => [a.name, a.ok])).toEqual([["webgpu", false], ["webgl", false], ["cpu", true]]);
    expect(r.attempts[1].reason).toMatch(/navigator\.gpu/);
    expect(r.name).toBe("cpu");
  });

  it("initBackend ranks a software GPU after wasm and says so in the report", async () => {
    const probe = async (name: "webgpu" | "webgl") => ({software: true, description: `SwiftShader (${name}, test)`});
    const r = await initBackend(null, {order: ["webgpu", "webgl", "wasm", "cpu"], probe});
    expect(r.name).toBe("wasm");
    expect(r.attempts[0]).toMatchObject({name: "wasm", ok: true});
    const skipped = r.attempts.filter((a) => a.skipped).map((a) => a.name);
    expect(skipped).toEqual(["webgpu", "webgl"]);
    expect(r.attempts[1].reason).toMatch(/^a software GPU \(SwiftShader \(webgpu, test\)\) is slower than wasm here; force it with \?backend=webgpu/);
    await tf.setBackend("cpu");
  });

  it("initBackend('webgpu') tries a software GPU first when the reader asks for it by name", async () => {
    const probe = async () => ({software: true, description: "SwiftShader"});
    const r = await initBackend("webgpu", {order: ["webgpu", "cpu"], probe});
    expect(r.attempts[0].name).toBe("webgpu"); // tried (and, in Node, failed: no navigator.gpu)
    expect(r.attempts[0].skipped).toBeUndefined();
    expect(r.name).toBe("cpu");
  });

  it("initBackend('webgl') in Node falls back and says why", async () => {
    const r = await initBackend("webgl", {order: ["cpu"]});
    expect(r.attempts[0]).toMatchObject({name: "webgl", ok: false});
    expect(r.attempts[0].reason).toMatch(/WebGL/);
    expect(r.name).toBe("cpu");
    expect(r.fallback).toBe(true);
  });

  it("initBackend('wasm') runs the wasm backend in Node", async () => {
    const r = await initBackend("wasm");
    expect(r.attempts[0]).toMatchObject({name: "wasm", ok: true});
    expect(r.name).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(r.selfCheckError).toBeLessThan(SELF_CHECK_TOLERANCE);
    await initBackend("cpu"); // memoized: does not switch back by itself
    await tf.setBackend("cpu");
  });

  it("a backend that initialises but computes zeros is rejected by the self-check", async () => {
    // A stand-in for a software WebGPU adapter that returns zeros: the cpu kernels under the
    // name "webgpu", on a backend whose reads give zeros.
    class ZeroBackend extends MathBackendCPU {
      override readSync(dataId: object) {
        return new Float32Array((super.readSync(dataId) as Float32Array).length);
      }
      override async read(dataId: object) {
        return this.readSync(dataId);
      }
    }
    const g = globalThis as {navigator?: unknown};
    const hadNavigator = "navigator" in g;
    const navigator = g.navigator;
    if (!hadNavigator) Object.defineProperty(g, "navigator", {value: {gpu: {requestAdapter: async () => ({info: {vendor: "test"}})}}, configurable: true});
    const kernels = tf.getKernelsForBackend("cpu");
    for (const k of kernels) tf.registerKernel({...k, backendName: "webgpu"});
    tf.registerBackend("webgpu", () => new ZeroBackend(), 0);
    try {
      const r = await initBackend("webgpu", {order: ["cpu"]});
      expect(r.attempts[0]).toMatchObject({name: "webgpu", ok: false});
      expect(r.attempts[0].reason).toMatch(/^self-check failed: error 1\.0e\+0 > 0\.001$/);
      expect(r.name).toBe("cpu");
      expect(r.fallback).toBe(true);
      expect(tf.findBackendFactory("webgpu")).toBeNull(); // dropped after failing
    } finally {
      for (const k of kernels) tf.unregisterKernel(k.kernelName, "webgpu");
      if (!hadNavigator) delete g.navigator;
      else g.navigator = navigator;
    }
  });

  it("selfCheck leaks no tensors", async () => {
    await tf.setBackend("cpu");
    const before = tf.memory().numTensors;
    await selfCheck();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("isBackendName accepts the four names only", () => {
    for (const b of BACKENDS) expect(isBackendName(b)).toBe(true);
    expect(isBackendName("WebGL")).toBe(false);
    expect(isBackendName("")).toBe(false);
  });
});
