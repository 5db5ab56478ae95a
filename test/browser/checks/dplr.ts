// Browser checks of S4's DPLR kernel (src/kernels/lti/dplr.ts) on every backend: dplrKernel
// (Cauchy sums, Woodbury, inverse FFT as tfjs ops) and the dense ssmKernel of the same
// bilinear LegS system, both against numpy's kernel_DPLR / K_conv (reference/ref_dplr.py).
import {discretize, dplrCtilde, dplrHippo, dplrKernel, ssmKernel} from "../../../src/kernels/index.js";
import dplrFixtures from "../../../reference/fixtures/dplr.json";
import {checks} from "./registry.js";

// A subset: every new shape compiles new shader programs on webgl (seconds each).
for (const c of dplrFixtures.cases.filter((c) => ["N=4 L=16", "N=16 L=256", "N=64 L=1024"].some((s) => c.name.startsWith(s + " ")))) {
  checks.set(`dplrKernel fixture ${c.name}`, () => {
    const sys = dplrHippo(c.N);
    return {actual: dplrKernel(sys, dplrCtilde(sys, c.C, c.delta, c.L), c.delta, c.L), expected: c.Kdplr};
  });
  checks.set(`ssmKernel (bilinear LegS) = DPLR fixture ${c.name}`, () => {
    const sys = dplrHippo(c.N);
    const {Ab, Bb} = discretize(sys.real.A, sys.real.B, c.delta, "bilinear");
    return {actual: ssmKernel(Ab, Bb, [c.C], c.L), expected: c.Kdense};
  });
}
