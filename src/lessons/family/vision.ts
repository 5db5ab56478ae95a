// The miniatures of page 7 that are about images and about memory at scale: VMamba's
// cross-scan of an image, Jamba's KV cache against its Mamba states, and the numbers behind
// the survey's open problems.
import * as tf from "@tensorflow/tfjs";
import {
  CROSS_SCAN_NAMES, JAMBA_V01, LLAMA2_7B, MISTRAL_7B, MIXTRAL_8X7B, PAPER_TABLE1, crossMerge2d, crossScan2d, crossScanMerge2d,
  crossScanOrders, decayScan, kvCacheBytes, layerPattern, mambaStateBytes, maxContext, type LayerKind, type ModelMemoryConfig
} from "../../kernels/index.js";
import {maxAbsDiff, readAll} from "./common.js";

// ------------------------------------------------------------------------------ VMamba

export interface GrayImage { name: string; label: string; source: string; H: number; W: number; values: number[] }

/** Images drawn in code, H = W = 24: a disc, a checkerboard, a single bright pixel. */
export function codeImage(kind: "disc" | "checker" | "impulse", size = 24): GrayImage {
  const values = new Array<number>(size * size).fill(0);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) {
    const i = r * size + c;
    if (kind === "disc") values[i] = (r - size * 0.4) ** 2 + (c - size * 0.6) ** 2 < (size * 0.25) ** 2 ? 1 : 0;
    else if (kind === "checker") values[i] = (Math.floor(r / (size / 4)) + Math.floor(c / (size / 4))) % 2;
    else values[i] = r === size / 2 && c === size / 2 ? 1 : 0;
  }
  const label = {disc: "a disc (drawn in code)", checker: "a checkerboard (drawn in code)", impulse: "one bright pixel (drawn in code)"}[kind];
  return {name: kind, label, source: "drawn in code", H: size, W: size, values};
}

export const SCAN_ORDERS = CROSS_SCAN_NAMES;

export interface VmambaMini {
  H: number; W: number;
  image: Float64Array;
  /** where each pixel sits in the chosen order (0 … H·W − 1), in image layout */
  orderIndex: Float64Array;
  /** the four flattened inputs and their scanned outputs, in scan order (H·W each) */
  sequences: Float64Array[];
  outputs: Float64Array[];
  /** each direction's output put back in image layout */
  directionMaps: Float64Array[];
  /** the merged map (crossScanMerge2d) */
  merged: Float64Array;
  /** max |merged − Σ directionMaps| and max |crossScanMerge2d − crossMerge2d(scan(crossScan2d))| */
  mergeDiff: number;
  routeDiff: number;
}

/**
 * VMamba's cross-scan on a gray image (H, W, 1): the four sequences (the site's crossScan2d),
 * each run through the simplest 1-D SSM h_i = a h_{i−1} + u_i (decayScan, a stand-in for
 * VMamba's selective scan S6), merged back (crossMerge2d), and the same by crossScanMerge2d.
 */
export async function vmambaMiniature(img: GrayImage, {order, decay}: {order: number; decay: number}): Promise<VmambaMini> {
  const {H, W} = img, L = H * W;
  const x = Array.from({length: H}, (_, r) => Array.from({length: W}, (_, c) => [img.values[r * W + c]]));
  const [seqs, outs, merged, merged2] = await readAll(tf.tidy(() => {
    const s = crossScan2d(x);
    const y = decayScan(decay)(s);
    return [s, y, crossScanMerge2d(x, decayScan(decay)), crossMerge2d(y, H, W)];
  }));
  const {orders} = crossScanOrders(H, W);
  const sequences = orders.map((_, k) => Float64Array.from(seqs.subarray(k * L, (k + 1) * L)));
  const outputs = orders.map((_, k) => Float64Array.from(outs.subarray(k * L, (k + 1) * L)));
  const directionMaps = orders.map((o, k) => {
    const m = new Float64Array(L);
    o.forEach((p, i) => { m[p] = outputs[k][i]; });
    return m;
  });
  const orderIndex = new Float64Array(L);
  orders[order].forEach((p, i) => { orderIndex[p] = i; });
  const sum = Float64Array.from({length: L}, (_, p) => directionMaps.reduce((a, m) => a + m[p], 0));
  return {H, W, image: Float64Array.from(img.values), orderIndex, sequences, outputs, directionMaps, merged: Float64Array.from(merged),
    mergeDiff: maxAbsDiff(merged, sum), routeDiff: maxAbsDiff(merged, merged2)};
}

