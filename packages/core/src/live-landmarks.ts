import type { IntersliceDistances } from './interslice.js';
import type { IntraBlock } from './intraslice.js';
import { matMul } from './linalg/matmul.js';
import type { MultisliceKernel } from './multislice.js';
import type { DiffusionOperator } from './operator.js';
import { UnitSquares } from './unit-squares.js';

/**
 * The landmark operator of the live engine, updated slice by slice instead of rebuilt
 * (docs/mphate.md, "Live mode"). Within an era (between two re-clusterings) the labels and the
 * interslice bandwidth ε are frozen. Then, with g_b = row b of G = K·Labᵀ,
 *
 *   C = Σ_b g_b g_bᵀ / deg*_b        (deg*_b: the degree of b when its term was last computed)
 *
 * changes with a new slice s in three ways, each far cheaper than a rebuild:
 * 1. every old point b = (u, i) gains one entry in g_b, its link w to (s, i), whose label l is
 *    the same for the whole unit: per unit, C += v e_lᵀ + e_l vᵀ + (Σ w²/deg*) e_l e_lᵀ with
 *    v = Σ_u (w_u / deg*_b) g_b (a vector of length L);
 * 2. the new points' own terms are added;
 * 3. old points' degrees grew (by w): a slice whose degrees drifted by more than `tolerance`
 *    since its terms were computed has them recomputed (a tolerance of 0 keeps C exact).
 *
 * A slice's terms are computed in block form: its points' intraslice parts of g as one dense
 * n x L_τ matrix E (L_τ = distinct labels in the slice), Eᵀ diag(coef) E on tfjs, plus the
 * cross and interslice parts point by point (a point's interslice part has few distinct labels:
 * its own unit's clusters). The operator is normalised with D_L = row sums of C, so Q = D_L⁻¹ C
 * stays row-stochastic even while some degrees are stale.
 */
export class LiveLandmarks {
  /** Each unit's T x T interslice weights at the frozen ε. */
  readonly weights: UnitSquares;
  /** Slices taken in. */
  epochs = 0;
  private labelsBuf = new Int32Array(0);
  private degree = new Float64Array(0);
  private stamped = new Float64Array(0);
  /** Per slice: its distinct labels (L_τ of them). */
  private readonly sliceLabels: Int32Array[] = [];
  /**
   * Per slice: E_τ, the intraslice part of its points' rows of G, dense n x L_τ float32 (row i,
   * column x: the kernel mass of (τ, i) in the slice's x-th label). Random-walk-like slices have
   * dense intraslice blocks; this form streams a third of the bytes of their CSR.
   */
  private readonly sliceRows: Float32Array[] = [];
  private readonly c: Float64Array;
  /**
   * Per unit: the distinct labels of its points (U_i), each label's index there (n x L, -1 if
   * absent), and the pending ge x ge terms of its points in those local coordinates (flushed into
   * C once per update: written point by point they would scatter r² adds over C each).
   */
  private readonly unitLabels: number[][];
  private readonly unitLocal: Int32Array;
  private readonly pending: Float64Array[];
  private readonly scratch: Int32Array;
  private readonly mass: Float64Array;

  private constructor(
    private readonly blocks: readonly IntraBlock[],
    readonly units: number,
    readonly landmarks: number,
    readonly epsilon: number,
    private readonly thresh: number,
  ) {
    this.weights = new UnitSquares(units);
    this.c = new Float64Array(landmarks * landmarks);
    this.scratch = new Int32Array(landmarks).fill(-1);
    this.mass = new Float64Array(landmarks);
    this.unitLabels = Array.from({ length: units }, () => []);
    this.unitLocal = new Int32Array(units * landmarks).fill(-1);
    this.pending = Array.from({ length: units }, () => new Float64Array(0));
  }

