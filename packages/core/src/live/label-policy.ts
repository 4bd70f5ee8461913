/**
 * Labels the points of slice s (every earlier slice labelled): each joins the cluster holding most
 * of its interslice kernel mass among its unit's earlier points, else its unit's cluster at the
 * previous slice. (Its intraslice neighbours are new points, unlabelled; counting their first
 * labels in a second round changed no label on the fixtures: a unit's own past outweighs them.)
 * Unit i's weight to earlier slice u is `weightsOf(i)[at + u]`.
 */
export function labelSlice(
  s: number,
  n: number,
  labels: Int32Array,
  weightsOf: (unit: number) => Float32Array,
  at: number,
): void {
  const base = s * n;
  const mass = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const w = weightsOf(i);
    mass.clear();
    for (let u = 0; u < s; u++) {
      const v = w[at + u]!;
      if (v !== 0) addMass(mass, labels[u * n + i]!, v);
    }
    labels[base + i] = heaviest(mass, labels[base - n + i]!);
  }
}

function addMass(mass: Map<number, number>, label: number, w: number): void {
  mass.set(label, (mass.get(label) ?? 0) + w);
}

function heaviest(mass: Map<number, number>, fallback: number): number {
  let best = fallback;
  let bestMass = 0;
  for (const [l, m] of mass)
    if (m > bestMass) {
      bestMass = m;
      best = l;
    }
  return best;
}
