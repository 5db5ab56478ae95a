// The family of page 7 as data: one entry per model (who, when, where it sits on the two axes,
// how it is computed and discretized, its cost and state, its equation in the site's notation,
// what is new in it), the lineage between them, the side-by-side table and the survey's open
// problems. The map (components/familyMap.ts), the cards' headers and the table all read this
// one list, so they cannot disagree.
//
// The survey whose map this is: Wang, Wang, Ding, Li, Wu, Rong, Kong, Huang, Li, Yang, Wang,
// Jiang, Li, Wang, Tian & Tang (2024), "State Space Model for New-Generation Network
// Alternative to Transformers: A Survey" (arXiv:2404.09516).
//
// The two axes (the survey's own framing sorted into a grid):
//   structure of A   how the state matrix is parameterised: dense (HiPPO), DPLR (diagonal plus
//                    low rank, S4), diagonal complex, diagonal real, scalar (times the identity)
//   selectivity      "fixed": Ā is the same at every step (an LTI decay; B̄ₖ may still carry
//                    the input, as RWKV's keys and RetNet's Kₖᵀ do); "selective": Ā itself is a
//                    function of the input (Mamba's Δₖ).

export type Structure = "dense" | "dplr" | "diag-complex" | "diag-real" | "scalar";
export type Selectivity = "fixed" | "selective";
export type Compute = "recurrence" | "convolution" | "scan" | "chunked";
export type Discretization = "bilinear" | "zoh" | "zoh-euler" | "none";

export const STRUCTURES: readonly {id: Structure; label: string; short: string}[] = [
  {id: "dense", label: "dense (HiPPO)", short: "dense"},
  {id: "dplr", label: "diagonal + low rank", short: "DPLR"},
  {id: "diag-complex", label: "diagonal, complex", short: "diag ℂ"},
  {id: "diag-real", label: "diagonal, real", short: "diag ℝ"},
  {id: "scalar", label: "scalar × I", short: "scalar"}
];
export const SELECTIVITY: readonly {id: Selectivity; label: string}[] = [
  {id: "fixed", label: "Ā fixed (LTI decay)"},
  {id: "selective", label: "Ā depends on the input (selective)"}
];
export const COMPUTES: readonly {id: Compute; label: string}[] = [
  {id: "recurrence", label: "recurrence"},
  {id: "convolution", label: "convolution (FFT)"},
  {id: "scan", label: "parallel scan"},
  {id: "chunked", label: "chunked (SSD / chunkwise)"}
];
export const DISCRETIZATIONS: readonly {id: Discretization; label: string}[] = [
  {id: "bilinear", label: "bilinear"},
  {id: "zoh", label: "ZOH"},
  {id: "zoh-euler", label: "ZOH for A, Euler for B"},
  {id: "none", label: "none (discrete by design)"}
];

export interface FamilyModel {
  id: string;
  name: string;
  /** year of the first public version (arXiv or OpenReview) */
  year: number;
  authors: string;
  title: string;
  /** where it appeared */
  venue: string;
  structure: Structure;
  selectivity: Selectivity;
  /** how it is computed for training (the map's colour) */
  compute: Compute;
  /** every form it can run in */
  forms: string;
  discretization: Discretization;
  /** complexity in the sequence length L, per layer */
  train: string;
  infer: string;
  /** the state a layer carries from one token to the next */
  state: string;
  /** the lineage: ids of the models it builds on (the map's arrows) */
  parents: readonly string[];
  /** the state equation in the site's notation (KaTeX source; a top-level \\ breaks the line, and the card centres the lines) */
  equation: string;
  /** what is new in it, in two sentences */
  novelty: string;
  /** what the card runs, in one line (the report and the map's tooltip) */
  miniature: string;
}

