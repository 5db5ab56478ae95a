// Player: play/pause and step buttons that drive an animation through `onStep(k)`, k = 0 … n−1
// (wrapping). It never starts by itself; under prefers-reduced-motion it plays one step per
// second instead of `interval`. player.stop() ends it (call it on invalidation). No tensors:
// the callback should only move what is already drawn.
export interface PlayerOptions { n: number; onStep: (k: number) => void; interval?: number; start?: number; label?: string }
export type PlayerElement = HTMLElement & {stop: () => void; step: number};

export function Player({n, onStep, interval = 350, start = 0, label = "step"}: PlayerOptions): PlayerElement {
  const root = document.createElement("div") as unknown as PlayerElement;
  root.className = "ssm-player";
  root.style.cssText = "display: flex; gap: 0.5rem; align-items: center; margin: 0.4rem 0;";
  const play = document.createElement("button"), next = document.createElement("button"), back = document.createElement("button"), where = document.createElement("span");
  play.type = next.type = back.type = "button";
  play.className = "ssm-player-play"; next.className = "ssm-player-next"; back.className = "ssm-player-back";
  back.textContent = "◀ step"; next.textContent = "step ▶";
  where.className = "ssm-player-where";
  root.append(play, back, next, where);
  const reduced = typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
  let timer: ReturnType<typeof setInterval> | null = null;
  root.step = ((start % n) + n) % n;
  const show = () => { where.textContent = `${label} ${root.step} of ${n - 1}`; play.textContent = timer ? "❚❚ pause" : "▶ play"; play.setAttribute("aria-pressed", String(!!timer)); };
  const go = (k: number) => { root.step = ((k % n) + n) % n; onStep(root.step); show(); };
  const stop = () => { if (timer) clearInterval(timer); timer = null; show(); };
  play.onclick = () => { if (timer) stop(); else { timer = setInterval(() => go(root.step + 1), reduced ? 1000 : interval); show(); } };
  next.onclick = () => { stop(); go(root.step + 1); };
  back.onclick = () => { stop(); go(root.step - 1); };
  root.stop = stop;
  show();
  return root;
}
