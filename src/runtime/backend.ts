// The one place that decides the tfjs backend for the whole site (docs/design.md,
// "Backends"). Order: webgpu → webgl → wasm → cpu; `?backend=` (passed in as `requested`)
// is tried first. A backend is accepted only after it computes a known small answer
// (matmul, exp, cumsum) that matches the same numbers computed here in plain JS: a software
// WebGPU adapter can return zeros while `setBackend` says true (docs/toolchain.md).
//
// A GPU backend on a software rasteriser (SwiftShader, llvmpipe, a WebGPU fallback adapter)
// is slower than wasm for everything this site runs (3–12× in the project's benchmarks), so
// the automatic order tries it only after wasm; a reader can still force it with ?backend=.
// No DOM: the caller reads the URL. The webgpu and wasm backends are imported lazily, so a
// page that ends on webgl or cpu never downloads them.
import * as tf from "@tensorflow/tfjs";
import {installWebGPUAddN} from "../kernels/index.js";
import {capGpuPool, gpuPoolFreeBytes, gpuPoolStats} from "./gpuPool.js";

export const BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendAttempt {
  /** the backend tried (or, for an invalid request, the name as given) */
  name: string;
  ok: boolean;
  /** why it failed, or what was checked when it succeeded */
  reason: string;
  /** wall time of import + init + self-check */
  ms: number;
  /** true when it was not tried at all (a software GPU ranked after the backend in use) */
  skipped?: boolean;
}

export interface BackendReport {
  /** the backend in use (tf.getBackend()) */
  name: BackendName;
  /** what the caller asked for (raw), null for the automatic order */
  requested: string | null;
  attempts: BackendAttempt[];
  /** max relative error of the chosen backend's self-check (0 is exact) */
  selfCheckError: number;
  /** true when a backend was requested (valid or not) and another one is in use */
  fallback: boolean;
}

export interface InitOptions {
  /** order to try after the requested one (default BACKENDS); tests use it to stay quick */
  order?: readonly BackendName[];
  /** per-attempt limit in ms (default 20000): a backend that hangs counts as failed */
  timeoutMs?: number;
  /** how to tell a software GPU (default: probeGpu, which asks the adapter / WebGL renderer) */
  probe?: (name: "webgpu" | "webgl") => Promise<GpuInfo | null>;
}

/** What the device says about a GPU backend: its name, and whether it is a software rasteriser. */
export interface GpuInfo { software: boolean; description: string }

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|microsoft basic/i;

/**
 * Asks the device what renders webgpu or webgl: the WebGPU adapter's info (or its fallback
 * flag), or WebGL's unmasked renderer string. null when nothing can be learned (no adapter,
 * no context, or the browser hides the renderer).
 */
export async function probeGpu(name: "webgpu" | "webgl"): Promise<GpuInfo | null> {
  try {
    if (name === "webgpu") {
      const gpu = (globalThis as {navigator?: {gpu?: {requestAdapter(): Promise<any>}}}).navigator?.gpu;
      const adapter = gpu ? await gpu.requestAdapter() : null;
      if (!adapter) return null;
      const info = adapter.info ?? {};
      const description = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ") || "unknown adapter";
      return {software: Boolean(adapter.isFallbackAdapter || info.isFallbackAdapter) || SOFTWARE.test(description), description};
    }
    if (typeof document === "undefined") return null;
    const gl = document.createElement("canvas").getContext("webgl2") as WebGL2RenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    const description = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return {software: SOFTWARE.test(description), description};
  } catch {
    return null;
  }
}

/** Relative error above which a backend's self-check fails. */
export const SELF_CHECK_TOLERANCE = 1e-3;

export function isBackendName(x: unknown): x is BackendName {
  return typeof x === "string" && (BACKENDS as readonly string[]).includes(x);
}

const memo = new Map<string, Promise<BackendReport>>();
let queue: Promise<unknown> = Promise.resolve();

/**
 * Chooses and initialises the tfjs backend. Memoized per `requested`: every cell that awaits
 * it shares one init. Calls with different requests run one after another (the last one
 * decides the engine's backend).
 */
export function initBackend(requested?: string | null, options: InitOptions = {}): Promise<BackendReport> {
  const raw = requested == null || requested.trim() === "" ? null : requested;
  const key = `${raw ?? ""}|${(options.order ?? BACKENDS).join(",")}`;
  let p = memo.get(key);
  if (!p) {
    p = queue.then(() => choose(raw, options)).then((report) => {
      // For tests and curious readers (devtools): the engine and the report, so that
      // tf.memory() can be watched across slider moves. Nothing on the site reads it.
      (globalThis as {ssmDebug?: unknown}).ssmDebug = {tf, report, memory: () => tf.memory(),
        gpuPool: () => ({...gpuPoolStats(), free: gpuPoolFreeBytes()})};
      return report;
    });
    queue = p.catch(() => undefined);
    memo.set(key, p);
  }
  return p;
}

