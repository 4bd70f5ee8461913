/**
 * M-PHATE options: the reference implementation's parameters in camelCase, with its defaults
 * (see docs/mphate.md and ../../shared/design/mphate-algorithm.md section 11), except
 * `mdsSolver`, which defaults to 'sgd' (what the fixtures' reference used).
 */
export interface MphateOptions {
  /** Embedding dimensions, 2 or 3. 3 always uses SMACOF. Default 2. */
  nComponents?: 2 | 3;
  /** k of the intraslice adaptive kernel: bandwidth = distance to the k-th nearest other unit. Default 2. */
  intrasliceKnn?: number;
  /** k' of the interslice kernel: per-unit scale = median distance to the k'-th nearest other slice. Default 25, clamped to slices - 1. */
  intersliceKnn?: number;
  /** alpha of the intraslice kernel exp(-(d/sigma)^alpha). Default 5. */
  decay?: number;
  /** Affinities below this are dropped (intraslice, then the whole multislice kernel). Default 1e-4. */
  thresh?: number;
  /** PCA components applied to probe samples when samples > nPca. Default 100. */
  nPca?: number;
  /** Landmarks used when slices x units > nLandmark. Default 4000. */
  nLandmark?: number;
  /** Spectral components for landmark clustering. Default 100. */
  nSvd?: number;
  /** Diffusion time, or 'auto' (knee of the von Neumann entropy). Default 'auto'. */
  t?: number | 'auto';
  /** Potential: 1 log, 0 square root (default), -1 raw; anything in [-1, 1]. */
  gamma?: number;
  /** Metric MDS solver for 2-D. Default 'sgd'. */
  mdsSolver?: 'sgd' | 'smacof';
  /** Seed for every random stage (landmark SVD, k-means, MDS). Default 42. */
  seed?: number;
  /** Called with each phase's name and the fraction done of that phase (0..1). */
  onProgress?: ProgressListener;
}

export interface Progress {
  /** One of PHASES. */
  phase: Phase;
  /** Fraction of this phase done, 0..1. */
  fraction: number;
}

export type ProgressListener = (progress: Progress) => void;

/** Every phase of an embedding, in the order they run. Timings use the same names. */
export const PHASES = [
  'normalize',
  'pca',
  'intraslice',
  'interslice',
  'kernel',
  'landmarks',
  'entropy',
  'power',
  'potential',
  'mds',
  'interpolate',
] as const;
export type Phase = (typeof PHASES)[number];

export type ResolvedOptions = Required<Omit<MphateOptions, 'onProgress'>> & { onProgress?: ProgressListener };

export const DEFAULT_OPTIONS: Readonly<Required<Omit<MphateOptions, 'onProgress'>>> = Object.freeze({
  nComponents: 2,
  intrasliceKnn: 2,
  intersliceKnn: 25,
  decay: 5,
  thresh: 1e-4,
  nPca: 100,
  nLandmark: 4000,
  nSvd: 100,
  t: 'auto',
  gamma: 0,
  mdsSolver: 'sgd',
  seed: 42,
});
