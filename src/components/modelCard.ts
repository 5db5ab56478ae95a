// The head of a model's card on /family (name, paper and year, where it sits on the map, its
// state equation typeset, what is new in it), and selectCard: scroll to a card and mark it as
// the one chosen on the map. Plain data in (a catalogue entry), DOM out.
import {texToString} from "./tex.js";

export interface CardModel {
  id: string; name: string; year: number; authors: string; title: string; venue: string;
  equation: string; novelty: string;
}

/** Small labels under the title (structure, selectivity, computation, discretization). */
export type CardTags = readonly string[];

/** The card's head; the card itself (<article class="family-card" id="card-<id>">) is the page's. */
export function ModelCardHead(m: CardModel, tags: CardTags = []): HTMLElement {
  const root = document.createElement("div");
  root.className = "family-card-head";
  const h = root.appendChild(document.createElement("h3"));
  h.className = "family-card-title";
  h.append(m.name, " ");
  const year = h.appendChild(document.createElement("span"));
  year.className = "family-card-year";
  year.textContent = String(m.year);
  const back = h.appendChild(document.createElement("a"));
  back.className = "family-card-back";
  back.href = "#family-map";
  back.textContent = "↑ map";
  back.title = "Back to the map";
  const paper = root.appendChild(document.createElement("p"));
  paper.className = "family-card-paper";
  const title = document.createElement("cite");
  title.textContent = m.title;
  paper.append(`${m.authors} (${m.year}), `, title, `, ${m.venue}.`);
  if (tags.length) {
    const list = root.appendChild(document.createElement("ul"));
    list.className = "family-card-tags";
    list.setAttribute("aria-label", "where it sits on the map");
    for (const t of tags) list.appendChild(document.createElement("li")).textContent = t;
  }
  const eq = root.appendChild(document.createElement("div"));
  eq.className = "ssm-tex ssm-tex-block family-card-equation";
  const {html, error} = texToString(m.equation.includes("\\\\") ? `\\begin{gathered}${m.equation}\\end{gathered}` : m.equation, {displayMode: true});
  eq.innerHTML = html;
  if (error) { eq.classList.add("ssm-tex-error"); eq.title = error; }
  const novelty = root.appendChild(document.createElement("p"));
  novelty.className = "family-card-novelty";
  novelty.textContent = m.novelty;
  return root;
}

/**
 * Marks the card of `id` as selected (class family-card-selected, removed from the others),
 * scrolls it into view and focuses its title for keyboard and screen-reader users; the URL's
 * hash follows (history.replaceState, so the back button is not flooded). Returns the card,
 * or null when there is none.
 */
export function selectCard(id: string, {scroll = true}: {scroll?: boolean} = {}): HTMLElement | null {
  const card = document.getElementById(`card-${id}`);
  for (const c of document.querySelectorAll(".family-card-selected")) if (c !== card) c.classList.remove("family-card-selected");
  if (!card) return null;
  card.classList.add("family-card-selected");
  if (scroll) {
    // Smooth unless the reader asked for less motion.
    const reduce = typeof matchMedia !== "undefined" && matchMedia("(prefers-reduced-motion: reduce)").matches;
    card.scrollIntoView({behavior: reduce ? "auto" : "smooth", block: "start"});
    keepInView(card);
  }
  const title = card.querySelector<HTMLElement>(".family-card-title");
  if (title) { title.tabIndex = -1; title.focus({preventScroll: true}); }
  if (typeof history !== "undefined") history.replaceState(history.state, "", `${location.pathname}${location.search}#card-${id}`);
  return card;
}

/** Ends the watch of the last selection, if one is running. */
let stopKeeping: (() => void) | null = null;

/**
 * Cards above may still be drawing their miniatures and grow while the smooth scroll runs (on a
 * busy machine for seconds), pushing the selected card out of view. For a few seconds after a
 * selection, the card is put back at the top whenever it has drifted away, until it has stayed
 * put for three checks in a row; any scroll the reader starts (wheel, touch, key, pointer) ends
 * this at once, so the page never fights the reader.
 */
function keepInView(card: HTMLElement, {start = 600, every = 250, until = 6000} = {}): void {
  if (typeof window === "undefined") return;
  stopKeeping?.();
  const events = ["wheel", "touchstart", "keydown", "pointerdown"] as const;
  let stopped = false;
  const stop = () => {
    stopped = true;
    for (const e of events) window.removeEventListener(e, stop, true);
    if (stopKeeping === stop) stopKeeping = null;
  };
  stopKeeping = stop; // a newer selection ends this one's watch
  for (const e of events) window.addEventListener(e, stop, {capture: true, passive: true});
  const t0 = performance.now();
  let still = 0;
  let target = NaN; // where scrollIntoView puts the card's top (not 0 for the last cards)
  const check = () => {
    if (stopped || !card.isConnected) return stop();
    const top = card.getBoundingClientRect().top;
    if (!(Math.abs(top - target) < 2)) {
      card.scrollIntoView({block: "start"});
      target = card.getBoundingClientRect().top;
      still = 0;
    } else still++;
    if (still >= 3 || performance.now() - t0 > until) return stop();
    setTimeout(check, every);
  };
  setTimeout(check, start);
}
