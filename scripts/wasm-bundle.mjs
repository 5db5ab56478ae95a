// Pre-bundles @tensorflow/tfjs-backend-wasm for the browser (docs/toolchain.md: imported
// straight from a page it fails on `import "fs"`). Output, all gitignored:
//   src/assets/generated/tfjs-backend-wasm.js   ESM, @tensorflow/tfjs-core kept external so the
//                                               backend registers on the page's own engine
//   src/assets/generated/tfjs-backend-wasm*.wasm  the binaries, self-hosted; src/kernels/backend.ts
//                                               names them with import.meta.resolve so Framework
//                                               copies them into the build
import {copyFileSync, mkdirSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {build} from "esbuild";

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")) + "/dist";
const outDir = join("src", "assets", "generated");
mkdirSync(outDir, {recursive: true});

const WASM = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm"];
const entry = `import {FileAttachment} from "observablehq:stdlib";
export * from "@tensorflow/tfjs-backend-wasm";
export const wasmFiles = {
${WASM.map((f) => `  ${JSON.stringify(f)}: FileAttachment(${JSON.stringify(`./${f}`)}).href`).join(",\n")}
};
`;

const result = await build({
  stdin: {contents: entry, resolveDir: process.cwd(), sourcefile: "wasm-entry.js", loader: "js"},
  outfile: join(outDir, "tfjs-backend-wasm.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  minify: true,
  legalComments: "none",
  external: ["@tensorflow/tfjs-core", "observablehq:stdlib"],
  define: {"process.env.NODE_ENV": '"production"'},
  logLevel: "warning",
  metafile: true
});
// The threaded binary is left out: it needs COOP/COEP headers, and backend.ts turns threads off.
for (const f of WASM) {
  copyFileSync(join(dist, f), join(outDir, f));
}
const bytes = Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
console.log(`wasm-bundle: ${outDir}/tfjs-backend-wasm.js (${(bytes / 1024).toFixed(0)} kB) + 2 .wasm files`);
