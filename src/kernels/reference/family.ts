// Plain float64 loops for the family kernels (../family/*.ts), step by step as the papers
// and official codes state them: the baselines the tests and browser checks compare with.
// Arrays are flat and row-major; every recurrence runs over t one step at a time.

/** RWKV-4's WKV exactly as the official CUDA kernel_forward (w = the decay rate, subtracted). */
export function wkvLoop(w: ArrayLike<number>, u: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, l: number, d: number): Float64Array {
  const y = new Float64Array(l * d);
  for (let c = 0; c < d; c++) {
    let p = 0, q = 0, o = -1e38;
    for (let t = 0; t < l; t++) {
      const i = t * d + c;
      let no = Math.max(o, u[c] + k[i]);
      let A = Math.exp(o - no), B = Math.exp(u[c] + k[i] - no);
      y[i] = (A * p + B * v[i]) / (A * q + B);
      no = Math.max(o - w[c], k[i]);
      A = Math.exp(o - w[c] - no);
      B = Math.exp(k[i] - no);
      p = A * p + B * v[i];
      q = A * q + B;
      o = no;
    }
  }
  return y;
}

/** Mega's damped EMA: h_t = α β x_t + (1 − αδ) h_{t−1}, y_t = Σ_j η_j h_t^(j). x (l, d); params (d, h). */
export function emaLoop(x: ArrayLike<number>, alpha: ArrayLike<number>, delta: ArrayLike<number>, beta: ArrayLike<number>, eta: ArrayLike<number>, l: number, d: number, h: number): Float64Array {
  const y = new Float64Array(l * d);
  for (let c = 0; c < d; c++) {
    const s = new Float64Array(h);
    for (let t = 0; t < l; t++) {
      let acc = 0;
      for (let j = 0; j < h; j++) {
        const i = c * h + j;
        s[j] = alpha[i] * beta[i] * x[t * d + c] + (1 - alpha[i] * delta[i]) * s[j];
        acc += eta[i] * s[j];
      }
      y[t * d + c] = acc;
    }
  }
  return y;
}

/** Retention, recurrent: S_n = γ S_{n−1} + k_nᵀ v_n, o_n = q_n S_n. q, k (h, l, dk), v (h, l, dv). */
export function retentionLoop(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, gamma: ArrayLike<number>, h: number, l: number, dk: number, dv: number): Float64Array {
  const o = new Float64Array(h * l * dv);
  for (let a = 0; a < h; a++) {
    const S = new Float64Array(dk * dv);
    for (let n = 0; n < l; n++) {
      const qi = (a * l + n) * dk, vi = (a * l + n) * dv;
      for (let i = 0; i < dk; i++) for (let j = 0; j < dv; j++) S[i * dv + j] = gamma[a] * S[i * dv + j] + k[qi + i] * v[vi + j];
      for (let j = 0; j < dv; j++) {
        let acc = 0;
        for (let i = 0; i < dk; i++) acc += q[qi + i] * S[i * dv + j];
        o[vi + j] = acc;
      }
    }
  }
  return o;
}

/** (e^z − 1)/z and e^z for complex z = a + ib, float64. */
function zohFactor(a: number, b: number, dt: number): {Ar: number; Ai: number; fr: number; fi: number} {
  const ea = Math.exp(dt * a), Ar = ea * Math.cos(dt * b), Ai = ea * Math.sin(dt * b);
  const nr = Ar - 1, ni = Ai, den = a * a + b * b; // (Ā − 1)/λ
  return {Ar, Ai, fr: (nr * a + ni * b) / den, fi: (ni * a - nr * b) / den};
}

/**
 * S5: x_k = Λ̄ x_{k−1} + B̄ u_k, y_k = s·Re(C x_k) + D u_k (s = 2 with conj), ZOH per mode.
 * Lambda (P), B (P, H), C (H, P) as {re, im}; u (L, H).
 */
