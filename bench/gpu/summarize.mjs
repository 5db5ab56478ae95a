// Prints the real-GPU results of one run (a folder of bench/gpu/results/) as Markdown tables:
// tfjs-webgpu through Dawn beside PyTorch on the same GPU, both medians with a readback.
//   node bench/gpu/summarize.mjs bench/gpu/results/h200-2026-12-02-run2
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";

const dir = process.argv[2];
const read = (f) => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), "utf8")) : null);
const f = (x) => (x == null ? "—" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const r = (a, b) => (a != null && b != null ? `${(a / b).toFixed(2)}×` : "—");
const out = [];

const sw = read("selective-webgpu.json"), st = read("selective-torch.json");
if (sw && st) {
  out.push("### Selective scan (b = 1, n = 16), ms per call with readback", "",
    "| l | d | tfjs fused (default) | its GPU time | best tuning | tfjs composite | readback floor (tfjs) | torch log-depth | its GPU time | torch.compile | torch loop | fused / torch log-depth |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|");
  sw.cells.forEach((c) => {
    const t = st.cells.find((x) => x.l === c.l && x.d === c.d);
    const best = [c.fused, ...(c.variants ?? [])].reduce((a, b) => (b.ms < a.ms ? b : a));
    const bt = best.tuning ?? c.fused.tuning;
    out.push(`| ${c.l} | ${c.d} | ${f(c.fused.ms)} | ${f(c.fused.kernelMs)} | ${f(best.ms)} (${bt.workgroupSize}×${bt.items}×${bt.stateGroup}) | ${f(c.composite?.ms)} | ${f(c.floor?.ms)} | ${f(t?.logdepth?.ms)} | ${f(t?.logdepth?.gpuMs)} | ${f(t?.compiled?.ms)} | ${f(t?.loop?.ms)} | ${r(c.fused.ms, t?.logdepth?.ms)} |`);
  });
  out.push("");
}
const lw = read("lti-webgpu.json"), lt = read("lti-torch.json");
if (lw && lt) {
  const ms = (k, L) => lw.cells.find((c) => c.kernel === k && c.L === L)?.ms ?? null;
  const tms = (k, L) => lt.cells.find((c) => c.kernel === k && c.L === L)?.ms ?? null;
  out.push("### LTI kernels and softmax attention, ms per call with readback", "",
    "| kernel | L | tfjs fused | tfjs composite | fused / composite | torch peer | torch | fused / torch |", "|---|---|---|---|---|---|---|---|");
  for (const [fused, comp, peers] of [["causalConvFFT", "causalConvFFTComposite", ["fftconv_torch_fft"]],
    ["ssmRecurrentFused", "ssmRecurrentComposite", ["recurrence_torch_scan", "recurrence_torch_loop"]],
    ["softmaxAttentionFused", "softmaxAttentionComposite", ["attention_torch_sdpa", "attention_torch_ops"]]]) {
    for (const L of lw.sizes ?? [1024, 4096, 16384]) {
      for (const p of peers) out.push(`| ${fused} | ${L} | ${f(ms(fused, L))} | ${f(ms(comp, L))} | ${r(ms(fused, L), ms(comp, L))} | ${p} | ${f(tms(p, L))} | ${r(ms(fused, L), tms(p, L))} |`);
    }
  }
  out.push("");
}
const aw = read("attention-webgpu.json"), at = read("attention-torch.json");
if (aw && at) {
  const tm = (k, d, L) => at.cells.find((c) => c.kernel === k && c.d === d && c.L === L)?.ms ?? null;
  const peer = {softmax: "softmaxSdpa", linearParallel: "linearParallel", linearScan: "linearScan", linearChunked: "linearChunked", linearFused: "linearChunked", ssdChunked: "ssdChunked", ssdScan: "ssdScan", ssdFused: "ssdChunked"};
  out.push("### Attention, linear attention and SSD (one head, d_k = d_v = d), ms per call with readback", "",
    "| kernel | d | L | tfjs webgpu | torch peer | torch | tfjs / torch |", "|---|---|---|---|---|---|---|");
  for (const c of aw.cells) {
    const p = peer[c.kernel];
    if (c.ms == null) continue;
    out.push(`| ${c.kernel} | ${c.d} | ${c.L} | ${f(c.ms)} | ${p ?? "—"} | ${f(p ? tm(p, c.d, c.L) : null)} | ${r(c.ms, p ? tm(p, c.d, c.L) : null)} |`);
  }
  out.push("");
}
console.log(out.join("\n"));