  /**
   * Starts an era from the whole kernel (built at bandwidth `epsilon`) and every point's label.
   * `kernel.intra` must be the engine's growing list of blocks: later slices are read from it.
   * `previous`: an era whose slices carry the same labels here (a new bandwidth, same clusters);
   * its per-slice rows are reused.
   */
  static async start(
    kernel: MultisliceKernel,
    labels: Int32Array,
    landmarks: number,
    epsilon: number,
    thresh: number,
    previous?: LiveLandmarks,
  ): Promise<LiveLandmarks> {
    const T = kernel.epochs;
    const n = kernel.units;
    const live = new LiveLandmarks(kernel.intra, n, landmarks, epsilon, thresh);
    live.reserve(T * n);
    live.labelsBuf.set(labels.subarray(0, T * n));
    live.weights.resize(T);
    const cap = live.weights.capacity;
    if (kernel.inter)
      for (let i = 0; i < n; i++) {
        const w = live.weights.of(i);
        for (let a = 0; a < T; a++)
          w.set(kernel.inter.subarray((i * T + a) * T, (i * T + a + 1) * T), a * cap);
      }
    live.degree.set(kernel.degree);
    live.stamped.set(kernel.degree);
    live.epochs = T;
    const reused = previous && previous.landmarks === landmarks ? Math.min(previous.epochs, T) : 0;
    for (let tau = 0; tau < T; tau++)
      if (tau < reused) {
        live.sliceLabels[tau] = previous!.sliceLabels[tau]!;
        live.sliceRows[tau] = previous!.sliceRows[tau]!;
      } else live.indexSlice(tau);
    await live.buildAll();
    return live;
  }

  /** Every point's landmark label, row epoch * units + unit. */
  get labels(): Int32Array {
    return this.labelsBuf.subarray(0, this.epochs * this.units);
  }

  /**
   * Takes in the next slice (index `epochs`; its intraslice block and distances must exist):
   * its links to every older slice at the frozen ε, its points' labels (the cluster holding most
   * of their interslice mass, else their unit's cluster at the previous slice) and its terms.
   */
  async append(distances: IntersliceDistances): Promise<void> {
    const s = this.epochs;
    const n = this.units;
    const L = this.landmarks;
    if (!this.blocks[s] || distances.epochs <= s)
      throw new Error(`LiveLandmarks.append: slice ${s} has no intraslice block or distances yet`);
    this.reserve((s + 1) * n);
    this.weights.resize(s + 1);
    const cap = this.weights.capacity;
    const labels = this.labelsBuf;
    const limit = this.thresh > 0 ? -Math.log(this.thresh) : 745;
    const dMax = this.epsilon * Math.sqrt(limit);
    const inv = 1 / this.epsilon;
    const row = new Float64Array(distances.epochs);
    const cu = new Float64Array(s);
    const v = new Float64Array(L);
    for (let i = 0; i < n; i++) {
      const w = this.weights.of(i);
      distances.row(i, s, row);
      for (let u = 0; u < s; u++) {
        const x = row[u]! * inv;
        const val = row[u]! <= dMax ? Math.fround(Math.exp(-x * x)) : 0;
        w[s * cap + u] = val;
        w[u * cap + s] = val;
      }
    }
    labelSlice(s, n, labels, (i) => this.weights.of(i), s * cap);
    this.indexSlice(s);
    // 1. old points gain their link to the new slice (rank-2 update per unit, at stamped degrees)
    for (let i = 0; i < n; i++) {
      const w = this.weights.of(i);
      const l = labels[s * n + i]!;
      let diagonal = 0;
      let any = false;
      for (let u = 0; u < s; u++) {
        const wu = w[u * cap + s]!;
        cu[u] = wu / this.stamped[u * n + i]!;
        diagonal += cu[u]! * wu;
        if (wu !== 0) any = true;
      }
      if (!any) continue;
      v.fill(0);
      for (let u = 0; u < s; u++) {
        const f = cu[u]!;
        if (f === 0) continue;
        const labs = this.sliceLabels[u]!;
        const e = this.sliceRows[u]!;
        const lt = labs.length;
        for (let x = 0, o = i * lt; x < lt; x++) v[labs[x]!] += f * e[o + x]!;
      }
      // the interslice parts of the old rows: Σ_u cu[u] W[u, u'] at label(u', i), W symmetric
      for (let u2 = 0; u2 < s; u2++) {
        const o = u2 * cap;
        let z = 0;
        for (let u = 0; u < s; u++) z += w[o + u]! * cu[u]!;
        if (z !== 0) v[labels[u2 * n + i]!] += z;
      }
      const c = this.c;
      for (let x = 0; x < L; x++) {
        const val = v[x]!;
        if (val === 0) continue;
        c[l * L + x] += val;
        c[x * L + l] += val;
      }
      c[l * L + l] += diagonal;
    }
    // degrees: the new points' and the old points' grown ones
    for (let i = 0; i < n; i++) {
      const w = this.weights.of(i);
      const blk = this.blocks[s]!;
      let d = 0;
      for (let p = blk.rowPtr[i]!; p < blk.rowPtr[i + 1]!; p++) d += blk.vals[p]!;
      for (let u = 0; u < s; u++) {
        const wu = w[s * cap + u]!;
        d += wu;
        this.degree[u * n + i] += wu;
      }
      this.degree[s * n + i] = d;
      this.stamped[s * n + i] = d;
    }
    this.epochs = s + 1;
    // 2. the new points' terms
    await this.addSliceTerms(s, this.inverseDegrees(s));
    this.flushPending();
  }

