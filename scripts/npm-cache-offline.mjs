// Lets `observable build` run with no network (docs/toolchain.md, "Offline build").
//
// Framework's client bundle (_observablehq/client.js) names the libraries it can load on
// demand as `npm:` specifiers (react-dom, d3, echarts, …). To write their URLs into
// client.js the build resolves each name to a version; it looks first for a folder
// src/.observablehq/cache/_npm/<name>@<version>/ and, when there is none, asks the npm
// registry, which fails offline (`npm:react-dom@latest → TypeError: fetch failed`). The site
// never loads those libraries (it imports what it uses from node_modules), so an empty
// version folder is all the build needs: this script creates one per library, named with
// the version installed in node_modules when there is one, else the pinned version below
// (the registry's latest on 2026-12-01). Run by prebuild/predev; idempotent.
import {existsSync, mkdirSync, readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";

const framework = "node_modules/@observablehq/framework/dist/client";
const cache = "src/.observablehq/cache/_npm";
const PINNED = {
  "apache-arrow": "21.2.0", arquero: "8.0.3", echarts: "6.1.0", leaflet: "1.9.4", lodash: "4.18.1",
  "mapbox-gl": "3.32.0", "parquet-wasm": "0.8.0", react: "19.3.1", "react-dom": "19.3.1", "topojson-client": "3.1.0",
  "d3-dsv": "3.0.2", "@observablehq/plot": "0.6.17", "@observablehq/sample-datasets": "1.0.1",
  "@observablehq/duckdb": "0.0.0", "@uwdata/vgplot": "0.12.0", "@viz-js/viz": "3.11.0", exceljs: "4.4.0",
  "@duckdb/duckdb-wasm": "1.29.0", jszip: "3.10.1", mermaid: "11.4.1", "sql.js": "1.12.0", vega: "5.30.0", "vega-lite": "5.21.0", "vega-lite-api": "5.6.0"
};

function files(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]);
}

const names = new Set();
for (const f of files(framework).filter((f) => f.endsWith(".js"))) {
  for (const [, spec] of readFileSync(f, "utf8").matchAll(/["']npm:([^"']+)["']/g)) {
    const m = spec.match(/^(@[^/@]+\/[^/@]+|[^/@]+)(@[^/]+)?/);
    if (m && !m[2]) names.add(m[1]); // a specifier with its own version needs no lookup
  }
}
let made = 0;
const missing = [];
for (const name of [...names].sort()) {
  const pkg = join("node_modules", name, "package.json");
  const version = existsSync(pkg) ? JSON.parse(readFileSync(pkg, "utf8")).version : PINNED[name];
  if (!version) { missing.push(name); continue; }
  const dir = join(cache, `${name}@${version}`);
  if (!existsSync(dir)) { mkdirSync(dir, {recursive: true}); made++; }
}
if (missing.length) {
  console.error(`npm-cache-offline: no version pinned for ${missing.join(", ")}: add them to PINNED, or the build needs the network`);
  process.exit(1);
}
console.log(`npm-cache-offline: ${names.size} libraries named by Framework's client, ${made} version folders created`);
