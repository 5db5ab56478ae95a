// Page 2, discretization, the rules themselves: what each rule x_k = Ā x_{k−1} + B̄ u_k does
// to a small system x' = Ax + Bu, y = Cx (n ≤ 2 here, A real). The page's view (what it draws,
// caches and says) is lessons/discretization.ts, which re-exports this module.
//
//   heldInput          u_k held on [kΔ, (k+1)Δ), the same continuous u(t) for every Δ
//   discreteResponses  y_k = C x_k for several methods at once (tfjs: `discretize` per method,
//                      then one `ssmStates` call on the block-diagonal system, so the cost of a
//                      redraw is one log-depth scan however many methods are shown)
//   errorVsDelta       max_k |y_k − y((k+1)Δ)| against Δ, for every method (float64 loops:
//                      the error of a method, not of float32 rounding), and its fitted slope
//   stabilityInterval  the Δ > 0 for which ρ(Ā) < 1 (closed form per eigenvalue)
//   zOfS               z = f(s) for s = Δλ: the map each rule applies to eigenvalues
//   mixedRuleGap       ‖ΔB − B̄_zoh‖ / ‖B̄_zoh‖, the difference between Mamba's rule and ZOH
//
// Sampling convention (as in signals.ts and ssmStates), in 0-based arrays: entry k is the state
// at t = (k+1)Δ after the input u_k was held on [kΔ, (k+1)Δ); before it, x(0) = 0. The page
// writes the same thing 1-based: x_k = x(kΔ), u_k held on [(k−1)Δ, kΔ). ZOH is exact for it.
import * as tf from "@tensorflow/tfjs";
import {discretize, discretizeF64, eig2, fail, METHODS, type Method, ssmStates} from "../kernels/index.js";
import {sampleSignal, scaleToUnit, type SignalKind, type SignalOptions} from "./signals.js";

export {METHODS, type Method};


function checkSmall(fn: string, A: number[][], B?: number[][], C?: number[][]): number {
  if (!Array.isArray(A) || A.length < 1 || A.length > 2 || !A.every((r) => Array.isArray(r) && r.length === A.length)) {
    fail(fn, `A must be a 1x1 or 2x2 array of rows, got ${JSON.stringify(A)}`);
  }
  const n = A.length;
  if (!A.flat().every(Number.isFinite)) fail(fn, `A must be finite, got ${JSON.stringify(A)}`);
  if (B && (B.length !== n || !B.every((r) => r.length === 1 && Number.isFinite(r[0])))) fail(fn, `B must be finite with shape (n, 1), n = ${n}`);
  if (C && (C.length !== 1 || C[0].length !== n || !C[0].every(Number.isFinite))) fail(fn, `C must be finite with shape (1, n), n = ${n}`);
  return n;
}

function checkMethods(fn: string, methods: readonly string[]): Method[] {
  if (!Array.isArray(methods) || methods.length === 0) fail(fn, "methods must be a non-empty list");
  for (const m of methods) if (!METHODS.includes(m as Method)) fail(fn, `methods: unknown method ${JSON.stringify(m)} (one of ${METHODS.join(", ")})`);
  return methods as Method[];
}

/** Eigenvalues of a real 1x1 or 2x2 matrix as {re, im} arrays (closed form, linalg/eig.ts). */
export function eigenvalues(A: number[][]): {re: number[]; im: number[]} {
  checkSmall("eigenvalues", A);
  return eig2(A);
}

/** Spectral radius max |μ| of a real 1x1 or 2x2 matrix. */
export function spectralRadius(M: number[][]): number {
  const {re, im} = eigenvalues(M);
  return Math.max(...re.map((r, i) => Math.hypot(r, im[i])));
}

/**
 * The map z = f(s), s = Δλ, that each rule applies to an eigenvalue λ of A:
 * zoh, mamba z = eˢ; bilinear z = (1 + s/2)/(1 − s/2); euler z = 1 + s; backward-euler z = 1/(1 − s).
 */
export function zOfS(method: Method, re: number, im: number): [number, number] {
  switch (method) {
    case "zoh":
    case "mamba": {
      const m = Math.exp(re);
      return [m * Math.cos(im), m * Math.sin(im)];
    }
    case "euler":
      return [1 + re, im];
    case "backward-euler": {
      const a = 1 - re, b = -im, d = a * a + b * b; // 1/(a + ib)
      return [a / d, -b / d];
    }
    case "bilinear": {
      const pr = 1 + re / 2, pi = im / 2, qr = 1 - re / 2, qi = -im / 2, d = qr * qr + qi * qi;
      return [(pr * qr + pi * qi) / d, (pi * qr - pr * qi) / d];
    }
    default:
      return fail("zOfS", `unknown method ${JSON.stringify(method)}`);
  }
}

