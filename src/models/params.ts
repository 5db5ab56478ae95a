// Named, seeded, trainable parameters and their small file format.
//
// Every model keeps its weights in one Params: a map from a dotted name ("layers.0.in_proj")
// to a tf.Variable. Each tensor is initialised from its own generator, seeded by the model's
// seed and the parameter's name, so adding a parameter never changes the others, and the same
// seed gives the same model in Node and in the browser.
//
// The file format (ParamsFile) is JSON: the model's config, optional metadata (curves,
// accuracy), and each tensor's shape and float32 values as base64 (little endian), or float16
// ("f16", half the size) for shipped files where that precision is enough.
import * as tf from "@tensorflow/tfjs";
import {gaussian, mulberry32} from "../kernels/index.js";

export type Init =
  | {kind: "normal"; std: number; mean?: number}
  | {kind: "uniform"; low: number; high: number}
  | {kind: "const"; value: number}
  | {kind: "values"; values: ArrayLike<number>}
  | {kind: "fn"; fn: (index: number, rand: () => number) => number};

export const FORMAT = "ssm-live-params/1";

export interface TensorRecord {
  shape: number[];
  dtype: "f32" | "f16";
  /** base64 of the little-endian values */
  data: string;
}

export interface ParamsFile<C = unknown> {
  format: typeof FORMAT;
  /** which model the tensors belong to: "mamba", "s4d", "transformer" */
  model: string;
  config: C;
  tensors: Record<string, TensorRecord>;
  meta?: Record<string, unknown>;
}

/** 32-bit FNV-1a hash of a string (names → generator seeds). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Values of an initialiser for `size` entries, from the generator seeded by (seed, name). */
export function initValues(init: Init, size: number, seed: number, name: string): Float32Array {
  const s = (seed ^ hashString(name)) >>> 0;
  const out = new Float32Array(size);
  switch (init.kind) {
    case "normal": {
      const g = gaussian(s);
      for (let i = 0; i < size; i++) out[i] = (init.mean ?? 0) + init.std * g();
      break;
    }
    case "uniform": {
      const r = mulberry32(s);
      for (let i = 0; i < size; i++) out[i] = init.low + (init.high - init.low) * r();
      break;
    }
    case "const":
      out.fill(init.value);
      break;
    case "values":
      if (init.values.length !== size) throw new Error(`Params: ${name} needs ${size} initial values, got ${init.values.length}`);
      out.set(Array.from(init.values));
      break;
    case "fn": {
      const r = mulberry32(s);
      for (let i = 0; i < size; i++) out[i] = init.fn(i, r);
      break;
    }
  }
  return out;
}

export class Params {
  readonly seed: number;
  private readonly vars = new Map<string, tf.Variable>();

  constructor(seed: number) {
    this.seed = seed >>> 0;
  }

  /** Creates a trainable variable `name` of `shape` from `init`. */
  add(name: string, shape: number[], init: Init): tf.Variable {
    if (this.vars.has(name)) throw new Error(`Params: ${name} already exists`);
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(initValues(init, size, this.seed, name), shape, "float32");
    const v = tf.variable(t, true); // keeps its own copy
    t.dispose();
    this.vars.set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`Params: no parameter ${name} (have ${[...this.vars.keys()].join(", ")})`);
    return v;
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  names(): string[] {
    return [...this.vars.keys()];
  }

  variables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  /** Total number of scalar parameters. */
  count(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  /** Copies the values of every parameter of `other` whose name is also here (shapes must match). */
  copyFrom(other: Params, names = other.names().filter((n) => this.has(n))): string[] {
    for (const n of names) {
      const src = other.get(n), dst = this.get(n);
      if (src.shape.join() !== dst.shape.join()) throw new Error(`Params: ${n} has shape (${dst.shape}) here but (${src.shape}) in the source`);
      dst.assign(src);
    }
    return names;
  }

  /** Encodes every tensor (reads them back: call between steps, not inside a tape). */
  async encode(dtype: "f32" | "f16" = "f32"): Promise<Record<string, TensorRecord>> {
    const out: Record<string, TensorRecord> = {};
    for (const [name, v] of this.vars) {
      out[name] = {shape: v.shape, dtype, data: encodeFloats(await v.data() as Float32Array, dtype)};
    }
    return out;
  }

  /** Assigns the tensors of a file (every parameter must be present, with its shape). */
  decode(tensors: Record<string, TensorRecord>): void {
    for (const [name, v] of this.vars) {
      const rec = tensors[name];
      if (!rec) throw new Error(`Params: the file has no tensor ${name}`);
      if (rec.shape.join() !== v.shape.join()) throw new Error(`Params: ${name} has shape (${rec.shape}) in the file but (${v.shape}) in the model`);
      const values = decodeFloats(rec.data, rec.dtype, v.size);
      tf.tidy(() => v.assign(tf.tensor(values, v.shape, "float32")));
    }
    const extra = Object.keys(tensors).filter((n) => !this.vars.has(n));
    if (extra.length) throw new Error(`Params: the file has tensors the model lacks: ${extra.join(", ")}`);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

// ---- float32 / float16 ↔ base64 (no Buffer: the same code runs in the browser)

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function bytesToBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i], b = bytes[i + 1], c = bytes[i + 2];
    s += B64[a >> 2] + B64[((a & 3) << 4) | ((b ?? 0) >> 4)];
    s += i + 1 < bytes.length ? B64[((b & 15) << 2) | ((c ?? 0) >> 6)] : "=";
    s += i + 2 < bytes.length ? B64[c & 63] : "=";
  }
  return s;
}

export function base64ToBytes(s: string): Uint8Array {
  const clean = s.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const v = [0, 1, 2, 3].map((k) => (i + k < clean.length ? B64.indexOf(clean[i + k]) : 0));
    if (v.some((x) => x < 0)) throw new Error("Params: tensor data is not base64");
    const n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE half (round to nearest even), as a 16-bit integer. */
export function toHalf(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >> shift;
    const rem = mant & ((1 << shift) - 1), half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++;
  return sign | h;
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

export function encodeFloats(values: Float32Array, dtype: "f32" | "f16"): string {
  if (dtype === "f32") {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
    return bytesToBase64(bytes);
  }
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(2 * i, toHalf(values[i]), true);
  return bytesToBase64(bytes);
}

export function decodeFloats(data: string, dtype: "f32" | "f16", size: number): Float32Array {
  const bytes = base64ToBytes(data);
  const width = dtype === "f16" ? 2 : 4;
  if (bytes.length !== size * width) throw new Error(`Params: expected ${size} ${dtype} values, got ${bytes.length / width}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = dtype === "f16" ? fromHalf(view.getUint16(2 * i, true)) : view.getFloat32(4 * i, true);
  return out;
}
