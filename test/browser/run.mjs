// Runs the browser tests (node:test files in test/browser/*.test.mjs) against dist/.
// Chromium is required: if it is missing, install it when we can (root + apt-get), else
// fail with a message that says how. Browser tests are never silently skipped.
import {existsSync, readdirSync} from "node:fs";
import {spawnSync} from "node:child_process";
import {CHROMIUM} from "../../tools/browser/harness.mjs";

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (isRoot && hasApt) {
    console.log(`${CHROMIUM} is missing: installing Debian's chromium with apt-get …`);
    const r = spawnSync("sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"], {stdio: "inherit"});
    if (r.status === 0 && existsSync(CHROMIUM)) return;
  }
  console.error(`Browser tests need Chromium at ${CHROMIUM} and it is missing.\n` +
    `Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n` +
    `(or set CHROMIUM_PATH to another Chromium binary).`);
  process.exit(1);
}

ensureChromium();
if (!existsSync("dist/index.html")) {
  console.error("dist/ is missing: run `npm run build` first (npm test does this).");
  process.exit(1);
}
const files = readdirSync("test/browser").filter((f) => f.endsWith(".test.mjs")).sort()
  .map((f) => `test/browser/${f}`);
const only = process.argv.slice(2);
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=1", "--test-reporter=spec", ...(only.length ? only : files)], {stdio: "inherit"});
process.exit(r.status ?? 1);
