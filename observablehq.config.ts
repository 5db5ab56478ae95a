import {existsSync} from "node:fs";

import {walk} from "./src/walk.js";
import {urlGuardScript} from "./src/runtime/urlGuard.js";
import {themeScript} from "./src/components/themeScript.js";

export default {
  title: "State Space Models, live",
  root: "src",
  // SSM_OUT lets parallel builds (e.g. two people working at once) write to separate folders.
  output: process.env.SSM_OUT ?? "dist",
  // The navigation lists only pages whose Markdown exists, in walk order (src/walk.js).
  pages: walk.filter((p) => existsSync(`src${p.path}.md`)).map(({name, path}) => ({name, path})),
  pager: true,
  // Offline-safe settings (docs/toolchain.md): no web fonts from elsewhere, no
  // built-in search (it loads from a CDN), a footer of our own (the default links out).
  globalStylesheets: [],
  search: false,
  style: "style.css",
  footer: "State Space Models, live: every figure is computed in your browser. Works offline.",
  // The link guard runs before any module reads the address (src/runtime/urlGuard.js); the
  // content-security policy is added to every page after the build (scripts/csp.mjs). The
  // theme script sets light/dark before the first paint (src/components/themeScript.js).
  head: `<link rel="icon" href="data:,"><script>${themeScript()}</script><script>${urlGuardScript()}</script>`,
  toc: true,
  sidebar: true
};
