import {describe, expect, it} from "vitest";
import {JAMBA_V01, LLAMA2_7B, MISTRAL_7B, MIXTRAL_8X7B, PAPER_TABLE1, kvCacheBytes, layerPattern, mambaStateBytes, maxContext, memoryAgainstContext} from "../../../src/kernels/index.js";

const GiB = 2 ** 30, K256 = 2 ** 18;

describe("Jamba's memory model (plain numbers)", () => {
  it("layerPattern(JAMBA_V01): 32 layers, attention at layers 4, 12, 20, 28 (1:7), MoE at every odd layer (e = 2)", () => {
    const p = layerPattern(JAMBA_V01);
    expect(p).toHaveLength(32);
    expect(p.filter((x) => x.mixer === "attention").map((x) => x.index)).toEqual([4, 12, 20, 28]);
    expect(p.filter((x) => x.mixer === "mamba")).toHaveLength(28);
    expect(p.filter((x) => x.mlp === "moe").map((x) => x.index)).toEqual(Array.from({length: 16}, (_, i) => 2 * i + 1));
    // each Jamba block of 8 layers has one attention layer
    for (let b = 0; b < 4; b++) expect(p.slice(8 * b, 8 * b + 8).filter((x) => x.mixer === "attention")).toHaveLength(1);
  });

  it("kvCacheBytes reproduces the Jamba paper's Table 1 at 256K tokens, 16-bit: 128, 32, 32 and 4 GB", () => {
    const configs = [LLAMA2_7B, MISTRAL_7B, MIXTRAL_8X7B, JAMBA_V01];
    configs.forEach((c, i) => {
      expect(PAPER_TABLE1[i].name).toBe(c.name);
      expect(kvCacheBytes(c, K256) / GiB).toBe(PAPER_TABLE1[i].kvCacheGB);
    });
    // 8x smaller than a Transformer with the same attention settings (Mixtral: every layer attention)
    expect(kvCacheBytes(MIXTRAL_8X7B, K256) / kvCacheBytes(JAMBA_V01, K256)).toBe(8);
  });

  it("Jamba's KV cache is 16 KiB per token; its 28 Mamba layers hold 8.75 MiB (16-bit) whatever the context", () => {
    expect(kvCacheBytes(JAMBA_V01, 1)).toBe(2 * 4 * 8 * 128 * 2);
    expect(mambaStateBytes(JAMBA_V01)).toBe(28 * 8192 * (16 + 4) * 2);
    expect(mambaStateBytes(JAMBA_V01) / 2 ** 20).toBeCloseTo(8.75, 10);
    expect(mambaStateBytes(JAMBA_V01, {bytes: 4})).toBe(2 * mambaStateBytes(JAMBA_V01));
    expect(mambaStateBytes(LLAMA2_7B)).toBe(0);
  });

  it("memoryAgainstContext grows linearly in L for the KV cache and stays flat for the Mamba state", () => {
    const rows = memoryAgainstContext(JAMBA_V01, [0, 1024, 65536, K256], {batch: 2});
    expect(rows.map((r) => r.kvBytes)).toEqual([0, 1024, 65536, K256].map((L) => L * 16384 * 2));
    expect(new Set(rows.map((r) => r.stateBytes)).size).toBe(1);
    rows.forEach((r) => expect(r.totalBytes).toBe(r.kvBytes + r.stateBytes));
  });

  it("maxContext: the context whose KV cache fits a memory budget (Jamba vs Mixtral, 16 GiB for the cache)", () => {
    expect(maxContext(JAMBA_V01, 16 * GiB)).toBe(Math.floor((16 * GiB - mambaStateBytes(JAMBA_V01)) / 16384));
    expect(maxContext(MIXTRAL_8X7B, 16 * GiB)).toBe(131072);
    expect(maxContext(JAMBA_V01, 1)).toBe(0);
  });

  it("bad inputs throw messages naming the function and argument", () => {
    expect(() => kvCacheBytes(JAMBA_V01, -1)).toThrow(/kvCacheBytes: L must be an integer/);
    expect(() => kvCacheBytes(JAMBA_V01, 10, {bytes: 0})).toThrow(/kvCacheBytes: bytes must be a finite number > 0/);
    expect(() => layerPattern({...JAMBA_V01, attnOffset: 8})).toThrow(/layerPattern: config.attnOffset must be an integer in \[0, 7\]/);
    expect(() => mambaStateBytes(null as never)).toThrow(/mambaStateBytes: config must be a ModelMemoryConfig/);
    expect(() => memoryAgainstContext(JAMBA_V01, [])).toThrow(/memoryAgainstContext: lengths must be a non-empty array/);
    expect(() => maxContext(JAMBA_V01, 0)).toThrow(/maxContext: budgetBytes must be a finite number > 0/);
  });
});