/**
 * The Δ > 0 for which every eigenvalue of Ā lies strictly inside the unit circle, from
 * |f(Δλ)| < 1 per eigenvalue λ = a + ib (|λ|² = a² + b²):
 *   zoh, mamba, bilinear: all Δ if a < 0, none otherwise (these maps send Re s < 0 onto |z| < 1);
 *   euler:          |1 + Δλ|² < 1  ⟺  Δ < −2a/|λ|²   (needs a < 0);
 *   backward-euler: |1 − Δλ|² > 1  ⟺  Δ > 2a/|λ|²    (all Δ if a ≤ 0, λ ≠ 0).
 * Returns the interval {lo, hi} (open; hi may be Infinity) or null when no Δ > 0 is stable.
 */
export function stabilityInterval(A: number[][], method: Method): {lo: number; hi: number} | null {
  checkMethods("stabilityInterval", [method]);
  const {re, im} = eigenvalues(A);
  let lo = 0, hi = Infinity;
  for (let i = 0; i < re.length; i++) {
    const a = re[i], r2 = a * a + im[i] * im[i];
    if (method === "euler") {
      if (!(a < 0)) return null;
      hi = Math.min(hi, (-2 * a) / r2);
    } else if (method === "backward-euler") {
      if (r2 === 0) return null;
      if (a > 0) lo = Math.max(lo, (2 * a) / r2);
    } else if (!(a < 0)) {
      return null;
    }
  }
  return lo < hi ? {lo, hi} : null;
}

/**
 * Held input u_k on [kΔ, (k+1)Δ), k = 0..l−1, for the same continuous u(t) whatever Δ is:
 * sampleSignal for step/impulse/sine/square/noise; a real series is stretched over [0, T]
 * (not over l·Δ as sampleSignal does) and held at its last value after T.
 */
export function heldInput(kind: SignalKind, l: number, delta: number, opts: SignalOptions & {T: number}): Float64Array {
  if (kind !== "series") return Float64Array.from(sampleSignal(kind, l, delta, opts));
  if (!(opts.T > 0)) fail("heldInput", `T must be > 0, got ${opts.T}`);
  if (!opts.series || opts.series.length < 2) fail("heldInput", "series needs at least 2 values");
  if (!Number.isInteger(l) || l < 1) fail("heldInput", `l must be an integer ≥ 1, got ${l}`);
  const s = scaleToUnit(opts.series), amp = opts.amplitude ?? 1, u = new Float64Array(l);
  for (let k = 0; k < l; k++) {
    const pos = Math.min(1, ((k + 0.5) * delta) / opts.T) * (s.length - 1);
    const i = Math.min(Math.floor(pos), s.length - 2), f = pos - i;
    u[k] = amp * (s[i] * (1 - f) + s[i + 1] * f);
  }
  return u;
}

export interface DiscreteResponses {
  /** y_k = C x_k per method, k = 0..l−1, at t = (k+1)Δ; float32 as computed by the kernels */
  y: Float32Array[];
  /** Ā (n, n) and B̄ (n, 1) per method, as used (float32 values) */
  Ab: number[][][];
  Bb: number[][][];
}

/**
 * Runs several discretizations of (A, B, C) on the same held input u (l) at step Δ, with the
 * site's tfjs kernels: Ā_m, B̄_m = discretize(A, B, Δ, m) for each method m, then one
 * ssmStates call on the block-diagonal system diag(Ā_1..Ā_M) (Mn, Mn), [B̄_1; …; B̄_M] (Mn, 1),
 * whose state stacks the M independent states; y (l, M) = X (l, Mn) · blockdiag(Cᵀ) (Mn, M).
 * Reads the results asynchronously (no synchronous GPU readback); returns plain arrays, no
 * tensor escapes.
 */
