// Data loader: the walk (src/walk.js) with, for each step, whether its page exists yet, so the
// home page links only to pages that are there (Framework runs this at build time).
import {existsSync} from "node:fs";
import {walk} from "../walk.js";

const root = new URL("../", import.meta.url);
process.stdout.write(JSON.stringify(walk.map((s) => ({...s, exists: existsSync(new URL(`.${s.path}.md`, root))}))));
