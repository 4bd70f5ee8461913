import type { IntersliceDistances } from '../graph/interslice.js';
import type { IntraBlock } from '../graph/intraslice.js';
import { affinityRadius, type MultisliceKernel } from '../graph/multislice.js';
import type { DiffusionOperator } from '../landmarks/diffusion-operator.js';
import { matMul } from '../linalg/matmul.js';
import { transpose } from '../linalg/transpose.js';
import { labelSlice } from './label-policy.js';
import { interpolateLive } from './landmark-interpolation.js';
import { UnitSquares } from './unit-squares.js';

/**
 * Slices refreshed per step of refreshDrifted: each is a few ms at 384 units, and C's symmetrised
 * cross terms (L x L) are added once per step.
 */
const REFRESH_GROUP = 4;

/** Rows of a slice's E_τ as (label, value) lists: row i's entries at ptr[i]..ptr[i + 1]. */
interface SparseRows {
  ptr: Int32Array;
  label: Int32Array;
  value: Float32Array;
}

/**
 * The landmark operator of the live engine, updated slice by slice instead of rebuilt
 * (docs/mphate.md, "Live mode"). Within an era (until new clusters or a new ε) the labels and the
 * interslice bandwidth ε are frozen. Then, with g_b = row b of G = K·Labᵀ,
 *
 *   C = Σ_b g_b g_bᵀ / deg*_b        (deg*_b: the degree of b when its term was last computed)
 *
 * changes with a new slice s in three ways, each far cheaper than a rebuild (1 in append, 2 and 3
 * together in update):
 * 1. every old point b = (u, i) gains one entry in g_b, its link w to (s, i), whose label l is
 *    the same for the whole unit: per unit, C += v e_lᵀ + e_l vᵀ + (Σ w²/deg*) e_l e_lᵀ with
 *    v = Σ_u (w_u / deg*_b) g_b (a vector of length L);
 * 2. the new points' own terms are added;
 * 3. old points' degrees grew (by w): a slice whose degrees drifted by more than `tolerance`
 *    since its terms were computed has them recomputed (a tolerance of 0 keeps C exact).
 *
 * A new ε for the same clusters is taken in place (reweight). Terms are added slice-set by
 * slice-set (addTerms): per slice the intraslice Gram on tfjs, the interslice parts point by
 * point (a unit's links reach a few labels). The operator is
 * normalised with D_L = row sums of C, so Q = D_L⁻¹ C stays row-stochastic while some degrees
 * are stale.
 */
export class LiveLandmarks {
  /** Each unit's T x T interslice weights at the frozen ε. */
  readonly weights: UnitSquares;
  /** Slices taken in. */
  epochs = 0;
  /** Slices whose terms are in C (the rest were appended since the last update). */
  private committed = 0;
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
  /** Per slice: E_τ's nonzeros row by row (~30 % of it on real trainings), for the cross terms. */
  private readonly sliceSparse: SparseRows[] = [];
  private readonly c: Float64Array;
  private readonly scratch: Int32Array;

  private constructor(
    private readonly blocks: readonly IntraBlock[],
    readonly units: number,
    readonly landmarks: number,
    private eps: number,
    private readonly thresh: number,
  ) {
    this.weights = new UnitSquares(units);
    this.c = new Float64Array(landmarks * landmarks);
    this.scratch = new Int32Array(landmarks).fill(-1);
  }

