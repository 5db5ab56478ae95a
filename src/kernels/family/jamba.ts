// Jamba's memory at inference (Lieber et al. 2024, "Jamba: A Hybrid Transformer-Mamba
// Language Model"): a hybrid keeps a KV cache only in its attention layers, and a Mamba layer
// keeps a fixed-size state whatever the context length. Plain numbers, no tensors.
//
// Per token and attention layer the cache holds K and V for every KV head (grouped-query
// attention shares them between query heads):
//   KV bytes(L) = 2 · L · (attention layers) · (KV heads) · (head dim) · (bytes per number) · batch
// and a Mamba layer (Mamba's SSM in the site's notation, x_k = Ā_k x_{k−1} + B̄_k u_k) holds
// its SSM state x (d_inner × d_state) and its short-convolution buffer (d_inner × d_conv):
//   state bytes = (Mamba layers) · d_inner · (d_state + d_conv) · (bytes per number) · batch,
// independent of L (as the caches of the reference implementations allocate them:
// huggingface/transformers JambaConfig / HybridMambaAttentionDynamicCache, d_conv entries).
//
// Jamba-v0.1's published configuration (the paper's "Jamba implementation" for a single 80GB GPU; the released
// checkpoint's config, huggingface/transformers models/jamba/configuration_jamba.py defaults):
// 4 Jamba blocks of l = 8 layers = 32 layers, attention:Mamba a:m = 1:7 (attention at layer
// i ≡ 4 mod 8), MoE every e = 2 layers (i ≡ 1 mod 2) with n = 16 experts, top K = 2;
// d_model 4096, 32 query heads, 8 KV heads (head dim 128), Mamba d_state 16, d_conv 4,
// expand 2 (d_inner 8192). 52B parameters in all, 12B active.
//
// The paper's Table 1 (KV cache at 256K context, 16-bit) for comparison: LLAMA-2 6.7B 128GB,
// Mistral 7.2B 32GB, Mixtral 46.7B 32GB, Jamba 4GB, where "GB" is 2^30 bytes and 256K is
// 2^18 = 262144 tokens; PAPER_TABLE1 holds it and the tests recompute it from the configs.
import {assertInteger, assertPositiveNumber, fail} from "../validate.js";

export interface ModelMemoryConfig {
  name: string;
  /** where the numbers come from */
  source: string;
  layers: number;
  /** layer i is attention when i % attnPeriod === attnOffset (attnPeriod 1, offset 0: every layer) */
  attnPeriod: number;
  attnOffset: number;
  /** layer i has an MoE MLP when i % expertPeriod === expertOffset (0 experts: never) */
  expertPeriod: number;
  expertOffset: number;
  experts: number;
  expertsPerToken: number;
  dModel: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  /** Mamba layers: d_inner = mambaExpand · dModel, d_state, d_conv (unused without Mamba layers) */
  mambaExpand: number;
  dState: number;
  dConv: number;
}

export const JAMBA_V01: ModelMemoryConfig = {
  name: "Jamba-v0.1", source: "Lieber et al. 2024; HF JambaConfig defaults (ai21labs/Jamba-v0.1)",
  layers: 32, attnPeriod: 8, attnOffset: 4, expertPeriod: 2, expertOffset: 1, experts: 16, expertsPerToken: 2,
  dModel: 4096, heads: 32, kvHeads: 8, headDim: 128, mambaExpand: 2, dState: 16, dConv: 4
};
/** Dense Transformers of the paper's Table 1 (every layer attention). */
export const LLAMA2_7B: ModelMemoryConfig = {
  name: "LLAMA-2 7B", source: "Touvron et al. 2023: 32 layers, 32 heads (no GQA), d_model 4096",
  layers: 32, attnPeriod: 1, attnOffset: 0, expertPeriod: 1, expertOffset: 0, experts: 0, expertsPerToken: 0,
  dModel: 4096, heads: 32, kvHeads: 32, headDim: 128, mambaExpand: 0, dState: 0, dConv: 0
};
export const MISTRAL_7B: ModelMemoryConfig = {
  name: "Mistral 7B", source: "Jiang et al. 2023: 32 layers, 32 heads, 8 KV heads, d_model 4096 (full cache, no sliding window)",
  layers: 32, attnPeriod: 1, attnOffset: 0, expertPeriod: 1, expertOffset: 0, experts: 0, expertsPerToken: 0,
  dModel: 4096, heads: 32, kvHeads: 8, headDim: 128, mambaExpand: 0, dState: 0, dConv: 0
};
export const MIXTRAL_8X7B: ModelMemoryConfig = {
  name: "Mixtral 8x7B", source: "Jiang et al. 2024: 32 layers, 32 heads, 8 KV heads, d_model 4096, 8 experts top-2 in every layer",
  layers: 32, attnPeriod: 1, attnOffset: 0, expertPeriod: 1, expertOffset: 0, experts: 8, expertsPerToken: 2,
  dModel: 4096, heads: 32, kvHeads: 8, headDim: 128, mambaExpand: 0, dState: 0, dConv: 0
};