export const MODELS: readonly FamilyModel[] = [
  {
    id: "hippo", name: "HiPPO", year: 2020, authors: "Gu, Dao, Ermon, Rudra & Ré", venue: "NeurIPS 2020",
    title: "HiPPO: Recurrent Memory with Optimal Polynomial Projections",
    structure: "dense", selectivity: "fixed", compute: "recurrence", forms: "recurrence", discretization: "bilinear",
    train: "O(L N²), sequential", infer: "O(N²) per step", state: "N", parents: [],
    equation: String.raw`x_k = \Big(I - \tfrac{1}{2k}A\Big)^{-1}\Big[\Big(I + \tfrac{1}{2k}A\Big)x_{k-1} + \tfrac{1}{k}B\,u_k\Big], \\ A_{nm} = -\begin{cases}\sqrt{2n+1}\sqrt{2m+1} & n>m\\ n+1 & n=m\\ 0 & n<m\end{cases}`,
    novelty: "Memory as online function approximation: the state holds the coefficients of the best polynomial fit (Legendre, for the LegS measure) to the whole history, and the dense matrix A that keeps them up to date is derived, not learned. S4 and its descendants start from this A or from its eigenvalues.",
    miniature: "LegS memory of a signal by the site's HiPPO recurrence, read back through Legendre polynomials; N moves"
  },
  {
    id: "s4", name: "S4", year: 2021, authors: "Gu, Goel & Ré", venue: "ICLR 2022",
    title: "Efficiently Modeling Long Sequences with Structured State Spaces",
    structure: "dplr", selectivity: "fixed", compute: "convolution", forms: "convolution (training), recurrence (inference)", discretization: "bilinear",
    train: "Õ(N + L) kernel + O(L log L) FFT", infer: "O(N) per step", state: "N (complex)", parents: ["hippo"],
    equation: String.raw`x_k = \bar A x_{k-1} + \bar B u_k,\; y_k = C x_k, \\ \bar A = (I - \tfrac{\Delta}{2}A)^{-1}(I + \tfrac{\Delta}{2}A),\; A = \Lambda - PQ^{*}`,
    novelty: "HiPPO's A is normal plus low rank, so S4 writes it as a diagonal Λ minus a rank-one PQ* and computes the length-L convolution kernel through a Cauchy kernel and the Woodbury identity instead of L matrix powers. That made HiPPO's memory trainable as a convolution on long sequences (it was the first model to solve Path-X, length 16384).",
    miniature: "the kernel of HiPPO-LegS discretized by the bilinear rule, by the site's dense ssmKernel (powers of Ā), checked against the recurrence"
  },
  {
    id: "dss", name: "DSS", year: 2022, authors: "Gupta, Gu & Berant", venue: "NeurIPS 2022",
    title: "Diagonal State Spaces are as Effective as Structured State Spaces",
    structure: "diag-complex", selectivity: "fixed", compute: "convolution", forms: "convolution", discretization: "zoh",
    train: "O(N L) kernel + O(L log L) FFT", infer: "O(N) per step", state: "N (complex)", parents: ["s4"],
    equation: String.raw`\bar A = \operatorname{diag}(e^{\lambda_i \Delta}), \\ \bar K_k = \operatorname{Re}\sum_i w_i\,\tfrac{e^{\lambda_i\Delta}-1}{\lambda_i}\,e^{k\lambda_i\Delta}\;\;(\mathrm{DSS}_{\exp})`,
    novelty: "Drop the low-rank term: a purely diagonal complex A, with the eigenvalues of HiPPO's normal part, matches S4 on the Long Range Arena. Its kernel is a sum of N complex exponentials, written once more with a softmax over the L positions (DSS_softmax) so that a mode with Re λ > 0 cannot blow up.",
    miniature: "both DSS kernels from the same weights by the site's dssKernel; they agree, and only the softmax form accepts Re λ > 0"
  },
  {
    id: "s4d", name: "S4D", year: 2022, authors: "Gu, Gupta, Goel & Ré", venue: "NeurIPS 2022",
    title: "On the Parameterization and Initialization of Diagonal State Space Models",
    structure: "diag-complex", selectivity: "fixed", compute: "convolution", forms: "convolution (Vandermonde), recurrence", discretization: "zoh",
    train: "O(N L) kernel + O(L log L) FFT", infer: "O(N) per step", state: "N (complex pairs)", parents: ["s4", "dss"],
    equation: String.raw`\bar A_n = e^{\Delta\lambda_n},\; \bar B_n = \tfrac{e^{\Delta\lambda_n}-1}{\lambda_n}B_n, \\ \bar K_k = 2\operatorname{Re}\sum_n C_n \bar B_n\, e^{k\Delta\lambda_n}`,
    novelty: "Explains why diagonal works (S4D-LegS recovers S4's kernel as N grows) and gives simple closed-form initialisations, S4D-Lin λₙ = −½ + iπn and S4D-Inv. The kernel is a Vandermonde product computable in a few lines, and S4D-Real (λₙ = −(n+1)) is the A that Mamba starts from.",
    miniature: "the site's s4dKernel (Vandermonde) for the three initialisations, checked against the recurrence of the equivalent real system"
  },
  {
    id: "s5", name: "S5", year: 2022, authors: "Smith, Warrington & Linderman", venue: "ICLR 2023",
    title: "Simplified State Space Layers for Sequence Modeling",
    structure: "diag-complex", selectivity: "fixed", compute: "scan", forms: "parallel scan, recurrence", discretization: "zoh",
    train: "O(P L) work, O(log L) depth", infer: "O(P H) per step", state: "P (complex)", parents: ["s4", "dss"],
    equation: String.raw`x_k = \bar\Lambda x_{k-1} + \bar B u_k,\; y_k = 2\operatorname{Re}(\tilde C x_k) + D u_k, \\ u_k\in\mathbb R^H,\; x_k\in\mathbb C^P`,
    novelty: "One multi-input multi-output SSM with a diagonal Λ replaces S4's H separate single-input systems. With no kernel to build, it runs the recurrence itself with a parallel scan, which also allows a different step Δ at every sample.",
    miniature: "one MIMO system with H = 2 inputs and P shared modes through the site's parallel scan (s5), its eigenvalues Λ̄ = e^{ΔΛ} drawn"
  },
  {
    id: "gss", name: "GSS", year: 2022, authors: "Mehta, Gupta, Cutkosky & Neyshabur", venue: "ICLR 2023",
    title: "Long Range Language Modeling via Gated State Spaces",
    structure: "diag-complex", selectivity: "fixed", compute: "convolution", forms: "convolution", discretization: "zoh",
    train: "O(H N L) kernel + O(H L log L) FFT", infer: "O(H N) per step", state: "H·N (H < E)", parents: ["dss"],
    equation: String.raw`u = \mathrm{gelu}(\hat x W_u),\; v = \mathrm{gelu}(\hat x W_v),\; y = \mathrm{DSS}(u), \\ o = \big((y W_{uc}) \odot v\big) W_o + x`,
    novelty: "A gated block around a simplified DSS layer (Δ = 1 in its pseudocode) that runs on a reduced width H < E; the wide GELU gate does the rest. It trains significantly faster than DSS on TPUs (the survey quotes 2–3×) while staying competitive with tuned Transformers on long-range language modelling.",
    miniature: "the site's gss layer forward on a multichannel signal; the reduced DSS kernels and the share of SSM work as H moves"
  },
  {
    id: "h3", name: "H3", year: 2022, authors: "Fu, Dao, Saab, Thomas, Rudra & Ré", venue: "ICLR 2023",
    title: "Hungry Hungry Hippos: Towards Language Modeling with State Space Models",
    structure: "diag-complex", selectivity: "fixed", compute: "convolution", forms: "convolution (FFT), recurrence", discretization: "zoh",
    train: "O(d L log L)", infer: "O(d·(N + m)) per step", state: "d·(N + m)", parents: ["s4d"],
    equation: String.raw`\tilde K = \mathrm{SSM}_{\text{shift}}(K),\quad O = Q \odot \mathrm{SSM}_{\text{diag}}\big(\tilde K \odot V\big), \\ \bar A_{\text{shift}} = \left(\begin{smallmatrix}0&&\\1&0&\\&1&0\end{smallmatrix}\right)`,
    novelty: "Two SSMs and two multiplications that let an SSM layer compare tokens: a shift SSM remembers the previous token, a diagonal SSM accumulates key×value products, and the query reads them out, which is what recall and induction need. It came within 0.4 perplexity of Transformers on OpenWebText, and its FlashConv algorithm made the long convolutions fast.",
    miniature: "an induction head built from the site's h3 kernel with hand-set weights: which token followed the query, weighted by the diagonal SSM's decay"
  },
  {
    id: "mega", name: "Mega", year: 2022, authors: "Ma, Zhou, Kong, He, Gui, Neubig, May & Zettlemoyer", venue: "ICLR 2023",
    title: "Mega: Moving Average Equipped Gated Attention",
    structure: "diag-real", selectivity: "fixed", compute: "convolution", forms: "convolution (FFT), recurrence", discretization: "none",
    train: "O(L²) attention (O(L c) chunked) + O(L log L) EMA", infer: "O(L) per step (KV cache)", state: "d·h + KV cache", parents: ["s4"],
    equation: String.raw`x_k = (1 - \alpha\odot\delta)\odot x_{k-1} + \alpha\odot\beta\; u_k, \\ y_k = \eta^{\top} x_k,\quad \alpha,\delta\in(0,1)^h`,
    novelty: "A multi-dimensional damped exponential moving average, an SSM with a real diagonal Ā = 1 − αδ set directly in discrete time, gives single-head gated attention a positional, local bias. A chunked variant makes the whole layer linear in L at a small loss in quality.",
    miniature: "Mega's EMA by its kernel (the site's ema) and by its recurrence (emaRecurrent), α and δ moving, their difference printed"
  },
  {
    id: "s4pp", name: "S4++", year: 2023, authors: "Qi, Gao, Li, Zhang, Liu, Wu & Zhou", venue: "OpenReview (ICLR 2024 submission, withdrawn)",
    title: "S4++: Elevating Long Sequence Modeling with State Memory Reply",
    structure: "dplr", selectivity: "fixed", compute: "convolution", forms: "convolution + cross attention", discretization: "bilinear",
    train: "O(L log L) SSM + O(L²) cross attention", infer: "O(L) per step (attention)", state: "N + KV cache", parents: ["s4"],
    equation: String.raw`u'_k = u_k\,(m * u)_k \;\;(\text{SMR}), \\ x_k = \bar A x_{k-1} + \bar B u'_k,\; y_k = C x_k`,
    novelty: "Names the Non-Stable-States problem: the states of S4 spread when the sampling steps differ from the grid the model was discretized for. Its State Memory Reply mixes several past inputs into the current one through a short learned convolution (its reviewers note the kinship with H3's shift SSM and gate), and S4++ adds cross attention.",
    miniature: "the NSS effect measured: a diagonal SSM on jittered sampling steps by the site's selective scan, with and without an SMR input (causalConv)"
  },
  {
    id: "rwkv", name: "RWKV", year: 2023, authors: "Peng et al.", venue: "Findings of EMNLP 2023",
    title: "RWKV: Reinventing RNNs for the Transformer Era",
    structure: "scalar", selectivity: "fixed", compute: "recurrence", forms: "recurrence (RNN), time-parallel (GPT) mode", discretization: "none",
    train: "O(L d)", infer: "O(d) per step", state: "2d (a, b per channel)", parents: [],
    equation: String.raw`a_t = e^{-w}a_{t-1} + e^{k_t}v_t,\; b_t = e^{-w}b_{t-1} + e^{k_t}, \\ \mathrm{wkv}_t = \frac{a_{t-1} + e^{\mathsf u + k_t}v_t}{b_{t-1} + e^{\mathsf u + k_t}}`,
    novelty: "Linear attention with a fixed per-channel time decay w and a bonus 𝗎 for the current token: trained like a Transformer, run like an RNN with a constant-size state. Its authors scaled it to 14B parameters, by their account the largest dense RNN trained so far.",
    miniature: "the site's wkv (log-depth scan, stable form) against its closed form (wkvClosed), with the decay and the bonus moving"
  },
  {
    id: "retnet", name: "RetNet", year: 2023, authors: "Sun, Dong, Huang, Ma, Xia, Xue, Wang & Wei", venue: "arXiv 2023",
    title: "Retentive Network: A Successor to Transformer for Large Language Models",
    structure: "scalar", selectivity: "fixed", compute: "chunked", forms: "parallel, recurrent, chunkwise", discretization: "none",
    train: "O(L² d) parallel or O(L B d) chunkwise", infer: "O(d_k d_v) per step", state: "h·d_k·d_v", parents: [],
    equation: String.raw`S_n = \gamma\, S_{n-1} + K_n^{\top} V_n,\quad o_n = Q_n S_n \\ (x_k = \gamma\, x_{k-1} + K_k^{\top}V_k,\; y_k = Q_k x_k)`,
    novelty: "Retention: linear attention with a fixed scalar decay γ per head (γ = 1 − 2^{−5−h}), which can be computed in three equal ways: parallel like attention for training, recurrent for O(1) inference, and chunkwise for long sequences. RetNet made the three-forms argument explicit.",
    miniature: "retention in its three forms by the site's retention, retentionRecurrent and retentionChunked, max differences printed"
  },
  {
    id: "mamba", name: "Mamba", year: 2023, authors: "Gu & Dao", venue: "COLM 2024",
    title: "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
    structure: "diag-real", selectivity: "selective", compute: "scan", forms: "hardware-aware scan, recurrence", discretization: "zoh-euler",
    train: "O(L d N), parallel scan", infer: "O(d N) per step", state: "d·N (+ conv buffer)", parents: ["s4d", "h3"],
    equation: String.raw`x_k = e^{\Delta_k A}x_{k-1} + \Delta_k B_k u_k,\; y_k = C_k x_k, \\ \Delta_k = \operatorname{softplus}(W_\Delta u_k + b),\; B_k = W_B u_k,\; C_k = W_C u_k`,
    novelty: "Selectivity: Δ, B and C are functions of the current token, so the layer can choose what to write into its state and what to ignore; the price is the convolution, which no longer exists. A fused, recomputing scan keeps the (L, d, N) states out of slow memory, and its block (H3 merged with a gated MLP) let Mamba-3B match Transformers twice its size.",
    miniature: "the site's selectiveScan with N = 1 (Mamba's Theorem 1: a gated RNN), LTI against selective on the same tokens"
  },
  {
    id: "mamba2", name: "Mamba-2", year: 2024, authors: "Dao & Gu", venue: "ICML 2024",
    title: "Transformers are SSMs: Generalized Models and Efficient Algorithms Through Structured State Space Duality",
    structure: "scalar", selectivity: "selective", compute: "chunked", forms: "SSD: chunked (matmuls), recurrent, quadratic (attention-like)", discretization: "zoh-euler",
    train: "O(L N P) in chunks of matmuls", infer: "O(N P) per step per head", state: "h·P·N", parents: ["mamba", "retnet"],
    equation: String.raw`S_t = e^{a_t} S_{t-1} + x_t B_t^{\top},\; y_t = S_t C_t \\ \Longleftrightarrow\; y = (\mathcal L \circ C B^{\top})\,x,\;\; \mathcal L_{ts} = e^{a_{s+1}+\dots+a_t}`,
    novelty: "Restricting A to a scalar per head makes the selective SSM equal to a masked linear attention (state space duality), so most of its work becomes matrix multiplications on tensor cores in a chunked algorithm. Heads and a much larger state (N of 64 and more, against Mamba's 16) came with it.",
    miniature: "SSD in four forms, all the site's kernels: chunked (ssd), recurrent, quadratic, and selectiveScan with a scalar A; the chunk length moves"
  },
  {
    id: "jamba", name: "Jamba", year: 2024, authors: "Lieber, Lenz, Bata, Cohen, Osin, Dalmedigos, Safahi, Meirom, Belinkov, Shalev-Shwartz et al.", venue: "arXiv 2024 (ICLR 2025 as Jamba-1.5)",
    title: "Jamba: A Hybrid Transformer-Mamba Language Model",
    structure: "diag-real", selectivity: "selective", compute: "scan", forms: "Mamba scan + attention + MoE", discretization: "zoh-euler",
    train: "O(L) Mamba layers + O(L²) in 1 of 8 layers", infer: "O(L) per step (4 attention layers)", state: "Mamba states + 4 layers of KV cache", parents: ["mamba"],
    equation: String.raw`\text{block} = 1\ \text{attention} : 7\ \text{Mamba layers},\;\text{MoE every 2nd layer}; \\ x_k = e^{\Delta_k A}x_{k-1} + \Delta_k B_k u_k`,
    novelty: "A production-scale hybrid: one attention layer in eight, the other seven Mamba, with mixture-of-experts MLPs (16 experts, top 2) in every other layer; 52B parameters, 12B active. Its KV cache at 256K tokens is 4 GB against Mixtral's 32 GB.",
    miniature: "Jamba-v0.1's layer pattern and its KV cache against its Mamba states, computed from the published configuration beside the paper's Table 1"
  },
  {
    id: "timemachine", name: "TimeMachine", year: 2024, authors: "Ahamed & Cheng", venue: "ECAI 2024",
    title: "TimeMachine: A Time Series is Worth 4 Mambas for Long-term Forecasting",
    structure: "diag-real", selectivity: "selective", compute: "scan", forms: "Mamba scans on embedded tokens", discretization: "zoh-euler",
    train: "O(L n₁) embedding + O(n₁ d N) scans", infer: "one pass per forecast", state: "d·N per Mamba", parents: ["mamba"],
    equation: String.raw`z = W_1\,\mathrm{RevIN}(u_{1:L}),\; z' = W_2 z, \\ \hat u_{L+1:L+T} = \mathrm{RevIN}^{-1}\!\big(W_4\,[\,W_3(\mathrm{M}_1 z' + \mathrm{M}_2 z') ,\; \mathrm{M}_3 z + \mathrm{M}_4 z\,]\big)`,
    novelty: "Four Mamba blocks at two embedding resolutions (n₁ and n₂ tokens) forecast a multivariate series, either mixing the channels or treating each on its own. Linear in the look-back length, it reported better accuracy than Transformer and linear forecasters on the standard long-horizon benchmarks.",
    miniature: "TimeMachine's data flow on Seattle's daily weather (4 channels) with the site's mambaBlock at random initialisation; only the last linear map is fitted, in closed form"
  },
  {
    id: "vmamba", name: "VMamba", year: 2024, authors: "Liu, Tian, Zhao, Yu, Xie, Wang, Ye, Jiao & Liu", venue: "NeurIPS 2024",
    title: "VMamba: Visual State Space Model",
    structure: "diag-real", selectivity: "selective", compute: "scan", forms: "four 1-D scans (SS2D)", discretization: "zoh-euler",
    train: "O(H W d N), four scans", infer: "not autoregressive (an image encoder)", state: "4·d·N while scanning", parents: ["mamba"],
    equation: String.raw`y(r,c) = \sum_{k=1}^{4} \mathrm{S6}_k\big(\mathrm{scan}_k(x)\big)\big[\pi_k(r,c)\big]`,
    novelty: "A 1-D scan sees only the pixels before it; VMamba's 2D-selective-scan (SS2D) flattens the image in four orders (rows, columns, and both reversed), scans each and sums the four maps back, so every pixel hears from every other through linear-time recurrences. It made Mamba a competitive vision backbone.",
    miniature: "the site's crossScan2d and crossScanMerge2d on an image from vega-datasets or drawn in code, the reader choosing the order and the decay"
  }
];

