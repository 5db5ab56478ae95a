// `npm run bench -- --gpu [--sizes=1024,4096] [--torch=FILE] [--out=FILE]`: the Node + Dawn
// (WebGPU) entry of the benchmarks (bench/gpu/lti.ts). Prints a table in the format of
// `npm run bench` and, as its last stdout line, one JSON object with every cell. With
// --torch=FILE (the JSON printed by bench/gpu/lti_torch.py on the same GPU) the table gains
// the PyTorch peers and the ratios the performance goal is read from:
//   fused/composite   the site's GPU program against the same math from tfjs ops
//   fused/torch       against PyTorch's equivalent (torch.fft convolution; the recurrence as a
//                     log-depth scan; F.scaled_dot_product_attention), both timed with readback
// On a machine with node:   npm i --no-save webgpu@0.6.2 && npm run bench -- --gpu
// On the GPU machine (no node/npm): bundle this file with the GPU prepare script and run
//   .gpu/node --import ./.gpu/dawn-setup.mjs .gpu/bundle.mjs --torch=/tmp/torch.json
import {readFileSync, writeFileSync} from "node:fs";
import {benchLti, GPU_SIZES} from "./lti.js";

const args = process.argv.slice(2);
const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const sizes = arg("sizes")?.split(",").map(Number) ?? GPU_SIZES;
const torchFile = arg("torch");

const res = await benchLti({sizes}) as {cells: {kernel: string; L: number; ms: number | null; note?: string}[]} & Record<string, unknown>;
const torch = torchFile ? JSON.parse(readFileSync(torchFile, "utf8")) as {device?: string; cells: {kernel: string; L: number; ms: number | null}[]} : null;
if (torch) res.torch = torch;

const ms = (k: string, L: number) => res.cells.find((c) => c.kernel === k && c.L === L)?.ms ?? null;
const tms = (k: string, L: number) => torch?.cells.find((c) => c.kernel === k && c.L === L)?.ms ?? null;
const fmt = (x: number | null) => (x == null ? "—" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ratio = (a: number | null, b: number | null) => (a != null && b != null && b > 0 ? `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}x` : "—");
/** fused kernel → [composite, torch peer(s)] */
const GROUPS: [string, string, string[]][] = [
  ["causalConvFFT", "causalConvFFTComposite", ["fftconv_torch_fft"]],
  ["ssmRecurrentFused", "ssmRecurrentComposite", ["recurrence_torch_scan", "recurrence_torch_loop"]],
  ["softmaxAttentionFused", "softmaxAttentionComposite", ["attention_torch_sdpa", "attention_torch_ops"]]
];
const header = ["kernel", "L", "webgpu ms", "composite ms", ...(torch ? ["torch peer", "torch ms"] : []), "fused/composite", ...(torch ? ["fused/torch"] : [])];
const rows: string[][] = [];
for (const [fused, comp, peers] of GROUPS) {
  for (const L of sizes) {
    const f = ms(fused, L), c = ms(comp, L);
    const peerRows = torch ? peers : [""];
    for (const [i, p] of peerRows.entries()) {
      const t = p ? tms(p, L) : null;
      rows.push([i === 0 ? fused : "", i === 0 ? String(L) : "", i === 0 ? fmt(f) : "", i === 0 ? fmt(c) : "",
        ...(torch ? [p, fmt(t)] : []), i === 0 ? ratio(f, c) : "", ...(torch ? [ratio(f, t)] : [])]);
    }
  }
}
for (const k of ["causalConv", "causalConvDirect", "ssmRecurrent", "softmaxAttention"]) {
  for (const L of sizes) rows.push([k, String(L), fmt(ms(k, L)), "", ...(torch ? ["", ""] : []), "", ...(torch ? [""] : [])]);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((x, i) => (i === 0 || (torch && i === 4) ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join("  ");
const fl = res.floor as {oneOpMs: number; tenOpsMs: number};
console.log(`\nMedian ms per call incl. readback (await data() / .cpu()); tfjs ${res.tfjs} webgpu on ${JSON.stringify(res.adapter)}` +
  `${torch ? `; torch on ${torch.device}` : ""}.\nFloor: one tfjs op + readback ${fl.oneOpMs.toFixed(2)} ms, ten chained ops ${fl.tenOpsMs.toFixed(2)} ms.` +
  `\nShapes: recurrence n=16; attention causal d_k=d_v=16; convolution u, K (L). "fused/x" < 1: the fused program is faster.` +
  `\nKnown answers (max rel. error vs float64 loops, l = 1000): ${JSON.stringify(res.knownAnswerMaxRelError)}`);
console.log([line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n"));
for (const c of res.cells.filter((c) => c.note)) console.log(`note: ${c.kernel} L=${c.L}: ${c.note}`);
const out = arg("out");
if (out) writeFileSync(out, JSON.stringify(res, null, 1));
console.log(JSON.stringify(res));
