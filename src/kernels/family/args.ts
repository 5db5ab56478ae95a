// Argument helpers shared by the family kernels (../family/*.ts): complex arguments as
// {re, im} pairs of float32 tensors (tfjs has no complex dtype on every backend: wasm has no
// Complex kernel, as in ../lti/s4d.ts), vectors of per-channel numbers, and value ranges.
//
// Value ranges follow the rule of ../validate.ts: they are checked where the values are
// already on the CPU (plain arrays, typed arrays, tensors on the cpu and wasm backends) and
// never by reading a webgl/webgpu tensor back synchronously.
import * as tf from "@tensorflow/tfjs";
import {assertValues, fail, shapeString, toTensor, valuesOnCpu, type TensorLike} from "../validate.js";

/** A complex argument: real and imaginary parts of the same shape (tensors or plain numbers). */
export interface ComplexLike { re: TensorLike | Float64Array; im: TensorLike | Float64Array }
/** A complex tensor as two float32 tensors of the same shape. */
export interface ComplexTensor { re: tf.Tensor; im: tf.Tensor }

/** {re, im} → two finite float32 tensors of the same shape. Call inside tf.tidy. */
export function complexArg(x: ComplexLike, fn: string, arg: string): ComplexTensor {
  if (x == null || typeof x !== "object" || !("re" in x) || !("im" in x)) fail(fn, `${arg} must be {re, im}, got ${x === null ? "null" : typeof x}`);
  const re = toTensor(x.re as TensorLike, fn, `${arg}.re`);
  const im = toTensor(x.im as TensorLike, fn, `${arg}.im`);
  if (re.shape.join() !== im.shape.join()) fail(fn, `${arg}.re and ${arg}.im must have the same shape, but got ${shapeString(re.shape)} and ${shapeString(im.shape)}`);
  assertValues(fn, [[re, `${arg}.re`, "finite"], [im, `${arg}.im`, "finite"]]);
  return {re, im};
}

/**
 * The values of `x` (already converted to `t` by toTensor) when they can be read without a
 * GPU sync: the JS numbers themselves, or the tensor's data on the cpu and wasm backends.
 * Null for a tensor that lives on a GPU.
 */
export function cpuValues(x: unknown, t: tf.Tensor): ArrayLike<number> | null {
  if (typeof x === "number") return [x];
  if (Array.isArray(x)) return (x as unknown[]).flat(Infinity) as number[];
  if (ArrayBuffer.isView(x)) return x as unknown as ArrayLike<number>;
  return valuesOnCpu() ? t.dataSync() : null;
}

export interface Range { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean }

function rangeText({min, max, minOpen, maxOpen}: Range): string {
  if (min === undefined && max === undefined) return "";
  if (min !== undefined && max !== undefined) return `in ${minOpen ? "(" : "["}${min}, ${max}${maxOpen ? ")" : "]"}`;
  if (min !== undefined) return `${minOpen ? ">" : "≥"} ${min}`;
  return `${maxOpen ? "<" : "≤"} ${max}`;
}

/** Throws unless every visible entry of x (see cpuValues) is finite and in the range. */
export function assertRange(fn: string, arg: string, x: unknown, t: tf.Tensor, range: Range): void {
  const data = cpuValues(x, t);
  if (!data) return;
  const {min, max, minOpen, maxOpen} = range;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    const ok = Number.isFinite(v) && (min === undefined || (minOpen ? v > min : v >= min)) && (max === undefined || (maxOpen ? v < max : v <= max));
    if (!ok) {
      const text = rangeText(range);
      fail(fn, `${arg} must be finite${text ? ` and ${text}` : ""}, but entry ${i} is ${v}`);
    }
  }
}

/** A rank-1 tensor of n per-channel numbers from one number (broadcast) or an (n) array/tensor. Call inside tf.tidy. */
export function channelArg(x: TensorLike, n: number, fn: string, arg: string, range: Range = {}): tf.Tensor1D {
  const t = toTensor(x, fn, arg);
  if (t.rank === 0) {
    assertRange(fn, arg, x, t, range);
    return tf.broadcastTo(tf.reshape(t, [1]), [n]) as tf.Tensor1D;
  }
  if (t.rank !== 1 || t.shape[0] !== n) fail(fn, `${arg} must be a number or have shape (${n}), but got ${shapeString(t.shape)}`);
  assertRange(fn, arg, x, t, range);
  return t as tf.Tensor1D;
}