export function s5Loop(p: {Lambda: {re: ArrayLike<number>; im: ArrayLike<number>}; B: {re: ArrayLike<number>; im: ArrayLike<number>}; C: {re: ArrayLike<number>; im: ArrayLike<number>}; D: ArrayLike<number>; delta: ArrayLike<number>},
  u: ArrayLike<number>, L: number, H: number, P: number, conj = true): Float64Array {
  const y = new Float64Array(L * H);
  const xr = new Float64Array(P), xi = new Float64Array(P);
  const z = Array.from({length: P}, (_, n) => zohFactor(p.Lambda.re[n], p.Lambda.im[n], p.delta[n]));
  for (let t = 0; t < L; t++) {
    for (let n = 0; n < P; n++) {
      let br = 0, bi = 0; // B̃ u_t
      for (let c = 0; c < H; c++) { br += p.B.re[n * H + c] * u[t * H + c]; bi += p.B.im[n * H + c] * u[t * H + c]; }
      const {Ar, Ai, fr, fi} = z[n];
      const r = Ar * xr[n] - Ai * xi[n] + (fr * br - fi * bi);
      const i = Ar * xi[n] + Ai * xr[n] + (fr * bi + fi * br);
      xr[n] = r; xi[n] = i;
    }
    for (let c = 0; c < H; c++) {
      let acc = 0;
      for (let n = 0; n < P; n++) acc += p.C.re[c * P + n] * xr[n] - p.C.im[c * P + n] * xi[n];
      y[t * H + c] = (conj ? 2 : 1) * acc + p.D[c] * u[t * H + c];
    }
  }
  return y;
}

/** A diagonal complex SSM per channel run as a recurrence: y_t = s·Re Σ_n C_n x_n + D u_t. u (l) → (l). */
function diagSsmLoop(u: ArrayLike<number>, Are: ArrayLike<number>, Aim: ArrayLike<number>, Bre: ArrayLike<number>, Bim: ArrayLike<number>, Cre: ArrayLike<number>, Cim: ArrayLike<number>, dt: number, D: number, s: number): Float64Array {
  const m = Are.length, l = u.length, y = new Float64Array(l);
  const xr = new Float64Array(m), xi = new Float64Array(m);
  const z = Array.from({length: m}, (_, n) => zohFactor(Are[n], Aim[n], dt));
  for (let t = 0; t < l; t++) {
    let acc = 0;
    for (let n = 0; n < m; n++) {
      const {Ar, Ai, fr, fi} = z[n];
      const bbr = fr * Bre[n] - fi * Bim[n], bbi = fr * Bim[n] + fi * Bre[n]; // B̄
      const r = Ar * xr[n] - Ai * xi[n] + bbr * u[t], i = Ar * xi[n] + Ai * xr[n] + bbi * u[t];
      xr[n] = r; xi[n] = i;
      acc += Cre[n] * r - Cim[n] * i;
    }
    y[t] = s * acc + D * u[t];
  }
  return y;
}

export interface H3LoopParams {
  shift: {B: number[][]; C: number[][]; D: number[]};
  diag: {A: {re: number[]; im: number[]}; B: {re: number[][]; im: number[][]}; C: {re: number[][]; im: number[][]}; delta: number[]; D: number[]};
  headDim: number;
}

/**
 * H3 by its two recurrences: the shift SSM (state = the last N inputs, x_t = shift(x_{t−1}) + B k_t,
 * y = C·x + D k_t) on K, the product with V, the diagonal SSM on each KV entry, the product with Q.
 * q, k, v (l, d) flat → (l, d), output channel j·H + h (as h3).
 */
export function h3Loop(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, p: H3LoopParams, l: number, d: number): Float64Array {
  const P = p.headDim, H = d / P, N = p.shift.C[0].length;
  const ks = new Float64Array(l * d);
  for (let c = 0; c < d; c++) {
    const x = new Float64Array(N);
    for (let t = 0; t < l; t++) {
      for (let n = N - 1; n > 0; n--) x[n] = x[n - 1];
      x[0] = 0;
      for (let n = 0; n < N; n++) x[n] += p.shift.B[c][n] * k[t * d + c];
      let acc = p.shift.D[c] * k[t * d + c];
      for (let n = 0; n < N; n++) acc += p.shift.C[c][n] * x[n];
      ks[t * d + c] = acc;
    }
  }
  const out = new Float64Array(l * d);
  const A = p.diag.A;
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) {
      const kv = Float64Array.from({length: l}, (_, t) => ks[t * d + h * P + i] * v[t * d + h * P + j]);
      const y = diagSsmLoop(kv, A.re, A.im, p.diag.B.re[h], p.diag.B.im[h], p.diag.C.re[h], p.diag.C.im[h], p.diag.delta[h], p.diag.D[h], 2);
      for (let t = 0; t < l; t++) out[t * d + j * H + h] += q[t * d + h * P + i] * y[t];
    }
  }
  return out;
}