/** Jamba paper, Table 1: KV cache at 256K tokens, 16-bit, in GB (= 2^30 bytes). */
export const PAPER_TABLE1: readonly {name: string; availableParams: string; activeParams: string; kvCacheGB: number}[] = [
  {name: "LLAMA-2 7B", availableParams: "6.7B", activeParams: "6.7B", kvCacheGB: 128},
  {name: "Mistral 7B", availableParams: "7.2B", activeParams: "7.2B", kvCacheGB: 32},
  {name: "Mixtral 8x7B", availableParams: "46.7B", activeParams: "12.9B", kvCacheGB: 32},
  {name: "Jamba-v0.1", availableParams: "52B", activeParams: "12B", kvCacheGB: 4}
];

export type Mixer = "attention" | "mamba";
export interface LayerKind { index: number; mixer: Mixer; mlp: "moe" | "mlp" }

function checkConfig(fn: string, c: ModelMemoryConfig): void {
  if (c == null || typeof c !== "object") fail(fn, `config must be a ModelMemoryConfig, got ${c === null ? "null" : typeof c}`);
  assertInteger(c.layers, fn, "config.layers", 1, 1 << 12);
  assertInteger(c.attnPeriod, fn, "config.attnPeriod", 1, c.layers);
  assertInteger(c.attnOffset, fn, "config.attnOffset", 0, c.attnPeriod - 1);
  assertInteger(c.expertPeriod, fn, "config.expertPeriod", 1, c.layers);
  assertInteger(c.expertOffset, fn, "config.expertOffset", 0, c.expertPeriod - 1);
  for (const k of ["kvHeads", "headDim", "dModel"] as const) assertInteger(c[k], fn, `config.${k}`, 1, 1 << 20);
  for (const k of ["mambaExpand", "dState", "dConv", "experts", "expertsPerToken"] as const) assertInteger(c[k], fn, `config.${k}`, 0, 1 << 20);
}

/** The layer pattern: for each layer its mixer (attention or Mamba) and MLP (MoE or dense). */
export function layerPattern(config: ModelMemoryConfig): LayerKind[] {
  checkConfig("layerPattern", config);
  return Array.from({length: config.layers}, (_, index) => ({
    index,
    mixer: index % config.attnPeriod === config.attnOffset ? "attention" : "mamba",
    mlp: config.experts > 0 && index % config.expertPeriod === config.expertOffset ? "moe" : "mlp"
  }));
}

function counts(config: ModelMemoryConfig): {attention: number; mamba: number} {
  const p = layerPattern(config);
  const attention = p.filter((x) => x.mixer === "attention").length;
  return {attention, mamba: p.length - attention};
}

function options(fn: string, bytes: number, batch: number): void {
  assertPositiveNumber(bytes, fn, "bytes");
  assertInteger(batch, fn, "batch", 1, 1 << 20);
}

/** KV-cache bytes at context length L: 2 · L · attention layers · KV heads · head dim · bytes · batch. */
export function kvCacheBytes(config: ModelMemoryConfig, L: number, {bytes = 2, batch = 1}: {bytes?: number; batch?: number} = {}): number {
  const fn = "kvCacheBytes";
  checkConfig(fn, config);
  assertInteger(L, fn, "L", 0, Number.MAX_SAFE_INTEGER);
  options(fn, bytes, batch);
  return 2 * L * counts(config).attention * config.kvHeads * config.headDim * bytes * batch;
}

/** Mamba-state bytes (any context length): Mamba layers · d_inner · (d_state + d_conv) · bytes · batch. */
export function mambaStateBytes(config: ModelMemoryConfig, {bytes = 2, batch = 1}: {bytes?: number; batch?: number} = {}): number {
  const fn = "mambaStateBytes";
  checkConfig(fn, config);
  options(fn, bytes, batch);
  return counts(config).mamba * config.mambaExpand * config.dModel * (config.dState + config.dConv) * bytes * batch;
}

export interface MemoryRow { L: number; kvBytes: number; stateBytes: number; totalBytes: number }

/** KV cache and Mamba state against context length: one row per L (plain numbers for a chart). */
export function memoryAgainstContext(config: ModelMemoryConfig, lengths: readonly number[], opts: {bytes?: number; batch?: number} = {}): MemoryRow[] {
  if (!Array.isArray(lengths) || lengths.length === 0) fail("memoryAgainstContext", `lengths must be a non-empty array of integers ≥ 0, got ${String(lengths)}`);
  const stateBytes = mambaStateBytes(config, opts);
  return lengths.map((L) => {
    const kvBytes = kvCacheBytes(config, L, opts);
    return {L, kvBytes, stateBytes, totalBytes: kvBytes + stateBytes};
  });
}

/** The longest context whose KV cache (plus the Mamba state) fits in `budgetBytes`. */
export function maxContext(config: ModelMemoryConfig, budgetBytes: number, opts: {bytes?: number; batch?: number} = {}): number {
  const fn = "maxContext";
  assertPositiveNumber(budgetBytes, fn, "budgetBytes");
  const perToken = kvCacheBytes(config, 1, opts);
  const free = budgetBytes - mambaStateBytes(config, opts);
  if (free < 0) return 0;
  return perToken === 0 ? Infinity : Math.floor(free / perToken);
}