async function choose(raw: string | null, {order = BACKENDS, timeoutMs = 20000, probe = probeGpu}: InitOptions): Promise<BackendReport> {
  const attempts: BackendAttempt[] = [];
  const wanted = raw == null ? null : raw.trim().toLowerCase();
  let candidates: BackendName[] = [...order];
  // Software GPUs go after wasm (unless the reader asked for that backend by name). Probed
  // only when the automatic order is needed (no request, or the requested backend failed).
  const demoted: {name: BackendName; info: GpuInfo}[] = [];
  let ranked = false;
  const rank = async (rest: BackendName[]): Promise<BackendName[]> => {
    ranked = true;
    for (const name of ["webgpu", "webgl"] as const) {
      if (name === wanted || !rest.includes(name)) continue;
      const info = await probe(name);
      if (info?.software) demoted.push({name, info});
    }
    if (!demoted.length) return rest;
    const keep = rest.filter((b) => !demoted.some((d) => d.name === b));
    const at = keep.includes("wasm") ? keep.indexOf("wasm") + 1 : keep.length;
    return [...keep.slice(0, at), ...demoted.map((d) => d.name), ...keep.slice(at)];
  };
  if (wanted != null) {
    if (isBackendName(wanted)) {
      candidates = [wanted, ...candidates.filter((b) => b !== wanted)];
    } else {
      attempts.push({
        name: raw!, ok: false, ms: 0,
        reason: `"${raw}" is not a backend (expected one of ${BACKENDS.join(", ")}); using the automatic order`
      });
    }
  }
  for (let i = 0; i < candidates.length; i++) {
    const name = candidates[i];
    if (!ranked && (wanted == null || !isBackendName(wanted) || i > 0)) {
      candidates = [...candidates.slice(0, i), ...(await rank(candidates.slice(i)))];
      i--;
      continue;
    }
    const lostWhy = lostBackends()[name];
    if (lostWhy) {
      attempts.push({name, ok: false, ms: 0, reason: `lost earlier in this tab (${lostWhy}); not used again until the tab is closed`});
      continue;
    }
    const t0 = now();
    let outcome: {ok: true; error: number} | {ok: false; reason: string};
    try {
      outcome = await withTimeout(tryBackend(name), timeoutMs, `no answer within ${timeoutMs / 1000} s`);
    } catch (e) {
      outcome = {ok: false, reason: message(e)};
    }
    const ms = Math.round(now() - t0);
    const soft = demoted.find((d) => d.name === name);
    if (outcome.ok) {
      attempts.push({name, ok: true, ms, reason: `self-check passed (error ${outcome.error.toExponential(1)})${soft ? `; a software GPU (${soft.info.description}), used because the faster backends failed` : ""}`});
      for (const d of demoted) {
        if (!attempts.some((a) => a.name === d.name)) {
          attempts.push({name: d.name, ok: false, skipped: true, ms: 0, reason: `a software GPU (${d.info.description}) is slower than ${name} here; force it with ?backend=${d.name}`});
        }
      }
      if (!watched.has(name)) { watched.add(name); watchLoss(name); }
      return {
        name, requested: raw, attempts, selfCheckError: outcome.error,
        fallback: (wanted != null && wanted !== name) || attempts.some((a) => /^lost earlier/.test(a.reason))
      };
    }
    attempts.push({name, ok: false, ms, reason: outcome.reason});
    dropBackend(name);
  }
  throw new Error(`initBackend: no tfjs backend works here: ${attempts.map((a) => `${a.name}: ${a.reason}`).join("; ")}`);
}

/** What useBackend found: the attempt, plus what the device says renders a GPU backend. */
export interface BackendSwitch extends BackendAttempt {
  /** true on a software GPU (SwiftShader, llvmpipe …), false on a hardware one, null on cpu/wasm or when unknown */
  software: boolean | null;
  /** the WebGPU adapter or WebGL renderer, when the device tells ("" otherwise) */
  description: string;
}

/**
 * Makes `name` the engine's backend for what follows, after the self-check that initBackend
 * asks of every backend (a known answer computed in plain JS), for pages that run the same
 * work on several backends in turn (/lab). Not memoized: each call sets the backend and checks
 * it again. When the backend fails, the one in use before is put back and the reason returned.
 * Waits for any initBackend in progress first.
 */
