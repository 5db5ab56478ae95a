// Data loader for page 7 (/family): real data shipped by the `vega-datasets` npm package, read
// at build time (no download at build or run time).
//   weather  Seattle's daily weather 2012–2015 (seattle-weather.csv): four numeric channels,
//            precipitation (mm), daily high and low (°C), wind (m/s), for TimeMachine's card.
//   images   the package's three 100×100 RGBA icons (ffox.png, gimp.png, 7zip.png), composited on
//            white, turned to gray ink (1 − luminance) and averaged over 4×4 blocks to 25×25,
//            for VMamba's card. The PNGs are decoded here with node:zlib (8-bit RGBA,
//            non-interlaced, the five PNG filters), so no image library is needed.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {decodePng, grayInk} from "./png.js";

const root = join(process.cwd(), "node_modules", "vega-datasets", "data");

function csv(name) {
  const [header, ...lines] = readFileSync(join(root, name), "utf8").trim().split(/\r?\n/);
  const cols = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [cols[i], v])));
}

const seattle = csv("seattle-weather.csv");
const channels = ["precipitation", "temp_max", "temp_min", "wind"];

const images = Object.fromEntries([
  ["ffox", "the Firefox logo"], ["gimp", "the GIMP logo"], ["7zip", "the 7-Zip logo"]
].map(([name, label]) => {
  const img = grayInk(decodePng(readFileSync(join(root, `${name}.png`))), 4);
  return [name, {name, label, source: `vega-datasets ${name}.png (100×100, averaged to ${img.W}×${img.H})`, ...img}];
}));

process.stdout.write(JSON.stringify({
  weather: {
    source: "vega-datasets seattle-weather.csv",
    dates: seattle.map((d) => d.date),
    channels,
    units: ["mm", "°C", "°C", "m/s"],
    values: channels.map((c) => seattle.map((d) => +d[c]))
  },
  images
}));