  /**
   * Starts an era from the whole kernel (built at bandwidth `epsilon`) and every point's label.
   * `kernel.intra` must be the engine's growing list of blocks: later slices are read from it.
   * `pause` is awaited between steps (work between live frames: live/time-slices.ts).
   */
  static async start(
    kernel: MultisliceKernel,
    labels: Int32Array,
    landmarks: number,
    epsilon: number,
    thresh: number,
    pause?: () => Promise<void>,
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
        // 1.4 s at 300 slices on one thread, this copy and the slices' index: in steps
        if (i % 16 === 15) await pause?.();
        const w = live.weights.of(i);
        for (let a = 0; a < T; a++)
          w.set(kernel.inter.subarray((i * T + a) * T, (i * T + a + 1) * T), a * cap);
      }
    live.degree.set(kernel.degree);
    live.stamped.set(kernel.degree);
    live.epochs = T;
    live.committed = T;
    for (let tau = 0; tau < T; tau++) {
      if (tau % 32 === 31) await pause?.();
      live.indexSlice(tau);
    }
    await live.addTerms(
      Array.from({ length: T }, (_, tau) => tau),
      Array.from({ length: T }, (_, tau) => live.inverseDegrees(tau)),
      pause,
    );
    return live;
  }

  /** The era's interslice bandwidth. */
  get epsilon(): number {
    return this.eps;
  }

  /** Every point's landmark label, row epoch * units + unit. */
  get labels(): Int32Array {
    return this.labelsBuf.subarray(0, this.epochs * this.units);
  }

  /**
   * Takes in the next slice (index `epochs`; its intraslice block and distances must exist):
   * its links to every older slice at the frozen ε, its points' labels (the cluster holding most
   * of their interslice mass, else their unit's cluster at the previous slice), and the links'
   * entries in the terms already in C. Its own terms wait for update().
   */
  append(distances: IntersliceDistances): void {
    const s = this.epochs;
    const n = this.units;
    const L = this.landmarks;
    if (!this.blocks[s] || distances.epochs <= s)
      throw new Error(`LiveLandmarks.append: slice ${s} has no intraslice block or distances yet`);
    this.reserve((s + 1) * n);
    this.weights.resize(s + 1);
    const cap = this.weights.capacity;
    const labels = this.labelsBuf;
    const dMax = affinityRadius(this.epsilon, this.thresh);
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
    // 1. old points gain their link to the new slice (rank-2 update per unit, at stamped
    // degrees); points whose terms are not in C yet get theirs whole in update()
    const committed = this.committed;
    for (let i = 0; i < n; i++) {
      const w = this.weights.of(i);
      const l = labels[s * n + i]!;
      let diagonal = 0;
      let any = false;
      cu.fill(0);
      for (let u = 0; u < committed; u++) {
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
        const { ptr, label, value } = this.sliceSparse[u]!;
        for (let p = ptr[i]!; p < ptr[i + 1]!; p++) v[label[p]!] += f * value[p]!;
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
    }
    this.epochs = s + 1;
  }

  /**
   * Brings C up to date in one pass (addTerms): 2. the terms of the slices appended since the
   * last update, and 3. unless `refresh` is false, new terms for every slice whose degrees
   * drifted by more than `tolerance` (relative) since its terms were computed. Returns how many
   * slices were refreshed. Left drifted, C is still a valid operator (D_L = its row sums), only
   * further from the kernel's: `refreshDrifted` catches up between frames.
   */
  async update(tolerance: number, refresh = true): Promise<number> {
    const n = this.units;
    const slices: number[] = [];
    const coefs: Float64Array[] = [];
    for (let tau = this.committed; tau < this.epochs; tau++) {
      for (let i = 0; i < n; i++) this.stamped[tau * n + i] = this.degree[tau * n + i]!;
      slices.push(tau);
      coefs.push(this.inverseDegrees(tau));
    }
    const drifted = refresh ? this.driftedSlices(tolerance) : [];
    for (const tau of drifted) {
      slices.push(tau);
      coefs.push(this.restamp(tau));
    }
    if (slices.length > 0) await this.addTerms(slices, coefs);
    this.committed = this.epochs;
    return drifted.length;
  }

  /** The committed slices whose degrees drifted by more than `tolerance` since their terms were computed. */
  driftedSlices(tolerance: number): number[] {
    const n = this.units;
    const out: number[] = [];
    for (let tau = 0; tau < this.committed; tau++) {
      let drift = 0;
      for (let i = 0, b = tau * n; i < n; i++, b++)
        drift = Math.max(drift, Math.abs(this.degree[b]! / this.stamped[b]! - 1));
      if (drift > tolerance) out.push(tau);
    }
    return out;
  }

  /**
   * Refreshes the drifted slices' terms (as update does), REFRESH_GROUP slices at a time while
   * `more()` allows: work between frames. C is complete after each group, so a frame may come
   * between two. Every appended slice must be committed. Returns whether drifted slices are left.
   */
  async refreshDrifted(tolerance: number, more: () => boolean): Promise<boolean> {
    if (this.committed !== this.epochs)
      throw new Error('LiveLandmarks.refreshDrifted: update() the appended slices first');
    const due = this.driftedSlices(tolerance);
    let k = 0;
    for (; k < due.length && more(); k += REFRESH_GROUP) {
      const group = due.slice(k, k + REFRESH_GROUP);
      await this.addTerms(
        group,
        group.map((tau) => this.restamp(tau)),
      );
    }
    return k < due.length;
  }

  /** A drifted slice's coefficients (1/deg - 1/deg*: its terms' change), its degrees stamped anew. */
  private restamp(tau: number): Float64Array {
    const n = this.units;
    const coef = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const b = tau * n + i;
      coef[i] = 1 / this.degree[b]! - 1 / this.stamped[b]!;
      this.stamped[b] = this.degree[b]!;
    }
    return coef;
  }

  /**
   * A new bandwidth ε for the same clusters, in place of a rebuild: every term's interslice parts
   * (ge x ge and the cross terms, at the degrees the terms were computed with) go from the old
   * weights to the new ones in one pass, while the intraslice Grams (gi x gi, most of a rebuild's
   * cost) stay. Then the degrees follow the new weights, and the slices whose degrees drifted by
   * more than `tolerance` since their terms were computed are refreshed (update; `refresh` false
   * leaves them to refreshDrifted). Every slice must be taken in and committed, with `distances`
   * covering the same slices.
   */
  async reweight(
    distances: IntersliceDistances,
    epsilon: number,
    tolerance: number,
    refresh = true,
  ): Promise<void> {
    const T = this.epochs;
    const n = this.units;
    const L = this.landmarks;
    if (this.committed !== T || distances.epochs !== T)
      throw new Error('LiveLandmarks.reweight: every slice must be appended and committed first');
    const cap = this.weights.capacity;
    const dMax = affinityRadius(epsilon, this.thresh);
    const inv = 1 / epsilon;
    const labels = this.labelsBuf;
    const c = this.c;
    // X = Σ_b (ge_new - ge_old)_b gi_bᵀ / deg*_b; C += X + Xᵀ at the end (addTerms' cross terms)
    const x = new Float64Array(L * L);
    const fresh = new Float32Array(T * cap);
    const row = new Float64Array(T);
    const hOld = new Float64Array(L);
    const hNew = new Float64Array(L);
    const touched = new Int32Array(L);
    for (let i = 0; i < n; i++) {
      const w = this.weights.of(i);
      for (let a = 0; a < T; a++) {
        distances.row(i, a, row);
        for (let u = 0; u < T; u++) {
          const z = row[u]! * inv;
          fresh[a * cap + u] = u !== a && row[u]! <= dMax ? Math.fround(Math.exp(-z * z)) : 0;
        }
      }
      for (let tau = 0; tau < T; tau++) {
        const f = 1 / this.stamped[tau * n + i]!;
        // ge_b at the old and the new weights, summed by label
        let nt = 0;
        for (let u = 0, o = tau * cap; u < T; u++) {
          const vo = w[o + u]!;
          const vn = fresh[o + u]!;
          if (vo === 0 && vn === 0) continue;
          const l = labels[u * n + i]!;
          if (hOld[l] === 0 && hNew[l] === 0) touched[nt++] = l;
          hOld[l] += vo;
          hNew[l] += vn;
        }
        const { ptr, label, value } = this.sliceSparse[tau]!;
        for (let q = 0; q < nt; q++) {
          const lq = touched[q]!;
          const oq = hOld[lq]!;
          const nq = hNew[lq]!;
          // ge x ge, out at the old weights and in at the new (the same bits for (q, r) and (r, q))
          for (let r = 0; r < nt; r++) {
            const lr = touched[r]!;
            c[lq * L + lr] += f * (nq * hNew[lr]!) - f * (oq * hOld[lr]!);
          }
          // gi x ge
          const fq = f * (nq - oq);
          if (fq === 0) continue;
          const at = lq * L;
          for (let p = ptr[i]!; p < ptr[i + 1]!; p++) x[at + label[p]!] += fq * value[p]!;
        }
        for (let q = 0; q < nt; q++) hOld[touched[q]!] = hNew[touched[q]!] = 0;
      }
      w.set(fresh.subarray(0, T * cap));
    }
    this.addSymmetrised(x);
    this.eps = epsilon;
    for (let tau = 0; tau < T; tau++) {
      const { rowPtr, vals } = this.blocks[tau]!;
      for (let i = 0; i < n; i++) {
        let d = 0;
        for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) d += vals[p]!;
        const w = this.weights.of(i);
        for (let u = 0, o = tau * cap; u < T; u++) d += w[o + u]!;
        this.degree[tau * n + i] = d;
      }
    }
    await this.update(tolerance, refresh);
  }

  /** The diffusion operator of the current C: S = D_L^-1/2 C D_L^-1/2, D_L = row sums of C. */
  operator(): DiffusionOperator {
    if (this.committed !== this.epochs)
      throw new Error('LiveLandmarks.operator: slices were appended since the last update()');
    const L = this.landmarks;
    const c = this.c;
    const sq = new Float64Array(L);
    // reweight() takes terms out again: an entry whose links all fell away keeps round-off
    // (~1e-17, either sign), read as 0
    for (let x = 0; x < L; x++) {
      let s = 0;
      for (let y = 0; y < L; y++) s += Math.max(0, c[x * L + y]!);
      sq[x] = Math.sqrt(s);
    }
    const symmetric = new Float64Array(L * L);
    for (let x = 0; x < L; x++) {
      const inv = 1 / sq[x]!;
      for (let y = 0; y < L; y++) symmetric[x * L + y] = (Math.max(0, c[x * L + y]!) * inv) / sq[y]!;
    }
    return { size: L, symmetric, sqrtDegree: sq };
  }

  /** Y_all = P_NL · Y_L: each point at the kernel-mass-weighted mean of its landmarks' coordinates. */
  interpolate(y: Float64Array, d: number): Float64Array {
    return interpolateLive(
      {
        units: this.units,
        epochs: this.epochs,
        labels: this.labelsBuf,
        degree: this.degree,
        sliceLabels: this.sliceLabels,
        sliceRows: this.sliceRows,
        weights: this.weights,
      },
      y,
      d,
    );
  }

  /**
   * Adds Σ_b coef_b g_b g_bᵀ over the points of the given slices to C (coefs[j][i] for point
   * (slices[j], i)), g_b = gi_b (intraslice part, labels of its slice) + ge_b (interslice part,
   * labels of its unit's other points):
   * - gi x gi per slice: E_τᵀ diag(coef) E_τ on tfjs (E_τ is ~30 % dense, ~380 labels wide);
   * - ge x ge and gi x ge point by point in Float64: ge_b has a handful of labels (2-5 on a real
   *   training: a unit's links reach the few clusters of its own trajectory), so its outer
   *   products with itself and with gi_b's nonzeros are cheap. (As a dense E_τᵀ diag(coef) H_τ
   *   on tfjs the cross terms were 1.2 s of an era's start at T = 100.) reweight() changes these
   *   same parts from the old weights to the new ones.
   */
  private async addTerms(
    slices: readonly number[],
    coefs: readonly Float64Array[],
    pause?: () => Promise<void>,
  ): Promise<void> {
    const n = this.units;
    const L = this.landmarks;
    const T = this.epochs;
    const c = this.c;
    const cap = this.weights.capacity;
    const labels = this.labelsBuf;
    for (let j = 0; j < slices.length; j++) {
      await pause?.();
      await this.addGram(this.sliceRows[slices[j]!]!, n, this.sliceLabels[slices[j]!]!, coefs[j]!);
    }
    // X = Σ coef ge_b gi_bᵀ; C += X + Xᵀ at the end
    const x = new Float64Array(L * L);
    const h = new Float64Array(L);
    const touched = new Int32Array(L);
    for (let j = 0; j < slices.length; j++) {
      if (j % 8 === 0) await pause?.();
      const tau = slices[j]!;
      const { ptr, label, value } = this.sliceSparse[tau]!;
      const coef = coefs[j]!;
      for (let i = 0; i < n; i++) {
        const f = coef[i]!;
        if (f === 0) continue;
        // ge_b: the unit's links from slice tau, summed by label
        const w = this.weights.of(i);
        let nt = 0;
        for (let u = 0, o = tau * cap; u < T; u++) {
          const v = w[o + u]!;
          if (v === 0) continue;
          const l = labels[u * n + i]!;
          if (h[l] === 0) touched[nt++] = l;
          h[l] += v;
        }
        for (let q = 0; q < nt; q++) {
          const lq = touched[q]!;
          const hq = h[lq]!;
          // ge x ge (f * (hq * hr): the same bits for (q, r) and (r, q), so C stays symmetric)
          for (let r = 0; r < nt; r++) c[lq * L + touched[r]!] += f * (hq * h[touched[r]!]!);
          // gi x ge
          const fq = f * hq;
          const row = lq * L;
          for (let p = ptr[i]!; p < ptr[i + 1]!; p++) x[row + label[p]!] += fq * value[p]!;
        }
        for (let q = 0; q < nt; q++) h[touched[q]!] = 0;
      }
    }
    this.addSymmetrised(x);
  }

  /** C += X + Xᵀ, in cache-sized tiles. */
  private addSymmetrised(x: Float64Array): void {
    const L = this.landmarks;
    const c = this.c;
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
    const g = await matMul(transpose(r, rows, k, { rowScale: coef }), r, k, rows, k);
    for (let x = 0; x < k; x++) {
      const row = labs[x]! * L;
      for (let y = x; y < k; y++) {
        const val = (g[x * k + y]! + g[y * k + x]!) / 2;
        if (val === 0) continue;
        c[row + labs[y]!] += val;
        if (y !== x) c[labs[y]! * L + labs[x]!] += val;
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
    let nnz = 0;
    for (let p = 0; p < e.length; p++) if (e[p] !== 0) nnz++;
    const sparse: SparseRows = {
      ptr: new Int32Array(n + 1),
      label: new Int32Array(nnz),
      value: new Float32Array(nnz),
    };
    for (let i = 0, q = 0; i < n; i++) {
      for (let x = 0; x < lt; x++) {
        const v = e[i * lt + x]!;
        if (v === 0) continue;
        sparse.label[q] = labs[x]!;
        sparse.value[q++] = v;
      }
      sparse.ptr[i + 1] = q;
    }
    this.sliceLabels[tau] = Int32Array.from(labs);
    this.sliceRows[tau] = e;
    this.sliceSparse[tau] = sparse;
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
