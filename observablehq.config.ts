import {existsSync} from "node:fs";

// The walk, in order (../shared/DESIGN.md). Only pages whose Markdown exists are listed,
// so the navigation never links to a page that has not been written yet.
const walk = [
  {name: "1. The state equation", path: "/continuous"},
  {name: "2. Discretization", path: "/discretization"},
  {name: "3. HiPPO and Legendre memory", path: "/hippo"},
  {name: "4. Recurrence and convolution", path: "/views"},
  {name: "5. The selective scan", path: "/selective"},
  {name: "6. Linearized transformers", path: "/linear-attention"},
  {name: "7. The family", path: "/family"},
  {name: "8. The lab", path: "/lab"}
];

export default {
  title: "State Space Models, live",
  root: "src",
  // SSM_OUT lets parallel builds (e.g. two people working at once) write to separate folders.
  output: process.env.SSM_OUT ?? "dist",
  pages: walk.filter((p) => existsSync(`src${p.path}.md`)),
  pager: true,
  // Offline-safe settings (../shared/TOOLCHAIN.md): no web fonts from elsewhere, no
  // built-in search (it loads from a CDN), a footer of our own (the default links out).
  globalStylesheets: [],
  search: false,
  style: "style.css",
  footer: "State Space Models, live: every figure is computed in your browser. Works offline.",
  head: '<link rel="icon" href="data:,">',
  toc: true,
  sidebar: true
};
