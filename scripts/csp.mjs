// After `observable build`: gives every built page a content-security policy (a <meta> tag at
// the top of <head>) that allows the site's own origin only, plus what the site needs:
// data:/blob: images (PNG export, KaTeX fonts inlined as data: URLs), inline styles (charts
// set style attributes), WebAssembly compilation (the wasm backend), and the page's own
// inline scripts by their SHA-256 hashes (Framework writes each page's cells into one).
// A future change that adds a request to another host is refused by the browser (and the
// browser tests fail on the console error).
import {createHash} from "node:crypto";
import {readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";

const out = process.env.SSM_OUT ?? "dist";

function htmlFiles(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? (e.name.startsWith("_") ? [] : htmlFiles(p)) : e.name.endsWith(".html") ? [p] : [];
  });
}

export function policy(html) {
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => `'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`);
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${[...new Set(hashes)].join(" ")}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'"
  ].join("; ");
}

let n = 0;
for (const file of htmlFiles(out)) {
  let html = readFileSync(file, "utf8");
  html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n?/, "");
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy(html)}">`;
  // Right after <meta charset> (which must come first), before any script.
  const at = /<meta charset="utf-8">\n?/i.test(html) ? /(<meta charset="utf-8">\n?)/i : /(<head>\n?)/;
  if (!at.test(html)) throw new Error(`csp: no <head> in ${file}`);
  writeFileSync(file, html.replace(at, `$1${meta}\n`));
  n++;
}
console.log(`csp: content-security policy written into ${n} pages`);
