// Seeded randomness, so that every "random" system, input and initialisation on the site is
// the same for the same seed (pages, models, tests and benchmarks share these).

/** Mulberry32: a small seeded generator, so "noise" is the same for the same seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples from a seeded generator (Box–Muller). */
export function gaussian(seed: number): () => number {
  const rand = mulberry32(seed);
  return () => {
    const u = Math.max(rand(), 1e-12), v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}