  /**
   * 3. Recomputes the terms of every slice whose degrees drifted by more than `tolerance`
   * (relative) since they were computed. Returns how many slices were refreshed.
   */
  async refresh(tolerance: number): Promise<number> {
    const n = this.units;
    let refreshed = 0;
    const coef = new Float64Array(n);
    for (let tau = 0; tau < this.epochs; tau++) {
      let drift = 0;
      for (let i = 0; i < n; i++) {
        const b = tau * n + i;
        drift = Math.max(drift, Math.abs(this.degree[b]! / this.stamped[b]! - 1));
      }
      if (drift <= tolerance) continue;
      for (let i = 0; i < n; i++) {
        const b = tau * n + i;
        coef[i] = 1 / this.degree[b]! - 1 / this.stamped[b]!;
        this.stamped[b] = this.degree[b]!;
      }
      await this.addSliceTerms(tau, coef);
      refreshed++;
    }
    this.flushPending();
    return refreshed;
  }

  /** The diffusion operator of the current C: S = D_L^-1/2 C D_L^-1/2, D_L = row sums of C. */
  operator(): DiffusionOperator {
    const L = this.landmarks;
    const c = this.c;
    const sq = new Float64Array(L);
    for (let x = 0; x < L; x++) {
      let s = 0;
      for (let y = 0; y < L; y++) s += c[x * L + y]!;
      sq[x] = Math.sqrt(s);
    }
    const symmetric = new Float64Array(L * L);
    for (let x = 0; x < L; x++) {
      const inv = 1 / sq[x]!;
      for (let y = 0; y < L; y++) symmetric[x * L + y] = (c[x * L + y]! * inv) / sq[y]!;
    }
    return { size: L, symmetric, sqrtDegree: sq };
  }

