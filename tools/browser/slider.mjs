// Moving a slider the way a reader does, and timing what follows: shared by the browser tests
// and the redraw benchmarks (time from the input event to the last DOM change of every figure).
//
// moveSlider(page, key, value, {skip, quietMs, timeoutMs}) sets the range input of the control
// `key` (.ssm-control[data-key=key]) to `value`, dispatches `input`, and watches every figure
// (.ssm-figure) for DOM changes until none has changed for `quietMs`. Resolves with times in
// ms from the input event, each taken at the animation frame after the change (so they
// include the frame that paints it):
//   first  the first figure change        last  the last figure change (null: none changed)
//   rest   the last change of the figures not named in `skip` (data-filename values)
//   figures  the data-filename of every figure that changed
// Readouts and notices outside figures do not count (pages defer them on purpose).

export function moveSlider(page, key, value, {skip = [], quietMs = 300, timeoutMs = 8000} = {}) {
  return page.evaluate(({key, value, skip, quietMs, timeoutMs}) => new Promise((resolve, reject) => {
    const input = document.querySelector(`.ssm-control[data-key="${key}"] input[type=range]`);
    if (!input) { reject(new Error(`moveSlider: no slider with key ${key}`)); return; }
    const figsIn = (n) => n.nodeType !== 1 ? [] : n.matches(".ssm-figure") ? [n] : [...n.querySelectorAll(".ssm-figure")];
    const changed = new Set();
    let first = null, last = null, rest = null, timer, pending = null;
    const t0 = performance.now();
    const obs = new MutationObserver((records) => {
      const figs = records.flatMap((r) => {
        const host = (r.target.nodeType === 1 ? r.target : r.target.parentElement)?.closest(".ssm-figure");
        return [...(host ? [host] : []), ...[...r.addedNodes].flatMap(figsIn)];
      });
      if (!figs.length) return;
      const names = figs.map((f) => f.getAttribute("data-filename") ?? "");
      names.forEach((n) => changed.add(n));
      const counts = names.some((n) => !skip.includes(n));
      // Timed at the next frame: the change is on screen then.
      if (pending == null) pending = requestAnimationFrame(() => {
        pending = null;
        const now = performance.now() - t0;
        first ??= now;
        last = now;
        if (counts) rest = now;
      });
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    const done = () => {
      obs.disconnect();
      requestAnimationFrame(() => resolve({first, last, rest, figures: [...changed]}));
    };
    obs.observe(document.querySelector("main") ?? document.body, {childList: true, subtree: true, characterData: true, attributes: true});
    timer = setTimeout(done, timeoutMs);
    input.value = String(value);
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }), {key, value, skip, quietMs, timeoutMs});
}

/** p50 and p95 of a list of numbers (nulls dropped), for printing. */
export function percentiles(xs) {
  const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  const at = (q) => (v.length ? v[Math.min(v.length - 1, Math.floor(q * v.length))] : NaN);
  return {p50: at(0.5), p95: at(0.95), n: v.length};
}