export async function discreteResponses(A: number[][], B: number[][], C: number[][], u: ArrayLike<number>, delta: number, methods: readonly Method[]): Promise<DiscreteResponses> {
  const fn = "discreteResponses";
  const n = checkSmall(fn, A, B, C);
  const ms = checkMethods(fn, methods);
  if (!(delta > 0) || !Number.isFinite(delta)) fail(fn, `delta must be a finite number > 0, got ${delta}`);
  if (u.length < 1) fail(fn, "u must have length l ≥ 1");
  const M = ms.length, N = M * n, l = u.length;
  const {Y, parts} = tf.tidy(() => {
    const parts = ms.map((m) => discretize(A, B, delta, m)); // (n, n), (n, 1) each
    const AbBig = tf.concat(parts.map((p, i) => tf.pad(p.Ab, [[0, 0], [i * n, (M - 1 - i) * n]])), 0); // (N, N)
    const BbBig = tf.concat(parts.map((p) => p.Bb), 0); // (N, 1)
    const Cbig = new Float32Array(N * M); // (N, M): column i holds Cᵀ in rows i·n..i·n+n−1
    for (let i = 0; i < M; i++) for (let j = 0; j < n; j++) Cbig[(i * n + j) * M + i] = C[0][j];
    const X = ssmStates(AbBig, BbBig, tf.tensor1d(Float32Array.from(u))); // (l, N)
    const Y = tf.transpose(tf.matMul(X, tf.tensor2d(Cbig, [N, M]))); // (M, l)
    return {Y, parts: parts.map((p) => [tf.keep(p.Ab), tf.keep(p.Bb)] as const)};
  });
  try {
    const [yAll, ...mats] = (await Promise.all([Y.data(), ...parts.flat().map((t) => t.data())])) as Float32Array[];
    const rows = (d: Float32Array, c: number) => Array.from({length: d.length / c}, (_, i) => Array.from(d.subarray(i * c, (i + 1) * c)));
    return {
      y: ms.map((_, i) => yAll.slice(i * l, (i + 1) * l)),
      Ab: parts.map((_, i) => rows(mats[2 * i], n)),
      Bb: parts.map((_, i) => rows(mats[2 * i + 1], 1))
    };
  } finally {
    tf.dispose([Y, ...parts.flat()]);
  }
}

/** Plain float64 loop x_k = Ā x_{k−1} + B̄ u_k, y_k = C x_k (n ≤ 2), stopping once |x| > bound. */
export function runF64(Ab: number[][], Bb: number[][], C: number[][], u: ArrayLike<number>, bound = 1e30): Float64Array {
  const n = Ab.length, l = u.length, y = new Float64Array(l).fill(NaN);
  // Entries hoisted to locals (a 1x1 system is the 2x2 one with zeros): a tight loop.
  const a00 = Ab[0][0], a01 = n > 1 ? Ab[0][1] : 0, a10 = n > 1 ? Ab[1][0] : 0, a11 = n > 1 ? Ab[1][1] : 0;
  const b0 = Bb[0][0], b1 = n > 1 ? Bb[1][0] : 0, c0 = C[0][0], c1 = n > 1 ? C[0][1] : 0;
  let x0 = 0, x1 = 0;
  for (let k = 0; k < l; k++) {
    const uk = u[k];
    const p = a00 * x0 + a01 * x1 + b0 * uk;
    x1 = a10 * x0 + a11 * x1 + b1 * uk;
    x0 = p;
    if (!(Math.abs(x0) + Math.abs(x1) <= bound)) { y[k] = Infinity; break; }
    y[k] = c0 * x0 + c1 * x1;
  }
  return y;
}

export interface ErrorVsDelta {
  deltas: Float64Array;
  /** per method: max_k |y_k − y((k+1)Δ)| over (k+1)Δ ≤ T; Infinity where the method blew up, NaN where it has no Ā (singular) */
  errors: Record<Method, Float64Array>;
  /** per method: the Δ of the sweep at which the rule is singular (backward Euler at Δλ = 1, bilinear at Δλ = 2) */
  singular: Record<Method, number[]>;
  /** per method: least-squares slope of log err against log Δ where Δ·ρ(A) ≤ fitMax and err > floor (null if < 3 points) */
  slopes: Record<Method, number | null>;
  /** max |y(t)| of the reference, for scale */
  scale: number;
  /** fine step of the reference solution */
  hRef: number;
  /** the smallest Δ of the sweep; larger than asked when the reference would need more than maxRefSteps steps */
  deltaMin: number;
  bounded: boolean;
}

