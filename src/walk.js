// The walk: the eight steps of the site, in order, written once. observablehq.config.ts builds
// the navigation from it (only pages whose Markdown exists), and the home page draws it.
export const walk = [
  {path: "/continuous", name: "1. The state equation", title: "The state equation", gist: "x′ = Ax + Bu,  y = Cx + Du"},
  {path: "/discretization", name: "2. Discretization", title: "Discretization", gist: "Ā = exp(ΔA): ZOH, bilinear, Euler"},
  {path: "/hippo", name: "3. HiPPO and Legendre memory", title: "HiPPO memory", gist: "history in N Legendre coefficients"},
  {path: "/views", name: "4. Recurrence and convolution", title: "Two views", gist: "recurrence = convolution (S4, S4D)"},
  {path: "/selective", name: "5. The selective scan", title: "Selective scan", gist: "Δ, B, C depend on the input (Mamba)"},
  {path: "/linear-attention", name: "6. Linearized transformers", title: "Linear attention", gist: "φ(q)ᵀφ(k), decay, Mamba-2 duality"},
  {path: "/family", name: "7. The family", title: "The family", gist: "S4, S5, H3, RWKV, RetNet, Jamba …"},
  {path: "/lab", name: "8. The lab", title: "The lab", gist: "benchmarks on your own device"}
];
