// Builds a self-contained browser page around a TypeScript entry (kernel checks, benchmarks)
// without the site build: esbuild bundles tfjs (+ webgpu and wasm backends) and the kernels
// for the browser; the wasm binaries are copied beside the bundle. Fixtures are imported as
// JSON (esbuild inlines them).
import {build} from "esbuild";
import {copyFile, mkdtemp, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WASM_DIR = join(ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist");
const WASM_FILES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];
/**
 * Bundles `entry` (path relative to the repository root) into a new temp dir with an
 * index.html that loads it, plus the tfjs wasm binaries. Returns the directory.
 */
export async function buildPage(entry, {title = "kernels"} = {}) {
  const dir = await mkdtemp(join(tmpdir(), "ssm-kernels-"));
  await build({
    entryPoints: [join(ROOT, entry)], bundle: true, format: "esm", platform: "browser", target: "es2022",
    outfile: join(dir, "bundle.js"), logLevel: "error", minify: false,
    define: {"process.env.NODE_ENV": '"production"'}
  });
  for (const f of WASM_FILES) await copyFile(join(WASM_DIR, f), join(dir, f));
  await writeFile(join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>${title}</title><script type="module" src="./bundle.js"></script><body>${title}</body>`);
  return dir;
}