  /** Y_all = P_NL · Y_L: each point at the kernel-mass-weighted mean of its landmarks' coordinates. */
  interpolate(y: Float64Array, d: number): Float64Array {
    const n = this.units;
    const T = this.epochs;
    const cap = this.weights.capacity;
    const labels = this.labelsBuf;
    const out = new Float64Array(T * n * d);
    // the coordinates of the landmark of every point of one slice (intraslice part) or of one
    // unit (interslice part), gathered once so the inner loops read a small dense array
    const yl = new Float64Array(Math.max(n, T) * 3);
    for (let tau = 0; tau < T; tau++) {
      const labs = this.sliceLabels[tau]!;
      const e = this.sliceRows[tau]!;
      const lt = labs.length;
      for (let x = 0; x < lt; x++) for (let k = 0; k < d; k++) yl[x * 3 + k] = y[labs[x]! * d + k]!;
      for (let i = 0; i < n; i++) {
        // d is 2 or 3: one pass over the row with three accumulators
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        for (let x = 0, o = i * lt; x < lt; x++) {
          const v = e[o + x]!;
          a0 += v * yl[x * 3]!;
          a1 += v * yl[x * 3 + 1]!;
          a2 += v * yl[x * 3 + 2]!;
        }
        const o = (tau * n + i) * d;
        out[o] = a0;
        out[o + 1] = a1;
        if (d === 3) out[o + 2] = a2;
      }
    }
    for (let i = 0; i < n; i++) {
      for (let u = 0; u < T; u++) for (let k = 0; k < d; k++) yl[u * 3 + k] = y[labels[u * n + i]! * d + k]!;
      const w = this.weights.of(i);
      for (let tau = 0; tau < T; tau++) {
        const row = tau * cap;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        for (let u = 0; u < T; u++) {
          const v = w[row + u]!;
          a0 += v * yl[u * 3]!;
          a1 += v * yl[u * 3 + 1]!;
          a2 += v * yl[u * 3 + 2]!;
        }
        const o = (tau * n + i) * d;
        const inv = 1 / this.degree[tau * n + i]!;
        out[o] = (out[o]! + a0) * inv;
        out[o + 1] = (out[o + 1]! + a1) * inv;
        if (d === 3) out[o + 2] = (out[o + 2]! + a2) * inv;
      }
    }
    return out;
  }

  /**
   * Adds Σ_{b in slice tau} coef_b g_b g_bᵀ to C, g_b = gi_b (intraslice part: labels of the
   * slice) + ge_b (interslice part: labels of the unit's other slices).
   */
  private async addSliceTerms(tau: number, coef: Float64Array): Promise<void> {
    const n = this.units;
    const L = this.landmarks;
    const c = this.c;
    const labs = this.sliceLabels[tau]!;
    const e = this.sliceRows[tau]!;
    const lt = labs.length;
    await this.addGram(e, n, labs, coef);
    // ge x gi (and its transpose) and ge x ge, point by point: a point's interslice part has few
    // distinct labels (its unit's clusters); the ge x gi rows are summed over the slice in X
    // (one dense row of length L_τ per distinct interslice label) before they reach C
    const T = this.epochs;
    const cap = this.weights.capacity;
    const labels = this.labelsBuf;
    const seen = this.scratch;
    const mass = this.mass;
    const touched = new Int32Array(T);
    const local = new Int32Array(T);
    const rowOf = new Int32Array(L).fill(-1);
    const rowLabels: number[] = [];
    let x = new Float64Array(16 * lt);
    for (let i = 0; i < n; i++) {
      const w = this.weights.of(i);
      let r = 0;
      for (let u = 0; u < T; u++) {
        const val = w[tau * cap + u]!;
        if (val === 0) continue;
        const l = labels[u * n + i]!;
        if (seen[l] === -1) {
          seen[l] = r;
          mass[l] = 0;
          touched[r++] = l;
        }
        mass[l] += val;
      }
      const f = coef[i]!;
      for (let q = 0; q < r; q++) {
        const y = touched[q]!;
        const fy = f * mass[y]!;
        if (rowOf[y] === -1) {
          rowOf[y] = rowLabels.length;
          rowLabels.push(y);
          if (rowLabels.length * lt > x.length) {
            const bigger = new Float64Array(x.length * 2);
            bigger.set(x);
            x = bigger;
          }
        }
        for (let k = 0, o = rowOf[y]! * lt, oi = i * lt; k < lt; k++) x[o + k] += fy * e[oi + k]!;
      }
      // ge x ge into the unit's pending block
      for (let q = 0; q < r; q++) local[q] = this.localIndex(i, touched[q]!);
      const h = this.pending[i]!;
      const stride = Math.sqrt(h.length);
      for (let q = 0; q < r; q++) {
        const fy = f * mass[touched[q]!]!;
        const o = local[q]! * stride;
        for (let q2 = 0; q2 < r; q2++) h[o + local[q2]!] += fy * mass[touched[q2]!]!;
      }
      for (let q = 0; q < r; q++) seen[touched[q]!] = -1;
    }
    for (let q = 0; q < rowLabels.length; q++) {
      const y = rowLabels[q]!;
      for (let k = 0; k < lt; k++) {
        const val = x[q * lt + k]!;
        if (val === 0) continue;
        const xl = labs[k]!;
        c[y * L + xl] += val;
        c[xl * L + y] += val;
      }
    }
  }