export async function useBackend(name: BackendName, {timeoutMs = 20000, probe = probeGpu}: {timeoutMs?: number; probe?: InitOptions["probe"]} = {}): Promise<BackendSwitch> {
  await queue;
  const previous = tf.getBackend();
  const t0 = now();
  const info = name === "webgpu" || name === "webgl" ? await probe(name) : null;
  const gpu = {software: info ? info.software : null, description: info?.description ?? ""};
  const lostWhy = lostBackends()[name];
  if (lostWhy) return {name, ok: false, ms: 0, reason: `lost earlier in this tab (${lostWhy})`, ...gpu};
  let outcome: Outcome;
  try {
    outcome = await withTimeout(tryBackend(name), timeoutMs, `no answer within ${timeoutMs / 1000} s`);
  } catch (e) {
    outcome = {ok: false, reason: message(e)};
  }
  const ms = Math.round(now() - t0);
  if (outcome.ok) {
    if (!watched.has(name)) { watched.add(name); watchLoss(name); }
    return {name, ok: true, ms, reason: `self-check passed (error ${outcome.error.toExponential(1)})`, ...gpu};
  }
  if (name !== previous) dropBackend(name);
  if (previous && previous !== name && tf.getBackend() !== previous) await tf.setBackend(previous);
  return {name, ok: false, ms, reason: outcome.reason, ...gpu};
}

/** Backends whose loss is already watched (initBackend's choice, or a useBackend). */
const watched = new Set<string>();

type Outcome = {ok: true; error: number} | {ok: false; reason: string};

async function tryBackend(name: BackendName): Promise<Outcome> {
  const pre = await prepare(name);
  if (pre) return {ok: false, reason: pre};
  const warnings: string[] = [];
  let ok: boolean;
  // tfjs reports a failed init only through console.warn; keep its words as the reason.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => { warnings.push(args.map(String).join(" ")); };
  try {
    ok = await tf.setBackend(name);
    if (ok) await tf.ready();
  } finally {
    console.warn = warn;
  }
  if (ok && tf.getBackend() === name) {
    // Bound what tfjs keeps for reuse on the GPU (src/runtime/gpuPool.ts): without it every
    // length a slider drags through stays allocated.
    const refused = capGpuPool(tf.backend());
    if (refused) console.warn(`GPU pool cap not installed: ${refused}`);
  }
  if (!ok || tf.getBackend() !== name) {
    const detail = warnings.filter((w) => !/^Initialization of backend \w+ failed$/.test(w.trim()))
      .map((w) => w.split("\n")[0]).join("; ");
    return {ok: false, reason: `initialisation failed${detail ? `: ${detail}` : ""}`};
  }
  const error = await selfCheck();
  if (!(error <= SELF_CHECK_TOLERANCE)) {
    return {ok: false, reason: `self-check failed: ${Number.isNaN(error) ? "NaN in the result" : `error ${error.toExponential(1)} > ${SELF_CHECK_TOLERANCE}`}`};
  }
  return {ok: true, error};
}

/** Loads what a backend needs; returns a reason when it cannot run here. */
async function prepare(name: BackendName): Promise<string | null> {
  if (name === "webgpu") {
    const gpu = (globalThis as {navigator?: {gpu?: unknown}}).navigator?.gpu;
    if (!gpu) return "navigator.gpu is not available (no WebGPU here)";
    const adapter = await (gpu as {requestAdapter(): Promise<unknown>}).requestAdapter().catch(() => null);
    if (!adapter) return "no WebGPU adapter on this device (requestAdapter() gave none)";
    if (!tf.findBackendFactory("webgpu")) await import("@tensorflow/tfjs-backend-webgpu");
    if (!tf.findBackendFactory("webgpu")) return "the webgpu backend did not register";
    installWebGPUAddN(); // its AddN breaks past 7 inputs (gradients of a tensor read 8+ times)
  } else if (name === "webgl") {
    if (!tf.findBackendFactory("webgl")) return "no WebGL here (the webgl backend is registered only in browsers)";
    // Shapes as uniforms: without it tfjs compiles a new shader for every new tensor shape
    // (uploads included), so a slider that changes a length stalls on compiles. Numerics are
    // unchanged (the site's own programs take their sizes as uniforms already).
    tf.env().set("WEBGL_USE_SHAPES_UNIFORMS", true);
  } else if (name === "wasm") {
    if (!tf.findBackendFactory("wasm")) await loadWasm();
    if (!tf.findBackendFactory("wasm")) return "the wasm backend did not register";
  }
  return null;
}

interface WasmModule {
  setWasmPaths(paths: Record<string, string>, usePlatformFetch?: boolean): void;
  wasmFiles: Record<string, string>;
}