/** The model with this id (throws for an unknown id). */
export function modelById(id: string): FamilyModel {
  const m = MODELS.find((x) => x.id === id);
  if (!m) throw new Error(`modelById: id must be one of ${MODELS.map((x) => x.id).join(", ")}, got ${JSON.stringify(id)}`);
  return m;
}

/** The lineage as arrows: every (parent → child) pair, parents first by year. */
export function lineageEdges(): {from: string; to: string}[] {
  return MODELS.flatMap((m) => m.parents.map((p) => ({from: p, to: m.id})));
}

const labelOf = <T extends string>(list: readonly {id: T; label: string}[], id: T) => list.find((x) => x.id === id)!.label;

/** The side-by-side table, one row per model (what the page shows and exports as CSV/JSON). */
export function familyTable(): Record<string, string | number>[] {
  return MODELS.map((m) => ({
    model: m.name,
    year: m.year,
    paper: `${m.authors} (${m.year}), ${m.venue}`,
    "structure of A": labelOf(STRUCTURES, m.structure),
    "LTI / selective": m.selectivity === "fixed" ? "LTI (Ā fixed)" : "selective",
    discretization: labelOf(DISCRETIZATIONS, m.discretization),
    "kernel / scan": m.forms,
    "training, in L": m.train,
    "inference, per token": m.infer,
    "state size": m.state
  }));
}

