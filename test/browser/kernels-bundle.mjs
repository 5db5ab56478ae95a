// Builds a self-contained browser page around a TypeScript entry (kernel checks, benchmarks)
// without the site build: esbuild bundles tfjs (+ webgpu and wasm backends) and the kernels
// for the browser; the wasm binaries are copied beside the bundle; two virtual modules
// provide the golden fixtures and the LTI kernels of the other files when they exist.
import {build} from "esbuild";
import {copyFile, mkdtemp, writeFile} from "node:fs/promises";
import {existsSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WASM_DIR = join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist");
const WASM_FILES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];
/** LTI kernels (another file's contract): bundled only if present. */
export const LTI_MODULES = {
  ssmKernel: ["ssmKernel"], ssmRecurrent: ["ssmRecurrent"], causalConv: ["causalConv", "causalConvFFT", "causalConvDirect"],
  expm: ["expm"], discretize: ["discretize"]
};

/** Source of `virtual:lti-kernels`: re-exports of whichever LTI kernels exist. */
function ltiSource() {
  const lines = [];
  for (const [file, names] of Object.entries(LTI_MODULES)) {
    const path = join(ROOT, "src/kernels", `${file}.ts`);
    if (!existsSync(path)) continue;
    const src = readFileSync(path, "utf8");
    const present = names.filter((n) => new RegExp(`export function ${n}\\b`).test(src));
    if (present.length) lines.push(`export {${present.join(", ")}} from ${JSON.stringify(path)};`);
  }
  lines.push("export const __lti = true;");
  return lines.join("\n");
}

/** Source of `virtual:fixtures`: seq.json and lti.json (null when missing). */
function fixturesSource() {
  const read = (name) => {
    const path = join(ROOT, "data/fixtures", name);
    return existsSync(path) ? readFileSync(path, "utf8") : "null";
  };
  return `export const seq = ${read("seq.json")};\nexport const lti = ${read("lti.json")};\n`;
}

const virtualModules = {
  name: "virtual-modules",
  setup(b) {
    b.onResolve({filter: /^virtual:/}, (args) => ({path: args.path, namespace: "virtual"}));
    b.onLoad({filter: /.*/, namespace: "virtual"}, (args) => {
      if (args.path === "virtual:lti-kernels") return {contents: ltiSource(), loader: "ts", resolveDir: ROOT};
      if (args.path === "virtual:fixtures") return {contents: fixturesSource(), loader: "js", resolveDir: ROOT};
      return {errors: [{text: `unknown virtual module ${args.path}`}]};
    });
  }
};

/**
 * Bundles `entry` (path relative to the repository root) into a new temp dir with an
 * index.html that loads it, plus the tfjs wasm binaries. Returns the directory.
 */
export async function buildPage(entry, {title = "kernels"} = {}) {
  const dir = await mkdtemp(join(tmpdir(), "ssm-kernels-"));
  await build({
    entryPoints: [join(ROOT, entry)], bundle: true, format: "esm", platform: "browser", target: "es2022",
    outfile: join(dir, "bundle.js"), plugins: [virtualModules], logLevel: "error", minify: false,
    define: {"process.env.NODE_ENV": '"production"'}
  });
  for (const f of WASM_FILES) await copyFile(join(WASM_DIR, f), join(dir, f));
  await writeFile(join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>${title}</title><script type="module" src="./bundle.js"></script><body>${title}</body>`);
  return dir;
}