  /**
   * C from scratch (an era's start) at the stamped degrees, organised by the kernel's blocks:
   * the intraslice parts slice by slice (Eᵀ diag(1/deg) E), the interslice parts unit by unit:
   * H_i (T x U_i) = unit i's interslice weights summed by label, then Hᵀ diag(1/deg) H on tfjs
   * (ge x ge) and Σ_τ (1/deg) E_τ[i]ᵀ H_i[τ] (gi x ge, summed over units in one L x L matrix
   * written row by row). Point by point
   * (addSliceTerms) this costs Σ_b r_b², seconds at T = 100 and a minute at T = 300.
   */
  private async buildAll(): Promise<void> {
    const n = this.units;
    const L = this.landmarks;
    const T = this.epochs;
    const c = this.c;
    const cap = this.weights.capacity;
    const labels = this.labelsBuf;
    for (let tau = 0; tau < T; tau++)
      await this.addGram(this.sliceRows[tau]!, n, this.sliceLabels[tau]!, this.inverseDegrees(tau));
    const f = new Float64Array(T);
    const unitOf = new Int32Array(T);
    const x = new Float64Array(L * L);
    for (let i = 0; i < n; i++) {
      for (let tau = 0; tau < T; tau++) {
        unitOf[tau] = this.localIndex(i, labels[tau * n + i]!);
        f[tau] = 1 / this.stamped[tau * n + i]!;
      }
      const ui = this.unitLabels[i]!;
      const k = ui.length;
      const w = this.weights.of(i);
      const h = new Float32Array(T * k);
      for (let tau = 0; tau < T; tau++)
        for (let u = 0, o = tau * cap; u < T; u++) {
          const v = w[o + u]!;
          if (v !== 0) h[tau * k + unitOf[u]!] += v;
        }
      // ge x ge
      await this.addGram(h, T, Int32Array.from(ui), f);
      // gi x ge, row by row into X (its transpose is added once at the end)
      for (let tau = 0; tau < T; tau++) {
        const labs = this.sliceLabels[tau]!;
        const e = this.sliceRows[tau]!;
        const lt = labs.length;
        const ho = tau * k;
        for (let p = 0, eo = i * lt; p < lt; p++) {
          const ev = e[eo + p]! * f[tau]!;
          if (ev === 0) continue;
          const row = labs[p]! * L;
          for (let y = 0; y < k; y++) x[row + ui[y]!] += ev * h[ho + y]!;
        }
      }
    }
    // C += X + Xᵀ, in cache-sized tiles
    const tile = 64;
    for (let i0 = 0; i0 < L; i0 += tile)
      for (let j0 = i0; j0 < L; j0 += tile)
        for (let a = i0; a < Math.min(L, i0 + tile); a++)
          for (let b = Math.max(j0, a); b < Math.min(L, j0 + tile); b++) {
            const v = x[a * L + b]! + x[b * L + a]!;
            c[a * L + b] += v;
            if (b !== a) c[b * L + a] += v;
          }
  }

  /**
   * C[labs, labs] += Rᵀ diag(coef) R for R (rows x |labs|, float32; column x belongs to label
   * labs[x]), on tfjs, symmetrised (float32 products are not exactly symmetric).
   */
  private async addGram(r: Float32Array, rows: number, labs: Int32Array, coef: Float64Array): Promise<void> {
    const L = this.landmarks;
    const c = this.c;
    const k = labs.length;
    const rt = new Float32Array(k * rows);
    for (let i = 0; i < rows; i++) {
      const f = coef[i]!;
      for (let x = 0; x < k; x++) rt[x * rows + i] = r[i * k + x]! * f;
    }
    const g = await matMul(rt, r, k, rows, k);
    for (let x = 0; x < k; x++) {
      const row = labs[x]! * L;
      for (let y = x; y < k; y++) {
        const val = (g[x * k + y]! + g[y * k + x]!) / 2;
        c[row + labs[y]!] += val;
        if (y !== x) c[labs[y]! * L + labs[x]!] += val;
      }
    }
  }

