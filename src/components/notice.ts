// Notices: one element for messages a reader should see next to a figure (an unstable
// system, clipped values, a backend fallback, a bad URL value). Levels: info, warn, error;
// the element takes the highest level present. role="alert" for errors, "status" otherwise.
// With no items the element is empty and hidden, so a page can always display it.

export type NoticeLevel = "info" | "warn" | "error";
export interface NoticeItem { level: NoticeLevel; text: string }

const RANK: Record<NoticeLevel, number> = {info: 0, warn: 1, error: 2};
const ICON: Record<NoticeLevel, string> = {info: "ℹ", warn: "⚠", error: "✖"};

/** Notice(items) or Notice(text, level = "info") → <div class="ssm-notice ssm-notice-<level>">. */
export function Notice(items: readonly NoticeItem[] | string | null | undefined, level: NoticeLevel = "info"): HTMLElement {
  const list: NoticeItem[] = typeof items === "string" ? (items ? [{level, text: items}] : []) : [...(items ?? [])];
  const top = list.reduce<NoticeLevel>((m, it) => (RANK[it.level] > RANK[m] ? it.level : m), "info");
  const root = document.createElement("div");
  root.className = `ssm-notice ssm-notice-${top}`;
  root.setAttribute("role", top === "error" ? "alert" : "status");
  if (list.length === 0) {
    root.hidden = true;
    root.classList.add("ssm-notice-empty");
    return root;
  }
  const parent = list.length === 1 ? root : root.appendChild(document.createElement("ul"));
  for (const item of list) {
    const line = document.createElement(list.length === 1 ? "p" : "li");
    line.className = `ssm-notice-item ssm-notice-item-${item.level}`;
    const icon = line.appendChild(document.createElement("span"));
    icon.className = "ssm-notice-icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = ICON[item.level];
    line.append(" ", item.text);
    parent.appendChild(line);
  }
  return root;
}