export interface ErrorOptions {
  kind: SignalKind;
  signal?: SignalOptions;
  /** horizon: errors are measured on (0, T] */
  T: number;
  /** smallest and largest Δ of the sweep (Δmax is also capped at T/4) */
  deltaMin?: number;
  deltaMax?: number;
  /** the sweep itself (each Δ must be a whole multiple of the reference step); default log-spaced */
  deltas?: readonly number[];
  /** points per decade */
  perDecade?: number;
  /** reference step as a fraction of deltaMin (default 1/10) */
  refRatio?: number;
  /** errors below floor are rounding and are left out of the fitted slope */
  floor?: number;
  /** fit only where Δ·ρ(A) ≤ fitMax (the asymptotic regime) */
  fitMax?: number;
  methods?: readonly Method[];
  /**
   * bound on the reference grid, T / h (default 100 000): beyond it deltaMin is raised to
   * refRatio⁻¹ · T / maxRefSteps (and `bounded` set) so that the work stays bounded for any T
   */
  maxRefSteps?: number;
}

/** discretizeF64, or null where the rule is singular at this Δ (other errors are thrown). */
export function discretizeOrNull(A: number[][], B: number[][], delta: number, method: Method): {Ab: number[][]; Bb: number[][]} | null {
  try {
    return discretizeF64(A, B, delta, method);
  } catch (e) {
    if (/singular/.test((e as Error).message)) return null;
    throw e;
  }
}

/**
 * Measured error against Δ. The reference y(t) is the ZOH solution (exact for held input) on
 * a fine grid h = deltaMin·refRatio with the input held on each fine interval, extrapolated
 * (Richardson, h and h/2) so that its own error for a smooth input is far below the errors
 * measured; for the impulse the
 * reference is the exact impulse response C e^{At} B (state B at t = 0⁺, no input after).
 * Each Δ in the sweep is a whole multiple of h, so y((k+1)Δ) is a reference grid point.
 * The methods run in float64 (discretizeF64 and a plain loop): this measures each rule's
 * truncation error, not float32 rounding. A (n, n) n ≤ 2, B (n, 1), C (1, n).
 * A rule that is singular at some Δ of the sweep gets NaN there (and the Δ in `singular`).
 */
