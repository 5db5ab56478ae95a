// The production build, proven offline: removes Framework's cache (as on a fresh clone) and
// runs `npm run build` with no network at all (a new network namespace: `unshare -n` as
// root, `unshare -rn` otherwise). `npm test` builds this way, so every test run proves that
// a clean clone builds with no network. Where namespaces are not allowed (some containers)
// it says so and builds with the network, rather than skipping the build.
import {rmSync} from "node:fs";
import {spawnSync} from "node:child_process";

rmSync("src/.observablehq/cache", {recursive: true, force: true});
const root = typeof process.getuid === "function" && process.getuid() === 0;
const probe = spawnSync("unshare", [root ? "-n" : "-rn", "true"], {stdio: "ignore"});
if (probe.status === 0) {
  console.log(`build-offline: building with no network (unshare ${root ? "-n" : "-rn"}) from an empty Framework cache`);
  const r = spawnSync("unshare", [root ? "-n" : "-rn", "npm", "run", "build"], {stdio: "inherit"});
  process.exit(r.status ?? 1);
}
console.warn("build-offline: WARNING: cannot create a network namespace here (unshare failed), so this build is NOT proven offline; building with the network");
const r = spawnSync("npm", ["run", "build"], {stdio: "inherit"});
process.exit(r.status ?? 1);