/** The map's nodes: a model with its grid cell (column = structure, row = selectivity). */
export interface MapNode {
  id: string; name: string; year: number; structure: Structure; selectivity: Selectivity; compute: Compute;
  discretization: Discretization; parents: readonly string[]; miniature: string;
}
export function mapNodes(): MapNode[] {
  return MODELS.map(({id, name, year, structure, selectivity, compute, discretization, parents, miniature}) =>
    ({id, name, year, structure, selectivity, compute, discretization, parents, miniature}));
}

/** The survey's open problems (its §"Challenges and opportunities"), each tied to a part of this site. */
export interface OpenProblem { id: string; title: string; survey: string; site: string; link: {href: string; text: string} }
export const OPEN_PROBLEMS: readonly OpenProblem[] = [
  {id: "memory", title: "GPU memory",
    survey: "In the survey's own experiments some SSM-based follow-up works used less GPU memory than Transformers, or about as much, and some did not: the advantage in theory does not always show in practice.",
    site: "What can be computed is the memory that decides inference at long context: attention keeps a KV cache that grows with L, a scan keeps a state that does not. The numbers below are computed from the formulas; measured bytes and times on your own device are in the lab.",
    link: {href: "/lab", text: "the lab (measured)"}},
  {id: "long", title: "High-resolution and long data",
    survey: "Remote-sensing images, X-ray images and long videos are where linear complexity should matter most, and where no architecture is yet satisfactory.",
    site: "The attention matrix of an image grows with the fourth power of its side; VMamba's four scans grow with the second. Computed for a few image sizes below; the VMamba card runs the scan.",
    link: {href: "#card-vmamba", text: "VMamba card"}},
  {id: "llm", title: "Pretrained SSM language models",
    survey: "Large pretrained models are almost all Transformers; Jamba (Transformer + Mamba + MoE, 256K context) is the exception the survey names, and pure or hybrid SSM LLMs are an open direction.",
    site: "The Jamba card computes why the hybrid fits long contexts; the linearized-transformers page uptrains a small pretrained softmax model into a linear one, the other road to a pretrained recurrent LM.",
    link: {href: "#card-jamba", text: "Jamba card"}},
  {id: "multimodal", title: "Multimodal learning",
    survey: "Transformer-based multimodal models encode all modalities' tokens together, so their inference cost can double against a single modality; cost-sensitive SSM backbones are an open topic.",
    site: "Concatenating an image's tokens with a text's makes attention pay for the square of the sum; a scan pays for the sum. Computed below for one image and one caption.",
    link: {href: "#open-multimodal-numbers", text: "the computation below"}},
  {id: "scan", title: "New scan operators",
    survey: "1-D and 2-D data need different scans: VMamba's cross-scan reads an image in four directions, remote-sensing models add oblique ones, and point clouds and event streams wait for scans of their own.",
    site: "The VMamba card lets you choose among the four scan orders and see what each direction contributes to the merged map; any other order is a permutation of the same pixels.",
    link: {href: "#card-vmamba", text: "VMamba card"}},
  {id: "generalization", title: "Domain generalisation",
    survey: "Global receptive fields at linear cost should help SSMs generalise across domains, but current SSM networks do not yet; DGMamba (Long et al. 2024) suppresses hidden states and refines patches to help.",
    site: "What such methods act on is visible in the Mamba card: the input-dependent step Δ decides how much of each token enters the state and how much of the state is kept.",
    link: {href: "#card-mamba", text: "Mamba card"}}
];

/** The map's rows, labelled briefly (the grid's rows are narrow when rotated). */
export const MAP_ROWS: readonly {id: Selectivity; label: string}[] = [
  {id: "fixed", label: "LTI: Ā fixed"},
  {id: "selective", label: "selective: Ā(uₖ)"}
];

/** The card's tags: where the model sits on the map. */
export function cardTags(id: string): string[] {
  const m = modelById(id);
  return [`A: ${labelOf(STRUCTURES, m.structure)}`, m.selectivity === "fixed" ? "LTI (Ā fixed)" : "selective (Ā depends on the input)",
    `trained by ${labelOf(COMPUTES, m.compute)}`, `discretization: ${labelOf(DISCRETIZATIONS, m.discretization)}`];
}
