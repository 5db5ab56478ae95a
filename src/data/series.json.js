// Data loader: real time series shipped by the `vega-datasets` npm package (no download at
// build or run time). Prints {name: {label, source, t: [...], values: [...]}} as JSON.
import {readFileSync} from "node:fs";
import {join} from "node:path";

// Framework runs data loaders with the project root as the working directory.
const root = join(process.cwd(), "node_modules", "vega-datasets", "data");

function csv(name) {
  const [header, ...lines] = readFileSync(join(root, name), "utf8").trim().split(/\r?\n/);
  const cols = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [cols[i], v])));
}

// Mauna Loa CO2 (monthly, ppm), the last 15 years: the seasonal cycle riding on the trend.
const co2 = csv("co2-concentration.csv").slice(-180);
// Seattle daily maximum temperature (°C), 2012–2015: a noisy yearly cycle.
const seattle = csv("seattle-weather.csv");

process.stdout.write(JSON.stringify({
  co2: {
    label: "CO₂ at Mauna Loa, monthly, last 15 years",
    source: "vega-datasets co2-concentration.csv (NOAA/Scripps)",
    t: co2.map((d) => d.Date),
    values: co2.map((d) => +d.CO2)
  },
  seattle: {
    label: "Seattle daily high temperature, 2012–2015",
    source: "vega-datasets seattle-weather.csv",
    t: seattle.map((d) => d.date),
    values: seattle.map((d) => +d.temp_max)
  }
}));
