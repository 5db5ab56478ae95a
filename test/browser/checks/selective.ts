// Browser checks of the fused selective scan on every backend (webgl and webgpu are the point):
// numpy fixtures (reference/ref_selective.py), fused = loop and composite = loop on the same
// inputs, the GPU kernels' chunking and tuning paths, the Mamba block, and the number of GPU
// programs compiled when only the sizes change. Sizes stay small: every new shape compiles
// programs on webgl, at about a second each on a software GPU.
import * as tf from "@tensorflow/tfjs";
import {
  MAMBA_PARAM_NAMES, mambaBlock, selectiveScan, selectiveScanComposite, selectiveScanFused, selectiveScanLoop,
  type MambaConfig, type MambaParams, type SelectiveScanTuning
} from "../../../src/kernels/index.js";
import selective from "../../../reference/fixtures/selective.json";
import {resolveScanImpl} from "../../../src/models/scan.js";
import {checks, uniform} from "./registry.js";

type Case = (typeof selective.selectiveScan)[number];
const byName = (name: string) => {
  const c = selective.selectiveScan.find((f) => f.name === name);
  if (!c) throw new Error(`no fixture ${name}`);
  return c;
};
const run = (c: Case, lastState: boolean) => selectiveScan(
  tf.tensor(c.u, [c.b, c.l, c.d]), tf.tensor(c.delta, [c.b, c.l, c.d]), tf.tensor(c.A, [c.d, c.n]), tf.tensor(c.B, [c.b, c.l, c.n]),
  tf.tensor(c.C, [c.b, c.l, c.n]), c.D, {z: c.z ? tf.tensor(c.z, [c.b, c.l, c.d]) : null, deltaBias: c.deltaBias, deltaSoftplus: c.deltaSoftplus, returnLastState: true}
)[lastState ? "lastState" : "y"];

// ---- numpy fixtures: the option grid's corners and every numerics case
const picks = ["l=1 plain", "l=2 D+z+bias+softplus", "l=7 z+bias", "l=7 D+softplus", "l=64 D+z+bias+softplus", "l=257 D+bias+softplus",
  ...selective.selectiveScan.filter((c) => !c.name.startsWith("l=")).map((c) => c.name)];
for (const name of picks) {
  const c = byName(name);
  checks.set(`selectiveScan fixture ${name}`, () => ({actual: run(c, false), expected: c.y}));
}
for (const name of ["l=2 D+z+bias+softplus", "l=257 D+bias+softplus"]) {
  const c = byName(name);
  checks.set(`selectiveScan fixture ${name} last state`, () => ({actual: run(c, true), expected: c.lastState}));
}

/** Inputs drawn like Mamba's test (b, l, d, n as given), with every option. */
function draw(nb: number, l: number, d: number, n: number, seed: number) {
  return {
    nb, l, d, n,
    u: uniform(nb * l * d, seed, -2, 2), delta: uniform(nb * l * d, seed + 1, -3, 1), A: uniform(d * n, seed + 2, -1.5, -0.05),
    B: uniform(nb * l * n, seed + 3, -2, 2), C: uniform(nb * l * n, seed + 4, -2, 2), D: uniform(d, seed + 5),
    z: uniform(nb * l * d, seed + 6, -2, 2), bias: uniform(d, seed + 7, 0, 0.5)
  };
}
type Draw = ReturnType<typeof draw>;
const loopOf = (s: Draw) => selectiveScanLoop(s.u, s.delta, s.A, s.B, s.C, s.D, s.nb, s.l, s.d, s.n, {z: s.z, deltaBias: s.bias, deltaSoftplus: true});
const argsOf = (s: Draw) => [tf.tensor(s.u, [s.nb, s.l, s.d]), tf.tensor(s.delta, [s.nb, s.l, s.d]), tf.tensor(s.A, [s.d, s.n]),
  tf.tensor(s.B, [s.nb, s.l, s.n]), tf.tensor(s.C, [s.nb, s.l, s.n]), tf.tensor(s.D)] as const;
const optsOf = (s: Draw) => ({z: tf.tensor(s.z, [s.nb, s.l, s.d]), deltaBias: s.bias, deltaSoftplus: true});

// ---- fused = loop and composite = loop on the same inputs (so fused = composite)
for (const [nb, l, d, n] of [[2, 300, 4, 8], [1, 1024, 4, 8], [1, 2500, 3, 5]]) {
  const s = draw(nb, l, d, n, 100 + l);
  checks.set(`selectiveScan b=${nb} l=${l} d=${d} n=${n} all options = loop`, () => ({actual: selectiveScan(...argsOf(s), optsOf(s)), expected: loopOf(s)}));
  if (l <= 1024) {
    checks.set(`selectiveScanComposite b=${nb} l=${l} d=${d} n=${n} all options = loop`, () => ({actual: selectiveScanComposite(...argsOf(s), optsOf(s)), expected: loopOf(s)}));
  }
}

