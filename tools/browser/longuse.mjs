// Long use of a page: many seeded control moves in a row, with what the engine and the
// browser hold before and after (tf.memory(), the JS heap, DOM nodes and listeners after a
// forced garbage collection). Used by bench/longuse.mjs (500 moves, every backend) and by the
// browser tests (a short run with assertions). Not a test file itself.

/** A small seeded generator (mulberry32), so a run's moves are the same every time. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` moves drawn from `controls`: {key: {min, max, step} (a range input, in its own units)
 * or {options: [...]} (a select)}. Returns [{key, value, select}].
 */
export function randomMoves(controls, n, seed = 1) {
  const rand = seeded(seed), keys = Object.keys(controls), out = [];
  for (let i = 0; i < n; i++) {
    const key = keys[Math.floor(rand() * keys.length)], c = controls[key];
    if (c.options) { out.push({key, value: c.options[Math.floor(rand() * c.options.length)], select: true}); continue; }
    const steps = Math.round((c.max - c.min) / c.step);
    out.push({key, value: +(c.min + Math.round(rand() * steps) * c.step).toFixed(6), select: false});
  }
  return out;
}

/**
 * Makes the moves in the page, one after another: each sets the control, fires `input`, and
 * waits until the page has made no DOM change for `quietFrames` frames (at most `maxMs`).
 * Returns {moves, ms, slowest}.
 */
export async function makeMoves(page, moves, {quietFrames = 3, maxMs = 10_000} = {}) {
  return page.evaluate(async ({moves, quietFrames, maxMs}) => {
    let mutations = 0;
    const mo = new MutationObserver((r) => { mutations += r.length; });
    mo.observe(document.querySelector("main") ?? document.body, {childList: true, subtree: true, attributes: true, characterData: true});
    const t0 = performance.now();
    let slowest = 0;
    for (const {key, value, select} of moves) {
      const input = document.querySelector(`.ssm-control[data-key="${key}"] ${select ? "select" : "input[type=range]"}`);
      if (!input) throw new Error(`no control ${key}`);
      const m0 = performance.now();
      input.value = String(value);
      input.dispatchEvent(new Event("input", {bubbles: true}));
      let quiet = 0, seen = mutations;
      while (quiet < quietFrames && performance.now() - m0 < maxMs) {
        await new Promise((r) => requestAnimationFrame(r));
        quiet = mutations === seen ? quiet + 1 : 0;
        seen = mutations;
      }
      slowest = Math.max(slowest, performance.now() - m0);
    }
    mo.disconnect();
    return {moves: moves.length, ms: performance.now() - t0, slowest};
  }, {moves, quietFrames, maxMs});
}

/** Waits until the page has been quiet for `frames` frames (deferred and idle work done). */
export async function settle(page, frames = 30, maxMs = 30_000) {
  await page.evaluate(async ({frames, maxMs}) => {
    let mutations = 0;
    const mo = new MutationObserver((r) => { mutations += r.length; });
    mo.observe(document.body, {childList: true, subtree: true, attributes: true, characterData: true});
    const t0 = performance.now();
    let quiet = 0, seen = 0;
    while (quiet < frames && performance.now() - t0 < maxMs) {
      await new Promise((r) => requestAnimationFrame(r));
      quiet = mutations === seen ? quiet + 1 : 0;
      seen = mutations;
    }
    mo.disconnect();
  }, {frames, maxMs});
}

/**
 * What the page holds now, after a forced garbage collection (CDP): tf.memory() fields
 * (bytes on the GPU as the backend reports them: webgl numBytesInGPU / numBytesInGPUAllocated,
 * webgpu numBytesInGPU / numBytesAllocatedInGPU), JS heap used, DOM nodes and listeners, the
 * elements in the document (attached) and the detached trees JS still holds (DOM.getDetachedDomNodes:
 * trees, the nodes they retain, and their root elements by name).
 */
export async function snapshot(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = await cdp.send("Runtime.getHeapUsage");
    const dom = await cdp.send("Memory.getDOMCounters");
    // Detached trees still reachable from JS (what a DOM leak looks like), and the nodes in the
    // document: Memory.getDOMCounters counts both, plus nodes waiting for collection.
    const detached = await cdp.send("DOM.getDetachedDomNodes").then((r) => {
      const byName = {};
      for (const d of r.detachedNodes) byName[d.treeNode.localName] = (byName[d.treeNode.localName] ?? 0) + 1;
      return {trees: r.detachedNodes.length, nodes: r.detachedNodes.reduce((n, d) => n + d.retainedNodeIds.length, 0), byName};
    }).catch(() => null);
    const mem = await page.evaluate(() => {
      const m = globalThis.ssmDebug?.memory?.() ?? {};
      return {backend: globalThis.ssmDebug?.tf?.getBackend?.() ?? null, numTensors: m.numTensors, numBytes: m.numBytes,
        numBytesInGPU: m.numBytesInGPU ?? null, numBytesInGPUAllocated: m.numBytesInGPUAllocated ?? m.numBytesAllocatedInGPU ?? null,
        attached: document.getElementsByTagName("*").length};
    });
    return {...mem, jsHeap: heap.usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners,
      detachedTrees: detached?.trees ?? null, detachedNodes: detached?.nodes ?? null, detachedByName: detached?.byName ?? null};
  } finally {
    await cdp.detach();
  }
}