export interface GssLoopParams {
  Wv: number[][]; Wu: number[][]; Wuc: number[][]; Wo: number[][];
  LambdaLog: {re: number[]; im: number[]}; C: {re: number[][]; im: number[][]}; D: number[];
}

function layerNormRows(x: Float64Array, rows: number, cols: number, eps: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let c = 0; c < cols; c++) mean += x[r * cols + c];
    mean /= cols;
    let v = 0;
    for (let c = 0; c < cols; c++) v += (x[r * cols + c] - mean) ** 2;
    v /= cols;
    for (let c = 0; c < cols; c++) y[r * cols + c] = (x[r * cols + c] - mean) / Math.sqrt(v + eps);
  }
  return y;
}
const geluTanh = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
function dense(x: Float64Array, W: number[][], rows: number, f: (z: number) => number = (z) => z): Float64Array {
  const n = W.length, m = W[0].length, y = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) for (let j = 0; j < m; j++) {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += x[r * n + i] * W[i][j];
    y[r * m + j] = f(acc);
  }
  return y;
}

/** GSS's forward with its SSM run as N complex recurrences per reduced channel (Δ = 1, B = 1). x (l, E) → (l, E). */
export function gssLoop(x: ArrayLike<number>, p: GssLoopParams, l: number, E: number, eps = 1e-5): Float64Array {
  const H = p.Wu[0].length, N = p.LambdaLog.re.length;
  const x64 = Float64Array.from(x);
  const xn = layerNormRows(x64, l, E, eps);
  const v = dense(xn, p.Wv, l, geluTanh);
  const u = layerNormRows(dense(xn, p.Wu, l, geluTanh), l, H, eps);
  const lamRe = p.LambdaLog.re.map((a) => -Math.exp(a)), lamIm = p.LambdaLog.im.map((b) => Math.exp(b));
  const y = new Float64Array(l * H);
  for (let h = 0; h < H; h++) {
    const uh = Float64Array.from({length: l}, (_, t) => u[t * H + h]);
    const yh = diagSsmLoop(uh, lamRe, lamIm, new Array(N).fill(1), new Array(N).fill(0), p.C.re[h], p.C.im[h], 1, p.D[h], 1);
    for (let t = 0; t < l; t++) y[t * H + h] = yh[t];
  }
  const uc = dense(y, p.Wuc, l);
  for (let i = 0; i < uc.length; i++) uc[i] *= v[i];
  const o = dense(uc, p.Wo, l);
  for (let i = 0; i < o.length; i++) o[i] += x64[i];
  return o;
}

/**
 * VMamba's cross-scan with the decay scan h_i = a h_{i−1} + x_i, by loops over the four
 * directions of an (H, W, C) image walked by rows and columns (no index tables).
 */
export function crossScanDecayLoop(x: ArrayLike<number>, a: ArrayLike<number>, H: number, W: number, C: number): Float64Array {
  const y = new Float64Array(H * W * C);
  const walks: [number, number][][] = [[], [], [], []];
  for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) walks[0].push([r, c]);
  for (let c = 0; c < W; c++) for (let r = 0; r < H; r++) walks[1].push([r, c]);
  walks[2] = walks[0].slice().reverse();
  walks[3] = walks[1].slice().reverse();
  for (const walk of walks) {
    for (let ch = 0; ch < C; ch++) {
      let h = 0;
      for (const [r, c] of walk) {
        h = a[ch] * h + x[(r * W + c) * C + ch];
        y[(r * W + c) * C + ch] += h;
      }
    }
  }
  return y;
}