async function loadWasm(): Promise<void> {
  // Threads need cross-origin isolation (COOP/COEP) and a worker file we do not ship; the
  // flag exists once the backend module has been imported.
  const noThreads = () => tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  if (isNode()) {
    // Node (unit tests): the package's own Node build finds its .wasm files itself. The
    // specifier is a variable so that Framework does not bundle the package for the browser.
    const spec = "@tensorflow/tfjs-backend-wasm";
    await import(/* @vite-ignore */ spec);
    noThreads();
    return;
  }
  // Browser: a pre-bundled copy (scripts/wasm-bundle.mjs) with tfjs-core left external, so it
  // registers on this page's engine; it also exports the URLs of the self-hosted .wasm files.
  // @ts-ignore: generated at predev/prebuild time, plain JS without types
  const wasm = (await import("../assets/generated/tfjs-backend-wasm.js")) as WasmModule;
  noThreads();
  // tfjs wants an entry for every binary, the threaded one included, even with threads off:
  // point it at the SIMD file (never fetched, since WASM_HAS_MULTITHREAD_SUPPORT is false).
  wasm.setWasmPaths({
    ...wasm.wasmFiles,
    "tfjs-backend-wasm-threaded-simd.wasm": wasm.wasmFiles["tfjs-backend-wasm-simd.wasm"]
  });
}

// The self-check: Y = cumsum(exp(A·X), axis 1), compared with the same thing in JS.
const CHECK_A = [[1, 2, 0], [0, 1, -1], [0.5, 0, 1]];
const CHECK_X = [[0.2, -0.1, 0.3], [0.1, 0.4, -0.2], [-0.3, 0.2, 0.1]];

function selfCheckReference(): number[] {
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    let acc = 0;
    for (let j = 0; j < 3; j++) {
      let m = 0;
      for (let k = 0; k < 3; k++) m += CHECK_A[i][k] * CHECK_X[k][j];
      acc += Math.exp(m);
      out.push(acc);
    }
  }
  return out;
}

/** Runs the self-check on the current backend: max |got − want| / max(1, |want|). */
export async function selfCheck(): Promise<number> {
  const y = tf.tidy(() => tf.cumsum(tf.exp(tf.matMul(tf.tensor2d(CHECK_A), tf.tensor2d(CHECK_X))), 1));
  try {
    const got = await y.data();
    const want = selfCheckReference();
    if (got.length !== want.length) return Infinity;
    let err = 0;
    for (let i = 0; i < want.length; i++) {
      const e = Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
      if (Number.isNaN(e)) return NaN;
      err = Math.max(err, e);
    }
    return err;
  } finally {
    y.dispose();
  }
}

// ---- device loss
// A GPU can be lost at any time (a driver reset or update, a GPU process crash, a tab left in
// the background). tfjs does not recover from it: every later upload fails. The site records
// the loss for this tab (sessionStorage) and reloads the page, whose backend choice then skips
// the lost backend and says why in the badge: the figures are recomputed on the next verified
// backend.
const LOST_KEY = "ssm-lost-backends";

/** Backends lost earlier in this tab, with why. */
export function lostBackends(): Record<string, string> {
  try {
    const s = (globalThis as {sessionStorage?: Storage}).sessionStorage?.getItem(LOST_KEY);
    return s ? JSON.parse(s) : {};
  } catch {
    return {};
  }
}

/** Backends the site removed itself (removing destroys the device: that is not a loss). */
const dropped = new Set<string>();

function onLost(name: BackendName, why: string): void {
  if (dropped.has(name)) return;
  const g = globalThis as {sessionStorage?: Storage; location?: Location};
  try {
    g.sessionStorage?.setItem(LOST_KEY, JSON.stringify({...lostBackends(), [name]: why}));
  } catch {
    // storage refused (private mode): the reload below would pick the same backend again,
    // so stay on the page; its cells will report the failures.
    return;
  }
  console.warn(`The ${name} backend was lost (${why}); reloading on the next backend.`);
  g.location?.reload();
}

/** Listens for the loss of the backend in use (WebGPU device.lost, WebGL webglcontextlost). */
function watchLoss(name: BackendName): void {
  try {
    const b = tf.backend() as unknown as {device?: {lost?: Promise<{reason?: string; message?: string}>}; gpgpu?: {gl?: {canvas?: EventTarget}}};
    if (name === "webgpu") b.device?.lost?.then((info) => onLost("webgpu", info?.message || `device lost: ${info?.reason ?? "unknown"}`));
    if (name === "webgl") b.gpgpu?.gl?.canvas?.addEventListener?.("webglcontextlost", () => onLost("webgl", "the WebGL context was lost"));
  } catch {
    // a backend without these hooks: nothing to watch
  }
}

function dropBackend(name: BackendName): void {
  // Free a backend that failed after initialising (a GPU context, say), unless it is cpu.
  if (name === "cpu") return;
  try {
    dropped.add(name);
    if (tf.engine().registry[name]) tf.removeBackend(name);
  } catch {
    // best effort
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(why)), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

function isNode(): boolean {
  const g = globalThis as {process?: {versions?: {node?: string}}; document?: unknown};
  return typeof g.document === "undefined" && typeof g.process?.versions?.node === "string";
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
