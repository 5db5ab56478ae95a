// Input signals u(t) shared by the pages: step, impulse, sine, square, seeded noise and a
// real series. Pure JavaScript (no tensors): a signal is sampled once per slider move and
// handed to the kernels.
//
// Sampling convention, used by every page: the time axis is t_k = k·h, k = 0..l−1, and the
// input is *held* on each interval [t_k, t_k + h) at the value u_k returned here. For a held
// input the ZOH update is the exact solution of x' = Ax + Bu (see continuous.ts).

import {mulberry32} from "../kernels/index.js";

export type SignalKind = "step" | "impulse" | "sine" | "square" | "noise" | "series";
export const SIGNAL_KINDS: SignalKind[] = ["step", "impulse", "sine", "square", "noise", "series"];

export interface SignalOptions {
  /** Frequency in Hz for sine and square (cycles per unit of t). */
  freq?: number;
  /** Seed for noise (integer). */
  seed?: number;
  /** Length of each constant piece of the noise, in units of t. */
  hold?: number;
  /** Raw values of a real series, stretched over the window and scaled to [−1, 1]. */
  series?: ArrayLike<number>;
  /** Amplitude (default 1). */
  amplitude?: number;
}

/** Scales values affinely to [−1, 1] (a constant series becomes all zeros). */
export function scaleToUnit(values: ArrayLike<number>): Float64Array {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  const out = new Float64Array(values.length);
  if (!(hi > lo)) return out;
  for (let i = 0; i < values.length; i++) out[i] = ((values[i] - lo) / (hi - lo)) * 2 - 1;
  return out;
}

/**
 * Samples u on l intervals of width h: u_k is the value held on [k·h, (k+1)·h).
 * Smooth signals are sampled at the interval's midpoint (second-order accurate hold).
 * The impulse is a unit-area pulse: 1/h on the first interval, 0 after.
 * Returns a Float32Array of length l. Throws on bad arguments (message names the argument).
 */
export function sampleSignal(kind: SignalKind, l: number, h: number, opts: SignalOptions = {}): Float32Array {
  if (!Number.isInteger(l) || l < 1) throw new Error(`sampleSignal: l must be an integer ≥ 1, got ${l}`);
  if (!(h > 0) || !Number.isFinite(h)) throw new Error(`sampleSignal: h must be a finite number > 0, got ${h}`);
  const amp = opts.amplitude ?? 1;
  const freq = opts.freq ?? 0.25;
  if (!(freq > 0) || !Number.isFinite(freq)) throw new Error(`sampleSignal: freq must be a finite number > 0, got ${freq}`);
  const u = new Float32Array(l);
  switch (kind) {
    case "step":
      u.fill(amp);
      break;
    case "impulse":
      u[0] = amp / h;
      break;
    case "sine":
      for (let k = 0; k < l; k++) u[k] = amp * Math.sin(2 * Math.PI * freq * (k + 0.5) * h);
      break;
    case "square":
      // Sampled at the interval start: edges fall on the grid when 1/(2·freq) is a multiple of h.
      for (let k = 0; k < l; k++) u[k] = amp * (((k * h * freq * 2) % 2) < 1 ? 1 : -1);
      break;
    case "noise": {
      const rand = mulberry32(opts.seed ?? 1);
      const hold = opts.hold ?? 0.2;
      let piece = -1, value = 0;
      for (let k = 0; k < l; k++) {
        const p = Math.floor((k * h) / hold);
        while (piece < p) { value = amp * (2 * rand() - 1); piece++; }
        u[k] = value;
      }
      break;
    }
    case "series": {
      const raw = opts.series;
      if (!raw || raw.length < 2) throw new Error("sampleSignal: series needs at least 2 values");
      const s = scaleToUnit(raw);
      // Linear interpolation of the series stretched over [0, l·h).
      for (let k = 0; k < l; k++) {
        const pos = ((k + 0.5) / l) * (s.length - 1);
        const i = Math.min(Math.floor(pos), s.length - 2);
        const f = pos - i;
        u[k] = amp * (s[i] * (1 - f) + s[i + 1] * f);
      }
      break;
    }
    default:
      throw new Error(`sampleSignal: kind must be one of ${SIGNAL_KINDS.join(", ")}, got ${String(kind)}`);
  }
  return u;
}