// ---- the GPU kernels' knobs: uneven WebGPU workgroups (n not a multiple of the state group,
// steps per invocation not dividing l) and short WebGL chunks (many combine levels)
const tunings: [string, SelectiveScanTuning][] = [
  ["webgpu workgroup 32, 3 items, state group 4", {workgroupSize: 32, items: 3, stateGroup: 4}],
  ["webgpu workgroup 256, 1 item, state group 1", {workgroupSize: 256, items: 1, stateGroup: 1}],
  ["webgl chunk 5", {chunk: 5}],
  ["webgl chunk 1", {chunk: 1}]
];
for (const [name, tuning] of tunings) {
  const s = draw(2, 203, 3, 5, 7);
  checks.set(`selectiveScanFused with ${name} = loop`, () => ({actual: selectiveScanFused(...argsOf(s), optsOf(s), tuning), expected: loopOf(s)}));
}
checks.set("selectiveScanFused last state (webgpu: packed output split in two) = loop", () => {
  const s = draw(2, 150, 3, 6, 21);
  const last = new Float32Array(s.nb * s.d * s.n);
  selectiveScanLoop(s.u, s.delta, s.A, s.B, s.C, s.D, s.nb, s.l, s.d, s.n, {z: s.z, deltaBias: s.bias, deltaSoftplus: true, lastState: last});
  return {actual: selectiveScanFused(...argsOf(s), {...optsOf(s), returnLastState: true}).lastState, expected: last};
});

// ---- the Mamba block (numpy's Mamba.forward), on the fused and the composite scan
for (const c of selective.mambaBlock) {
  for (const scan of ["fused", "composite"] as const) {
    checks.set(`mambaBlock fixture ${c.name} (${scan} scan)`, () => {
      const params = Object.fromEntries(MAMBA_PARAM_NAMES.map((k) => [k, Float32Array.from((c.params as Record<string, number[]>)[k])])) as unknown as MambaParams;
      return {actual: mambaBlock(tf.tensor(c.x, [c.b, c.l, c.config.dModel]), c.config as MambaConfig, params, {scan}).out, expected: c.out};
    });
  }
}

// ---- moving l, d or n compiles none of the scan's GPU programs anew
// (tfjs's own upload of CPU data still compiles an encode program per new shape on webgl,
// unless its flag WEBGL_USE_SHAPES_UNIFORMS is on: that is the backend's, not the scan's.)
const OWN = /^(ChunkMapsProgram|CombineProgram|OutputProgram|LastStateProgram)_|^selectiveScan/;
/** The scan's programs the active GPU backend has compiled so far (0 on cpu and wasm, which compile none). */
function compiledPrograms(): number {
  const be = tf.backend() as unknown as {binaryCache?: object; pipelineCache?: object};
  return Object.keys(be.binaryCache ?? be.pipelineCache ?? {}).filter((k) => OWN.test(k)).length;
}
checks.set("selectiveScan compiles none of its GPU programs anew when l, d and n change (after a small and a large warm-up)", () => {
  const once = (nb: number, l: number, d: number, n: number) => {
    const s = draw(nb, l, d, n, l + d + n);
    tf.dispose(selectiveScan(...argsOf(s), optsOf(s)));
  };
  once(2, 40, 3, 4); // warm-up: a small output texture
  once(2, 1500, 6, 4); // and one larger than a texture row (tfjs keys a flag on that)
  const before = compiledPrograms();
  const warm = before > 0 || !["webgl", "webgpu"].includes(tf.getBackend()); // the warm-up compiled the programs it counts
  for (const [nb, l, d, n] of [[2, 41, 3, 4], [2, 64, 5, 7], [2, 19, 8, 16], [3, 1200, 6, 5], [2, 2000, 7, 4], [1, 333, 9, 3]]) once(nb, l, d, n);
  return {actual: tf.tensor([compiledPrograms() - before, warm ? 1 : 0]), expected: [0, 1]};
});

// The trainable scan's "loop" implementation reads tensors back with dataSync, so it is
// refused on webgl and webgpu (a synchronous GPU stall) and allowed on cpu and wasm; "auto"
// resolves to the loop on the CPU backends and to the composite scan on the GPU ones.
checks.set("resolveScanImpl refuses the loop on GPU backends and resolves auto per backend", () => {
  const gpu = tf.getBackend() === "webgl" || tf.getBackend() === "webgpu";
  let refused = 0;
  try { resolveScanImpl("loop"); } catch (e) { refused = /runs on cpu and wasm only/.test(String(e)) ? 1 : -1; }
  const auto = resolveScanImpl("auto") === "composite" ? 1 : 0;
  return {actual: tf.tensor([refused, auto]), expected: gpu ? [1, 1] : [0, 0]};
});
