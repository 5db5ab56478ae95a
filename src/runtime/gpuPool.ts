// A ceiling on the GPU memory tfjs keeps for reuse.
//
// tfjs's GPU backends never free a released texture (webgl) or buffer (webgpu): they pool it
// under its exact size and hand it out again when a tensor of that size comes back. A slider
// that changes a length (L, N, H, the number of channels) produces a new size on almost every
// move, so the pool keeps every size a reader has ever dragged through: measured on /views,
// webgl 5.4 → 65 MB after 300 moves, with tf.memory().numTensors at 0 throughout.
//
// capGpuPool bounds the *free* part of the pool. After every release, if the bytes held for
// reuse exceed the cap, all of them are given back to the GPU (deleteTexture / buffer.destroy);
// memory in use by live tensors is never touched. tfjs's own WEBGL_DELETE_TEXTURE_THRESHOLD
// bounds the total instead, which stops all reuse as soon as the live tensors alone pass it
// (the lab's long benchmarks); webgpu has no such flag. Releasing the pool all at once, not
// shape by shape, keeps the bookkeeping exact without tfjs's private size functions: the freed
// bytes are exactly the pool's free bytes. A redraw that needs the same sizes again simply
// allocates them afresh once; one that drags through new sizes no longer accumulates them.
//
// A pause in the reader's drag gives the rest back: idleMs (2 s) after the last release, the
// whole free pool is released too, so a page left alone holds its live tensors' memory and
// nothing more (the free pool is for reuse within a drag, where sizes repeat). Measured on
// /views webgl: 5.4 → 29 MB after 500 moves with the cap alone, the free pool being most of it.
//
// Destroying a free buffer is safe in WebGPU even if work that used it is still in flight:
// tfjs only returns a buffer to the pool after the commands using it were submitted, and
// destroy() lets submitted work finish. In WebGL deleteTexture is deferred by the driver the
// same way.
import * as tf from "@tensorflow/tfjs";

/** Bytes the pool may hold for reuse before it is given back. */
export const GPU_POOL_CAP_BYTES = 32 * 2 ** 20;

/** How long after the last release the free pool is given back whole, ms. */
export const GPU_POOL_IDLE_MS = 2000;

/** What capGpuPool has done on this backend. */
export interface GpuPoolStats {
  /** times the free pool passed the cap and was released */
  trims: number;
  /** times it was released after idleMs without a release */
  idleTrims: number;
  bytesReleased: number;
  cap: number;
  idleMs: number;
}

// The parts of tfjs-backend-webgl's TextureManager and tfjs-backend-webgpu's BufferManager this
// module reads and writes (tfjs 4.22). A missing field means a tfjs version we do not know: the
// cap is then not installed, and capGpuPool says why.
interface WebGLTexture_ { texture: unknown }
interface TextureManagerLike {
  freeTextures: Record<string, WebGLTexture_[]> | null;
  numFreeTextures: number;
  _numBytesFree: number;
  _numBytesAllocated: number;
  gpgpu: {deleteMatrixTexture(t: unknown): void};
  releaseTexture(...args: unknown[]): void;
}
interface BufferLike { size: number; destroy(): void }
interface BufferManagerLike {
  freeBuffers: Map<string, BufferLike[]>;
  numFreeBuffers: number;
  numBytesAllocated: number;
  numBytesUsed: number;
  releaseBuffer(buffer: BufferLike, reuse?: boolean): void;
}

const installed = new WeakMap<object, GpuPoolStats>();

/** The free bytes in the pool of the active backend, or null when it has no GPU pool. */
export function gpuPoolFreeBytes(backend: unknown = tf.backend()): number | null {
  // webgpu first: its backend has a textureManager too (for external textures), not a pool.
  const bm = (backend as {bufferManager?: BufferManagerLike}).bufferManager;
  if (bm && typeof bm.numBytesAllocated === "number") return bm.numBytesAllocated - bm.numBytesUsed;
  const tm = (backend as {textureManager?: TextureManagerLike}).textureManager;
  if (tm && typeof tm._numBytesFree === "number") return tm._numBytesFree;
  return null;
}

