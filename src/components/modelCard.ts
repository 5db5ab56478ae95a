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
    // Smooth unless the reader asked for less motion; cards above may still be drawing their
    // miniatures and grow while the scroll runs, so the scroll is checked once it should be over.
    const reduce = typeof matchMedia !== "undefined" && matchMedia("(prefers-reduced-motion: reduce)").matches;
    card.scrollIntoView({behavior: reduce ? "auto" : "smooth", block: "start"});
    setTimeout(() => {
      const r = card.getBoundingClientRect();
      if (r.top >= innerHeight || r.bottom <= 0 || Math.abs(r.top) > innerHeight / 2) card.scrollIntoView({block: "start"});
    }, 700);
  }
  const title = card.querySelector<HTMLElement>(".family-card-title");
  if (title) { title.tabIndex = -1; title.focus({preventScroll: true}); }
  if (typeof history !== "undefined") history.replaceState(history.state, "", `${location.pathname}${location.search}#card-${id}`);
  return card;
}
