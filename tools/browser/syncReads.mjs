// An init script for openPage({init: watchSyncReads}): wraps the tfjs backend's readSync as soon
// as the page exposes window.ssmDebug, and records every synchronous read from a GPU buffer or
// texture in window.__syncReads (with a short stack), and every console.warn in
// window.__warnings (tfjs warns about such reads). Data still in CPU memory (not uploaded yet;
// tfjs forwards small ops to the CPU) costs no GPU sync and is not counted. Runs in the page, so
// it must stay self-contained (Playwright sends its source).
export function watchSyncReads() {
  let debug;
  window.__syncReads = [];
  window.__warnings = [];
  const warn = console.warn;
  console.warn = (...args) => { window.__warnings.push(args.map(String).join(" ")); warn.apply(console, args); };
  Object.defineProperty(window, "ssmDebug", {configurable: true, get: () => debug, set: (d) => {
    debug = d;
    const backend = d.tf.engine().backend;
    const readSync = backend.readSync.bind(backend);
    backend.readSync = (dataId) => {
      const info = (backend.tensorMap ?? backend.texData)?.get(dataId);
      if (info?.values == null) window.__syncReads.push((new Error().stack ?? "").split("\n").slice(2, 6).map((l) => l.trim()).join(" ← "));
      return readSync(dataId);
    };
  }});
}
