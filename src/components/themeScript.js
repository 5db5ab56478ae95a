// The colour theme: light, dark, or auto (follow the system's prefers-color-scheme), chosen
// with a small select at the bottom right of every page and remembered in localStorage.
//
// It runs in every page's <head> as a classic inline script (observablehq.config.ts inlines
// themeScript()), before the page is painted, so a dark page never flashes light: it sets
// <html data-theme="light|dark" data-theme-choice="auto|light|dark">, and src/style.css
// keys the dark palette (page, components, charts: charts/colors.ts) on data-theme="dark".
// scripts/csp.mjs allows it by its hash like every inline script. Plain JS, no dependencies.

/** localStorage key of the reader's choice (absent: auto). */
export const THEME_KEY = "ssm-theme";

/**
 * The theme a page shows for a stored choice and the system preference.
 * @param {string | null | undefined} stored  localStorage value ("light", "dark", else auto)
 * @param {boolean} systemDark  whether prefers-color-scheme is dark
 * @returns {{choice: "auto" | "light" | "dark", theme: "light" | "dark"}}
 */
export function resolveTheme(stored, systemDark) {
  var choice = stored === "light" || stored === "dark" ? stored : "auto";
  return {choice: choice, theme: choice === "auto" ? (systemDark ? "dark" : "light") : choice};
}

/** Applies the theme at once and mounts the toggle when the body exists (runs in the page). */
export function installTheme(key) {
  var root = document.documentElement;
  var mq = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var select = null;
  var stored = function () { try { return window.localStorage.getItem(key); } catch (e) { return null; } };
  var apply = function () {
    var r = resolveTheme(stored(), !!(mq && mq.matches));
    root.setAttribute("data-theme", r.theme);
    root.setAttribute("data-theme-choice", r.choice);
    if (select) select.value = r.choice;
  };
  apply();
  if (mq && mq.addEventListener) mq.addEventListener("change", apply);
  // Another tab changed the choice.
  window.addEventListener("storage", function (e) { if (e.key === key) apply(); });
  var mount = function () {
    if (document.querySelector(".ssm-theme-toggle")) return;
    var wrap = document.createElement("div");
    wrap.className = "ssm-theme-toggle";
    select = document.createElement("select");
    select.setAttribute("aria-label", "Colour theme");
    select.setAttribute("title", "Colour theme: auto follows your system");
    select.setAttribute("data-theme-toggle", "");
    var options = [["auto", "◐ auto"], ["light", "☀ light"], ["dark", "☾ dark"]];
    for (var i = 0; i < options.length; i++) {
      var o = document.createElement("option");
      o.value = options[i][0];
      o.textContent = options[i][1];
      select.appendChild(o);
    }
    select.addEventListener("change", function () {
      try {
        if (select.value === "auto") window.localStorage.removeItem(key);
        else window.localStorage.setItem(key, select.value);
      } catch (e) { /* storage refused: the choice lasts for this page only */ }
      apply();
      if (select.value !== root.getAttribute("data-theme-choice")) {
        // Without storage, still show what was chosen.
        var r = resolveTheme(select.value, !!(mq && mq.matches));
        root.setAttribute("data-theme", r.theme);
        root.setAttribute("data-theme-choice", r.choice);
      }
    });
    wrap.appendChild(select);
    document.body.appendChild(wrap);
    apply();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
}

/** The inline <head> script: resolveTheme and installTheme, applied with THEME_KEY. */
export function themeScript() {
  return `(function(){var resolveTheme=${resolveTheme.toString()};(${installTheme.toString()})(${JSON.stringify(THEME_KEY)});})();`;
}