/** Stats of the cap on a backend instance (null when none is installed there). */
export function gpuPoolStats(backend: unknown = tf.backend()): GpuPoolStats | null {
  return installed.get(backend as object) ?? null;
}

/**
 * Installs the cap on a backend instance (tf.backend() by default), and the release of the free
 * pool `idleMs` after the last release (0: never). Returns null when it is in place (or the
 * backend has no GPU pool: cpu, wasm), or a sentence saying why it could not be. Idempotent.
 */
export function capGpuPool(backend: unknown = tf.backend(), cap = GPU_POOL_CAP_BYTES, {idleMs = GPU_POOL_IDLE_MS}: {idleMs?: number} = {}): string | null {
  const b = backend as {textureManager?: TextureManagerLike; bufferManager?: BufferManagerLike};
  if (installed.has(b)) return null;
  const stats: GpuPoolStats = {trims: 0, idleTrims: 0, bytesReleased: 0, cap, idleMs};
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** (Re)starts the idle timer; `trim` runs when no release came for idleMs. */
  const whenIdle = (freeBytes: () => number, trim: (why: Why) => void) => {
    if (!(idleMs > 0)) return;
    if (timer != null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (freeBytes() > 0) trim("idleTrims");
    }, idleMs);
    (timer as {unref?: () => void}).unref?.(); // never keeps a Node process alive
  };
  // webgpu first: its backend has a textureManager too (for external textures), not a pool.
  if (b.bufferManager) {
    const bm = b.bufferManager;
    if (typeof bm.numBytesUsed !== "number" || !(bm.freeBuffers instanceof Map) || typeof bm.releaseBuffer !== "function") {
      return "the webgpu buffer manager is not the one this cap knows (tfjs version?)";
    }
    const release = bm.releaseBuffer.bind(bm);
    const free = () => bm.numBytesAllocated - bm.numBytesUsed;
    const trim = (why: Why) => trimBuffers(bm, stats, why);
    bm.releaseBuffer = (buffer: BufferLike, reuse = true) => {
      release(buffer, reuse);
      if (free() > cap) trim("trims");
      whenIdle(free, trim);
    };
  } else if (b.textureManager) {
    const tm = b.textureManager;
    if (typeof tm._numBytesFree !== "number" || typeof tm.releaseTexture !== "function" || !tm.gpgpu) {
      return "the webgl texture manager is not the one this cap knows (tfjs version?)";
    }
    const release = tm.releaseTexture.bind(tm);
    // freeTextures is null once tfjs disposed the manager: nothing left to release then.
    const free = () => (tm.freeTextures ? tm._numBytesFree : 0);
    const trim = (why: Why) => trimTextures(tm, stats, why);
    tm.releaseTexture = (...args: unknown[]) => {
      release(...args);
      if (free() > cap) trim("trims");
      whenIdle(free, trim);
    };
  } else {
    return null;
  }
  installed.set(b, stats);
  return null;
}

/** Which count a release adds to: over the cap, or idle. */
type Why = "trims" | "idleTrims";

function trimTextures(tm: TextureManagerLike, stats: GpuPoolStats, why: Why): void {
  const free = tm.freeTextures!;
  for (const key of Object.keys(free)) {
    for (const t of free[key]) tm.gpgpu.deleteMatrixTexture(t.texture);
    free[key] = [];
  }
  stats[why]++;
  stats.bytesReleased += tm._numBytesFree;
  tm._numBytesAllocated -= tm._numBytesFree;
  tm._numBytesFree = 0;
  tm.numFreeTextures = 0;
}

function trimBuffers(bm: BufferManagerLike, stats: GpuPoolStats, why: Why): void {
  let bytes = 0;
  // Keys stay in the map with empty lists: tfjs reads an empty map as "disposed".
  for (const list of bm.freeBuffers.values()) {
    for (const buf of list) { bytes += buf.size; buf.destroy(); }
    list.length = 0;
  }
  stats[why]++;
  stats.bytesReleased += bytes;
  bm.numBytesAllocated -= bytes;
  bm.numFreeBuffers = 0;
}
