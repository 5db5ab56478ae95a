// Tick positions and labels: compact numbers, powers of ten with superscripts, log and linear
// ticks.
import * as d3 from "d3";

const SUPERSCRIPT: Record<string, string> = {"-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"};

/** 10 raised to an integer, written with Unicode superscripts: 10⁻³. */
export function powerOfTen(k: number): string {
  return "10" + String(k).split("").map((ch) => SUPERSCRIPT[ch] ?? ch).join("");
}

/** Compact tick label: 0.001, 1e+5 style avoided; uses SI-free short forms. */
export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const k = Math.floor(Math.log10(a) + 1e-9);
    const m = v / 10 ** k;
    const mm = +m.toPrecision(3);
    if (Math.abs(Math.abs(mm) - 1) < 1e-9) return (mm < 0 ? "−" : "") + powerOfTen(k);
    return `${String(mm).replace("-", "−")}×${powerOfTen(k)}`;
  }
  return String(+v.toPrecision(6)).replace("-", "−");
}

/** A level for a sentence: formatTick at 3 significant digits (1.48144 → 1.48, 1e30 → 10³⁰). */
export function formatLevel(v: number): string {
  return Number.isFinite(v) && v !== 0 ? formatTick(+v.toPrecision(3)) : formatTick(v);
}

export interface Tick { value: number; label: string; major: boolean }

/**
 * Ticks for a log axis: powers of ten (thinned to at most about `count` labels when the
 * domain spans many decades); within a span of less than about three decades also 2 and 5
 * times powers of ten, labelled too when there is room (at most `count` labels: 1-2-5, else
 * 1-5, else the powers alone; always within one decade). Minor ticks (unlabelled) carry
 * major = false.
 */
export function logTicks(domain: [number, number], count = 6): Tick[] {
  let [lo, hi] = domain;
  if (lo > hi) [lo, hi] = [hi, lo];
  if (!(lo > 0) || !Number.isFinite(hi)) return [];
  const a = Math.floor(Math.log10(lo) + 1e-12);
  const b = Math.ceil(Math.log10(hi) - 1e-12);
  const decades = b - a;
  const step = Math.max(1, Math.ceil(decades / count));
  // One style per axis: plain numbers (0.01 … 1000) or all powers of ten.
  const powers = a < -2 || b > 3;
  const ticks: Tick[] = [];
  const eps = 1e-9;
  const inside = (v: number) => v >= lo * (1 - eps) && v <= hi * (1 + eps);
  // Which multiples of the powers carry labels within a few decades (plain-number axes only,
  // where the labels are short): as many as fit in `count`.
  const fits = (ms: number[]) => {
    let n = 0;
    for (let k = a; k <= b; k++) for (const m of ms) if (inside(m * 10 ** k)) n++;
    return n <= Math.max(2, count);
  };
  const named = decades <= 1 ? [2, 5] : decades <= 3 && !powers ? (fits([1, 2, 5]) ? [2, 5] : fits([1, 5]) ? [5] : []) : [];
  for (let k = a; k <= b; k++) {
    const p = 10 ** k;
    // Labelled powers are multiples of the step (10⁻¹⁰, 10⁻⁵, 10⁰), not offsets from the edge.
    const labelled = ((k % step) + step) % step === 0;
    if (inside(p)) ticks.push({value: p, label: labelled ? logLabel(k, powers) : "", major: labelled});
    if (decades <= 3) {
      for (const m of [2, 5]) {
        const v = m * p, major = named.includes(m);
        if (inside(v)) ticks.push({value: v, label: major ? formatTick(v) : "", major});
      }
    } else if (decades <= 8 && step === 1) {
      for (let m = 2; m <= 9; m++) if (inside(m * p)) ticks.push({value: m * p, label: "", major: false});
    }
  }
  // Very narrow spans (inside one decade, no power of ten) fall back to linear ticks.
  if (ticks.filter((t) => t.label).length < 2) {
    return d3.ticks(lo, hi, Math.max(2, Math.round(count / 2))).filter((v) => v > 0).map((v) => ({value: v, label: formatTick(v), major: true}));
  }
  return ticks.sort((x, y) => x.value - y.value);
}

function logLabel(k: number, powers: boolean): string {
  return powers ? powerOfTen(k) : String(+(10 ** k).toPrecision(6));
}

/** Ticks for a linear axis: d3's nice ticks, labelled compactly. */
export function linearTicks(domain: [number, number], count = 6): Tick[] {
  return d3.ticks(Math.min(...domain), Math.max(...domain), count).map((v) => ({value: v, label: formatTick(v), major: true}));
}