// ------------------------------------------------------------------------------ Jamba

export const GiB = 2 ** 30;
export const JAMBA_CONFIGS: readonly ModelMemoryConfig[] = [LLAMA2_7B, MISTRAL_7B, MIXTRAL_8X7B, JAMBA_V01];
/** Parameters in all (the paper's Table 1, "available params"), for the weights' bytes. */
export const JAMBA_PARAMS: Readonly<Record<string, number>> = {"LLAMA-2 7B": 6.7e9, "Mistral 7B": 7.2e9, "Mixtral 8x7B": 46.7e9, "Jamba-v0.1": 52e9};
export const JAMBA_LENGTHS: readonly number[] = Array.from({length: 21}, (_, i) => 2 ** (10 + i / 2)).map(Math.round);

export interface JambaMini {
  pattern: LayerKind[];
  /** KV cache (GiB) of each model against context length (JAMBA_LENGTHS) */
  curves: {name: string; kvGiB: number[]}[];
  /** Jamba's Mamba states (GiB), whatever the length */
  stateGiB: number;
  /** at the chosen L: per model, KV cache and state */
  at: {name: string; kvGiB: number; stateGiB: number; perTokenKiB: number}[];
  /** the paper's Table 1 beside the same numbers recomputed (256K = 2¹⁸ tokens, 16-bit, batch 1) */
  table1: {name: string; availableParams: string; activeParams: string; paperGB: number; computedGiB: number}[];
  /** weights at `weightBytes` per parameter plus the cache at L, against the GPU memory, and the longest context that fits */
  fit: {name: string; weightsGiB: number; cacheGiB: number; totalGiB: number; fits: boolean; maxContext: number}[];
  L: number; batch: number; bytes: number; gpuGiB: number; weightBytes: number;
}

/**
 * Jamba's memory at inference, from Jamba-v0.1's published configuration (kernels/family/jamba.ts):
 * the layer pattern, the KV cache against context length beside LLaMA-2, Mistral and Mixtral,
 * Table 1 recomputed, and what fits in a GPU of `gpuGiB` beside the weights (activations and
 * workspace not counted).
 */
export function jambaMiniature({L, batch = 1, bytes = 2, gpuGiB = 80, weightBytes = 1}: {L: number; batch?: number; bytes?: number; gpuGiB?: number; weightBytes?: number}): JambaMini {
  const opts = {bytes, batch};
  const stateOf = (c: ModelMemoryConfig) => (c.mambaExpand > 0 ? mambaStateBytes(c, opts) : 0);
  const curves = JAMBA_CONFIGS.map((c) => ({name: c.name, kvGiB: JAMBA_LENGTHS.map((l) => kvCacheBytes(c, l, opts) / GiB)}));
  const at = JAMBA_CONFIGS.map((c) => ({name: c.name, kvGiB: kvCacheBytes(c, L, opts) / GiB, stateGiB: stateOf(c) / GiB, perTokenKiB: kvCacheBytes(c, 1, opts) / 1024}));
  const table1 = PAPER_TABLE1.map((row) => {
    const c = JAMBA_CONFIGS.find((x) => x.name === row.name)!;
    return {name: row.name, availableParams: row.availableParams, activeParams: row.activeParams, paperGB: row.kvCacheGB, computedGiB: kvCacheBytes(c, 2 ** 18, {bytes: 2, batch: 1}) / GiB};
  });
  const fit = JAMBA_CONFIGS.map((c) => {
    const weights = JAMBA_PARAMS[c.name] * weightBytes;
    const cache = kvCacheBytes(c, L, opts) + stateOf(c);
    const free = gpuGiB * GiB - weights;
    return {name: c.name, weightsGiB: weights / GiB, cacheGiB: cache / GiB, totalGiB: (weights + cache) / GiB, fits: weights + cache <= gpuGiB * GiB,
      maxContext: free > 0 ? maxContext(c, free, opts) : 0};
  });
  return {pattern: layerPattern(JAMBA_V01), curves, stateGiB: stateOf(JAMBA_V01) / GiB, at, table1, fit, L, batch, bytes, gpuGiB, weightBytes};
}

// ------------------------------------------------------------------------------ open problems

