/**
 * The methods by name, each with the largest trace it embeds (points = slices x units) and why.
 * Import-free (no core, no tfjs), so command lines and servers can check a name or a size
 * before loading anything heavy: `@mphate/methods/registry`.
 */

export const METHOD_NAMES = [
  'm-phate',
  'dm',
  'isomap',
  'tsne',
  'phate',
  'naive-dm',
  'naive-isomap',
  'naive-tsne',
  'pca',
  'umap',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** Dense geodesic distances: N² float32 (144 MB at 6,000 points) and N Dijkstra searches. */
export const GEODESIC_LIMIT = 6000;

export interface MethodInfo {
  name: MethodName;
  /** Column heading: the paper's name and whether it uses the slices. */
  label: string;
  group: 'multislice' | 'naive' | 'baseline';
  summary: string;
  /** Largest number of points (slices x units) it embeds. */
  maxPoints: number;
  /** Why there is a limit. */
  limitReason: string;
}

const noLimit = 'no dense N x N stage';

export const METHODS: Readonly<Record<MethodName, MethodInfo>> = Object.freeze({
  'm-phate': {
    name: 'm-phate',
    label: 'M-PHATE',
    group: 'multislice',
    summary: 'Multislice PHATE with its defaults',
    maxPoints: Number.POSITIVE_INFINITY,
    limitReason: noLimit,
  },
  dm: {
    name: 'dm',
    label: 'DM (multislice)',
    group: 'multislice',
    summary: 'diffusion maps of the M-PHATE kernel',
    maxPoints: 150_000,
    limitReason: 'a 400-vector Lanczos basis of N float64 values',
  },
  isomap: {
    name: 'isomap',
    label: 'Isomap (multislice)',
    group: 'multislice',
    summary: 'classical scaling of shortest paths on the M-PHATE kernel (edge length -ln K)',
    maxPoints: GEODESIC_LIMIT,
    limitReason: 'dense N x N geodesic distances',
  },
  tsne: {
    name: 'tsne',
    label: 't-SNE (multislice)',
    group: 'multislice',
    summary: 't-SNE on the M-PHATE geodesic distances (precomputed, random init)',
    maxPoints: GEODESIC_LIMIT,
    limitReason: 'dense N x N geodesic distances',
  },
  phate: {
    name: 'phate',
    label: 'PHATE (naive)',
    group: 'naive',
    summary: 'PHATE on the flattened points with its defaults (knn 5, decay 40, gamma 1, 2000 landmarks)',
    maxPoints: 12_000,
    limitReason: 'the N x N distances of its kNN kernel',
  },
  'naive-dm': {
    name: 'naive-dm',
    label: 'DM (naive)',
    group: 'naive',
    summary: 'diffusion maps of the naive PHATE graph',
    maxPoints: 12_000,
    limitReason: 'the N x N distances of its kNN kernel',
  },
  'naive-isomap': {
    name: 'naive-isomap',
    label: 'Isomap (naive)',
    group: 'naive',
    summary: "scikit-learn's Isomap() on the flattened points (5 neighbours)",
    maxPoints: GEODESIC_LIMIT,
    limitReason: 'dense N x N geodesic distances',
  },
  'naive-tsne': {
    name: 'naive-tsne',
    label: 't-SNE (naive)',
    group: 'naive',
    summary: "scikit-learn 1.2's TSNE() on the flattened points (Barnes-Hut, PCA init)",
    maxPoints: 50_000,
    limitReason: 'an exact nearest-neighbour search over all N² pairs',
  },
  pca: {
    name: 'pca',
    label: 'PCA',
    group: 'baseline',
    summary: '2-D PCA of the flattened points',
    maxPoints: Number.POSITIVE_INFINITY,
    limitReason: noLimit,
  },
  umap: {
    name: 'umap',
    label: 'UMAP',
    group: 'baseline',
    summary: 'umap-js with its defaults on the flattened points',
    maxPoints: 50_000,
    limitReason: 'umap-js keeps the points as JavaScript arrays',
  },
});

export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}

/** Throws an Error naming the known methods when `name` is not one. */
export function methodInfo(name: string): MethodInfo {
  if (!isMethodName(name)) throw new Error(`unknown method '${name}' (methods: ${METHOD_NAMES.join(', ')})`);
  return METHODS[name];
}

/** A trace larger than a method embeds. */
export class MethodLimitError extends Error {
  constructor(
    readonly method: MethodInfo,
    readonly points: number,
  ) {
    super(
      `${method.name} embeds at most ${method.maxPoints.toLocaleString('en-US')} points (${method.limitReason}); ` +
        `this trace has ${points.toLocaleString('en-US')} (slices x units)`,
    );
    this.name = 'MethodLimitError';
  }
}