export function errorVsDelta(A: number[][], B: number[][], C: number[][], o: ErrorOptions): ErrorVsDelta {
  const steps = errorVsDeltaSteps(A, B, C, o);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** errorVsDelta in slices: yields after the reference and after each method (for runSliced). */
export function* errorVsDeltaSteps(A: number[][], B: number[][], C: number[][], o: ErrorOptions): Generator<string, ErrorVsDelta> {
  const fn = "errorVsDelta";
  checkSmall(fn, A, B, C);
  const methods = checkMethods(fn, o.methods ?? METHODS);
  const {kind, T, perDecade = 6, refRatio = 0.1, floor = 1e-12, fitMax = 0.1, maxRefSteps = 100_000} = o;
  if (!(T > 0) || !Number.isFinite(T)) fail(fn, `T must be a finite number > 0, got ${T}`);
  const asked = o.deltaMin ?? 1e-3;
  const bounded = !o.deltas && T / (asked * refRatio) > maxRefSteps * (1 + 1e-9);
  const deltaMin = bounded ? T / maxRefSteps / refRatio : asked;
  const deltaMax = Math.min(o.deltaMax ?? 10, T / 4);
  if (!(deltaMin > 0) || !(deltaMax > deltaMin)) fail(fn, `need 0 < deltaMin < min(deltaMax, T/4), got deltaMin = ${deltaMin}, deltaMax = ${deltaMax}`);
  const h = deltaMin * refRatio;
  const sig = {...(o.signal ?? {}), T};
  // The sweep: Δ = m·h for distinct integers m, log-spaced.
  const decades = Math.log10(deltaMax / deltaMin);
  const count = Math.max(2, Math.round(decades * perDecade) + 1);
  const mult = o.deltas
    ? o.deltas.map((d) => {
      const m = Math.round(d / h);
      if (!(m >= 1) || Math.abs(m * h - d) > 1e-9 * d || d > T) fail(fn, `deltas: ${d} is not a whole multiple of the reference step ${h} in (0, T]`);
      return m;
    })
    : [...new Set(Array.from({length: count}, (_, i) => Math.round((deltaMin * (deltaMax / deltaMin) ** (i / (count - 1))) / h)))];
  const deltas = Float64Array.from(mult, (m) => m * h);
  // Reference on the fine grid: yRef[i] = y((i+1)h), i = 0..Lref−1.
  const Lref = Math.floor(T / h + 1e-9);
  let yRef: Float64Array;
  const zoh = discretizeF64(A, B, h, "zoh");
  if (kind === "impulse") {
    // x((i+1)h) = e^{(i+1)hA} B: one step of Ā_h on B, then the free recurrence.
    const AB = zoh.Ab.map((row) => [row.reduce((acc, a, j) => acc + a * B[j][0], 0)]); // (n, 1)
    const u = new Float64Array(Lref);
    u[0] = 1;
    yRef = runF64(zoh.Ab, AB, C, u, Number.MAX_VALUE);
  } else {
    // Richardson: the held-input error is even in h for a smooth input, so
    // (4·y_{h/2} − y_h)/3 removes its h² term (and changes nothing where it was exact).
    const coarse = runF64(zoh.Ab, zoh.Bb, C, heldInput(kind, Lref, h, sig), Number.MAX_VALUE);
    const half = discretizeF64(A, B, h / 2, "zoh");
    const fine = runF64(half.Ab, half.Bb, C, heldInput(kind, 2 * Lref, h / 2, sig), Number.MAX_VALUE);
    yRef = coarse.map((y, i) => (4 * fine[2 * i + 1] - y) / 3);
  }
  yield "reference";
  let scale = 0;
  for (const v of yRef) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  const rho = spectralRadius(A);
  // A run "blew up" once its state is far beyond anything the reference reaches.
  const bound = Math.max(1e30, 1e6 * scale);
  const errors = {} as Record<Method, Float64Array>;
  const singular = {} as Record<Method, number[]>;
  const slopes = {} as Record<Method, number | null>;
  // The held input for each Δ is sampled once and shared by the methods.
  const inputs = mult.map((m, j) => heldInput(kind, Math.floor(Lref / m), deltas[j], sig));
  for (const method of methods) {
    const err = new Float64Array(deltas.length);
    singular[method] = [];
    deltas.forEach((delta, j) => {
      const m = mult[j], u = inputs[j], l = u.length;
      const d = discretizeOrNull(A, B, delta, method);
      if (!d) { err[j] = NaN; singular[method].push(delta); return; }
      const y = runF64(d.Ab, d.Bb, C, u, bound);
      let e = 0;
      for (let k = 0; k < l; k++) {
        const diff = Math.abs(y[k] - yRef[(k + 1) * m - 1]);
        if (!Number.isFinite(diff)) { e = Infinity; break; }
        e = Math.max(e, diff);
      }
      err[j] = e;
    });
    errors[method] = err;
    const pts: [number, number][] = [];
    deltas.forEach((d, j) => { if (d * rho <= fitMax && Number.isFinite(err[j]) && err[j] > floor) pts.push([Math.log10(d), Math.log10(err[j])]); });
    slopes[method] = pts.length >= 3 ? fitSlope(pts) : null;
    yield method;
  }
  return {deltas, errors, singular, slopes, scale, hRef: h, deltaMin, bounded};
}

/** Least-squares slope of y against x. */
export function fitSlope(pts: readonly [number, number][]): number {
  const n = pts.length;
  const mx = pts.reduce((s, p) => s + p[0], 0) / n, my = pts.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0, sxx = 0;
  for (const [x, y] of pts) { sxy += (x - mx) * (y - my); sxx += (x - mx) ** 2; }
  return sxy / sxx;
}

/**
 * Relative difference between Mamba's B̄ = ΔB and ZOH's B̄ = (ΔA)⁻¹(e^{ΔA} − I)ΔB,
 * ‖ΔB − B̄_zoh‖₂ / ‖B̄_zoh‖₂, for each Δ (float64). For a scalar A = λ it is
 * |z/(eᶻ − 1) − 1| with z = Δλ, ≈ |z|/2 for small |z| (see mixedRuleGapScalar).
 */
export function mixedRuleGap(A: number[][], B: number[][], deltas: ArrayLike<number>): Float64Array {
  checkSmall("mixedRuleGap", A, B);
  return Float64Array.from(deltas, (delta) => {
    const zoh = discretizeF64(A, B, delta, "zoh").Bb.map((r) => r[0]);
    const num = Math.hypot(...zoh.map((b, i) => delta * B[i][0] - b));
    return num / Math.hypot(...zoh);
  });
}

/** |z/(eᶻ − 1) − 1| for complex z = re + i·im (the scalar mixed-rule gap; 0 at z = 0). */
export function mixedRuleGapScalar(re: number, im = 0): number {
  if (Math.hypot(re, im) < 1e-8) return Math.hypot(re, im) / 2;
  const er = Math.exp(re) * Math.cos(im) - 1, ei = Math.exp(re) * Math.sin(im); // eᶻ − 1
  const d = er * er + ei * ei;
  const qr = (re * er + im * ei) / d, qi = (im * er - re * ei) / d; // z / (eᶻ − 1)
  return Math.hypot(qr - 1, qi);
}
