// Scheduling for pages: work that must wait until what was just drawn is on screen, work for
// idle time, and small caches keyed by what a result was computed from. No tensors here.

/** Resolves after the next frame has been painted (rAF, then a macrotask after it). */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame === "undefined") { setTimeout(resolve, 0); return; }
    requestAnimationFrame(() => setTimeout(resolve, 0));
  });
}

/**
 * Waits until what was just drawn has been painted and, when `fresh` is given, until it holds
 * (the controls still show the values this run was computed for: a drag has paused).
 * Resolves true then, or false once `invalidation` resolves (Framework re-ran the cell).
 */
export async function afterPaint(invalidation?: Promise<unknown>, fresh: () => boolean = () => true): Promise<boolean> {
  let dead = false;
  invalidation?.then(() => { dead = true; });
  do await nextPaint(); while (!dead && !fresh());
  return !dead;
}

/**
 * Waits until the controls have rested for `ms` (no newer run invalidated this one: a drag
 * re-runs the cell, which resolves `invalidation`), then for a paint. Resolves true then, or
 * false once `invalidation` resolves. For work that only the resting value needs (checks,
 * slow sweeps): a drag never pays for it.
 */
export async function afterRest(invalidation?: Promise<unknown>, ms = 200, fresh: () => boolean = () => true): Promise<boolean> {
  let dead = false;
  invalidation?.then(() => { dead = true; });
  await new Promise((r) => setTimeout(r, ms));
  return !dead && afterPaint(invalidation, fresh);
}

/** Thrown (and ignored by Framework's runtime, which shows nothing) when a newer run superseded this one. */
export class Superseded extends Error {
  constructor() { super("superseded by a newer value"); this.name = "Superseded"; }
}

/** afterPaint that throws Superseded instead of returning false. */
export async function afterPaintOrThrow(invalidation?: Promise<unknown>, fresh?: () => boolean): Promise<void> {
  if (!(await afterPaint(invalidation, fresh))) throw new Superseded();
}

interface IdleDeadline { timeRemaining(): number }

/** Runs `step` in idle time until it returns false or `stop()` is called; returns stop. */
export function whenIdle(step: (deadline: IdleDeadline) => boolean): () => void {
  let stopped = false, handle: unknown = null;
  const g = globalThis as {requestIdleCallback?: (f: (d: IdleDeadline) => void) => unknown; cancelIdleCallback?: (h: unknown) => void};
  const request = g.requestIdleCallback ?? ((f: (d: IdleDeadline) => void) => setTimeout(() => f({timeRemaining: () => 10}), 50));
  const loop = (d: IdleDeadline) => {
    if (stopped) return;
    if (step(d)) handle = request(loop);
  };
  handle = request(loop);
  return () => {
    stopped = true;
    if (g.cancelIdleCallback && handle != null) g.cancelIdleCallback(handle);
    else clearTimeout(handle as ReturnType<typeof setTimeout>);
  };
}

/** A small least-recently-used map: get(key, make) computes once per key, keeps `max` keys. */
export class LruCache<V> {
  private map = new Map<string, V>();
  constructor(readonly max = 12) {}
  has(key: string): boolean { return this.map.has(key); }
  get(key: string, make: () => V): V {
    if (this.map.has(key)) {
      const v = this.map.get(key)!;
      this.map.delete(key);
      this.map.set(key, v);
      return v;
    }
    const v = make();
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
    return v;
  }
  get size(): number { return this.map.size; }
  clear(): void { this.map.clear(); }
}

/** Resolves on a later task (a MessageChannel message where there is one: no 4 ms clamp). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof MessageChannel === "undefined") { setTimeout(resolve, 0); return; }
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
    ch.port2.postMessage(null);
  });
}

/**
 * Runs a generator that yields between slices of work, giving the page a task boundary
 * (input, paint) after each slice; resolves with its return value, or null as soon as
 * `cancelled()` holds between slices (the rest is never computed).
 */
export async function runSliced<T>(steps: Generator<unknown, T>, cancelled: () => boolean = () => false, pause: () => Promise<void> = nextTask): Promise<T | null> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
    if (cancelled()) { steps.return(undefined as T); return null; }
  }
}