/** Per-token KV cache of a dense Transformer, and the fixed state of a Mamba model, in bytes (16-bit). */
export const PYTHIA_2_8B = {name: "Pythia-2.8B (Transformer)", layers: 32, dModel: 2560};
export const MAMBA_2_8B = {name: "Mamba-2.8B", layers: 64, dModel: 2560, expand: 2, dState: 16, dConv: 4};

export interface MemoryRow { L: number; kvBytes: number; stateBytes: number; ratio: number }

/**
 * GPU memory at inference, two models of the same size (Biderman et al. 2023's Pythia-2.8B and
 * Gu & Dao's Mamba-2.8B, 16-bit numbers, batch 1): the KV cache 2·L·layers·d_model·2 bytes
 * against Mamba's layers·2·d_model·(d_state + d_conv)·2 bytes.
 */
export function memoryRows(lengths: readonly number[] = [2048, 32768, 262144, 1048576]): MemoryRow[] {
  const state = MAMBA_2_8B.layers * MAMBA_2_8B.expand * MAMBA_2_8B.dModel * (MAMBA_2_8B.dState + MAMBA_2_8B.dConv) * 2;
  return lengths.map((L) => {
    const kv = 2 * L * PYTHIA_2_8B.layers * PYTHIA_2_8B.dModel * 2;
    return {L, kvBytes: kv, stateBytes: state, ratio: kv / state};
  });
}

export interface ImageCostRow { side: number; tokens: number; attentionEntries: number; scanSteps: number; ratio: number }

/**
 * An image of side × side pixels cut into 16 × 16 patches: N tokens. One attention matrix has
 * N² entries; VMamba's four scans make 4·N state updates of N_s = 16 numbers per channel.
 */
export function imageCostRows(sides: readonly number[] = [224, 1024, 4096, 16384], patch = 16, dState = 16): ImageCostRow[] {
  return sides.map((side) => {
    const tokens = (side / patch) ** 2;
    const attentionEntries = tokens ** 2, scanSteps = 4 * tokens * dState;
    return {side, tokens, attentionEntries, scanSteps, ratio: attentionEntries / scanSteps};
  });
}

/**
 * One image (576 tokens: a 336-pixel image in 14-pixel patches) and a text of `text` tokens
 * encoded together: attention pays (I + T)² pairs against I² + T² when the modalities are
 * kept apart; a scan pays I + T either way.
 */
export function multimodalCost(text = 1000, image = 576): {image: number; text: number; joint: number; separate: number; ratio: number; scan: number} {
  const joint = (image + text) ** 2, separate = image ** 2 + text ** 2;
  return {image, text, joint, separate, ratio: joint / separate, scan: image + text};
}

const gib = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : `${(x * 1024).toFixed(1)} MiB`);

/** Curves that coincide (Mistral's cache equals Mixtral's) merged into one, their names joined. */
export function distinctCurves(curves: readonly {name: string; kvGiB: number[]}[]): {name: string; kvGiB: number[]}[] {
  const out: {name: string; kvGiB: number[]}[] = [];
  for (const c of curves) {
    const same = out.find((o) => o.kvGiB.every((v, i) => v === c.kvGiB[i]));
    if (same) same.name = `${same.name} = ${c.name}`; else out.push({name: c.name, kvGiB: c.kvGiB});
  }
  return out;
}

/** The sentence under the Jamba card. */
export function jambaVerdict(jb: JambaMini): string {
  const at = Object.fromEntries(jb.at.map((r) => [r.name, r]));
  const fit = Object.fromEntries(jb.fit.map((r) => [r.name, r]));
  const j = at["Jamba-v0.1"], jf = fit["Jamba-v0.1"];
  return `At L = ${jb.L.toLocaleString("en")} Jamba's 4 attention layers cache ${gib(j.kvGiB)} GiB and its 28 Mamba layers hold ${gib(j.stateGiB)} of state; ` +
    `Mixtral caches ${gib(at["Mixtral 8x7B"].kvGiB)} GiB and LLaMA-2 ${gib(at["LLAMA-2 7B"].kvGiB)} GiB. With ${jb.weightBytes === 1 ? "int8" : "16-bit"} weights Jamba needs ` +
    `${jf.totalGiB.toFixed(1)} GiB in all, ${jf.fits ? "within" : "more than"} one ${jb.gpuGiB} GiB GPU.`;
}
