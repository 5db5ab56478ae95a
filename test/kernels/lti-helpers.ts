// Small LTI systems for the ssmKernel / causalConv / ssmRecurrent specs (plain arrays).
import {discretizeF64, hippoArrays} from "../../src/kernels/index.js";
import {lcg} from "./helpers.js";

export interface LtiCase {name: string; Ab: number[][]; Bb: number[][]; C: number[][]; u: number[]; x0: number[]; K: number[]; y: number[]; statesX0: number[][]}

/** A discretized system of size n: HiPPO-LegS by bilinear (n ≥ 2) or a stable scalar. */
export function system(n: number, L: number, seed: number): {Ab: number[][]; Bb: number[][]; C: number[][]; u: number[]} {
  const r = lcg(seed);
  const {A, B} = n === 1 ? {A: [[-0.8]], B: [[1]]} : hippoArrays("legs", n);
  const {Ab, Bb} = discretizeF64(A, B, Math.min(0.5, 4 / L + 1e-3), "bilinear");
  const C = [Array.from({length: n}, () => (2 * r() - 1) / Math.sqrt(n))];
  const u = Array.from({length: L}, () => 2 * r() - 1);
  return {Ab, Bb, C, u};
}

/** Σ_k |K_k| · max|u|: a bound on |y| that scales float32 tolerances. */
export function convScale(K: ArrayLike<number>, u: ArrayLike<number>): number {
  let k1 = 0, ui = 0;
  for (let i = 0; i < K.length; i++) k1 += Math.abs(K[i]);
  for (let i = 0; i < u.length; i++) ui = Math.max(ui, Math.abs(u[i]));
  return Math.max(1e-30, k1 * ui);
}
