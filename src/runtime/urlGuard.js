// The link guard: runs in every page's <head>, as a classic inline script, before any module
// (TensorFlow.js, Framework, the site) has read the address. Plain JS, no dependencies, so
// observablehq.config.ts can inline the function's own source (sanitizeSearch.toString()).
//
// A shared link may be mangled (a stray "%" from a chat client, a truncated value, a key given
// twice) or crafted (?tfjsflags=… would let TensorFlow.js read its own flags from the URL:
// DEBUG breaks every page, WEBGL_FORCE_F16_TEXTURES silently halves the precision of the math
// the page shows). sanitizeSearch keeps what is sound and drops the rest, each with a note the
// page shows (components/kit.ts urlNotice); the page then works with its defaults.

/**
 * @param {string} search  location.search ("" or "?a=1&b=2")
 * @returns {{search: string, notes: {key: string, text: string}[]}} the search to use, and why parts were dropped
 */
export function sanitizeSearch(search) {
  var MAX_SHOWN = 40;
  var notes = [];
  var kept = [];
  var seen = {};
  var shown = function (s) { return s.length > MAX_SHOWN ? s.slice(0, MAX_SHOWN - 1) + "…" : s; };
  var parts = String(search || "").replace(/^\?/, "").split("&");
  for (var i = 0; i < parts.length; i++) {
    var part = parts[i];
    if (part === "") continue;
    var eq = part.indexOf("=");
    var rawKey = eq < 0 ? part : part.slice(0, eq);
    var key;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, " "));
      decodeURIComponent((eq < 0 ? "" : part.slice(eq + 1)).replace(/\+/g, " "));
    } catch (e) {
      notes.push({key: shown(rawKey), text: "“" + shown(part) + "” is not valid percent-encoding (a stray %?)"});
      continue;
    }
    if (key.toLowerCase() === "tfjsflags") {
      notes.push({key: "tfjsflags", text: "TensorFlow.js flags cannot be set from a link: this site chooses its own, so the numbers shown are the ones it tests"});
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(seen, key)) {
      notes.push({key: shown(key), text: shown(key) + " is given more than once; the first value is used"});
      continue;
    }
    seen[key] = true;
    kept.push(part);
  }
  return {search: kept.length ? "?" + kept.join("&") : "", notes: notes};
}

/** The script for <head>: sanitizes location.search in place and leaves the notes for the page. */
export function urlGuardScript() {
  return "(function(){try{var s=(" + sanitizeSearch.toString() + ")(location.search);" +
    "if(s.notes.length){window.__ssmUrlNotes=s.notes;history.replaceState(history.state,\"\",location.pathname+s.search+location.hash);}}" +
    "catch(e){}})();";
}
