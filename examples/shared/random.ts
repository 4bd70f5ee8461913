/** A small seeded random source (mulberry32) so splits and probes are the same every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates shuffle in place with the given random source. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Training labels shuffled among the digits (the paper's "random labels"), the same permutation
 * every run: generalization's scrambled-labels variant and mnist-mlp's --scramble-labels.
 */
export function scrambledLabels(labels: Int32Array, seed = 3): Int32Array {
  return Int32Array.from(shuffle(Array.from(labels), seededRandom(seed)));
}