  /** Unit i's local index of label l (registered on first sight; its pending block grows as needed). */
  private localIndex(i: number, l: number): number {
    const at = i * this.landmarks + l;
    let k = this.unitLocal[at]!;
    if (k !== -1) return k;
    const labs = this.unitLabels[i]!;
    k = labs.length;
    labs.push(l);
    this.unitLocal[at] = k;
    const h = this.pending[i]!;
    const stride = Math.sqrt(h.length);
    if (k >= stride) {
      const wider = Math.max(16, 2 * stride);
      const next = new Float64Array(wider * wider);
      for (let a = 0; a < stride; a++) next.set(h.subarray(a * stride, (a + 1) * stride), a * wider);
      this.pending[i] = next;
    }
    return k;
  }

  /** Adds every unit's pending ge x ge block to C and clears it. */
  private flushPending(): void {
    const L = this.landmarks;
    const c = this.c;
    for (let i = 0; i < this.units; i++) {
      const h = this.pending[i]!;
      const stride = Math.sqrt(h.length);
      const labs = this.unitLabels[i]!;
      for (let a = 0; a < labs.length; a++) {
        const row = labs[a]! * L;
        for (let b = 0, o = a * stride; b < labs.length; b++) {
          const v = h[o + b]!;
          if (v === 0) continue;
          c[row + labs[b]!] += v;
          h[o + b] = 0;
        }
      }
    }
  }

  /** Records slice tau's distinct labels and its dense rows E_τ. */
  private indexSlice(tau: number): void {
    const n = this.units;
    const seen = this.scratch;
    const loc = new Int32Array(n);
    const labs: number[] = [];
    for (let i = 0; i < n; i++) {
      const l = this.labelsBuf[tau * n + i]!;
      if (seen[l] === -1) {
        seen[l] = labs.length;
        labs.push(l);
      }
      loc[i] = seen[l]!;
    }
    for (const l of labs) seen[l] = -1;
    const lt = labs.length;
    const e = new Float32Array(n * lt);
    const { rowPtr, cols, vals } = this.blocks[tau]!;
    for (let i = 0; i < n; i++)
      for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) e[i * lt + loc[cols[p]!]!] += vals[p]!;
    this.sliceLabels[tau] = Int32Array.from(labs);
    this.sliceRows[tau] = e;
  }

  private inverseDegrees(tau: number): Float64Array {
    const n = this.units;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = 1 / this.degree[tau * n + i]!;
    return out;
  }

  /** Room for `points` labels and degrees (grown by 1.5x). */
  private reserve(points: number): void {
    if (points <= this.labelsBuf.length) return;
    const cap = Math.max(points, Math.ceil(this.labelsBuf.length * 1.5));
    const grow = <A extends Int32Array | Float64Array>(old: A, make: (k: number) => A): A => {
      const next = make(cap);
      next.set(old as never);
      return next;
    };
    this.labelsBuf = grow(this.labelsBuf, (k) => new Int32Array(k));
    this.degree = grow(this.degree, (k) => new Float64Array(k));
    this.stamped = grow(this.stamped, (k) => new Float64Array(k));
  }
}

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

/** Labels for the points of `k` beyond `old` (whole slices added since), slice by slice (labelSlice). */
export function extendLabels(k: MultisliceKernel, old: Int32Array): Int32Array {
  const n = k.units;
  const T = k.epochs;
  const labels = new Int32Array(T * n);
  labels.set(old.subarray(0, Math.min(old.length, T * n)));
  const none = new Float32Array(T);
  for (let tau = old.length / n; tau < T; tau++) {
    const inter = k.inter;
    labelSlice(tau, n, labels, (i) => (inter ? inter.subarray((i * T + tau) * T) : none), 0);
  }
  return labels;
}
