// Crops a tall PNG into pieces using Chromium (no ImageMagick here).
import {chromium} from "playwright-core";
import {CHROMIUM, CHROMIUM_ARGS} from "/work/wt/components/tools/browser/harness.mjs";
import {readFileSync} from "node:fs";
const [file, w, y0, h, out] = process.argv.slice(2);
const b = await chromium.launch({executablePath: CHROMIUM, args: CHROMIUM_ARGS});
const p = await b.newPage({viewport: {width: +w, height: +h}});
await p.setContent(`<body style="margin:0"><img id=i src="data:image/png;base64,${readFileSync(file).toString("base64")}" style="display:block;margin-top:-${y0}px">`);
await p.waitForTimeout(300);
await p.screenshot({path: out});
await b.close();
