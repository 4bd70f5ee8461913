/**
 * A Barnes-Hut quadtree over 2-D points in typed arrays: each node holds its square cell
 * (corner, width), the number of points below it and their centre of mass. Coincident points
 * share a leaf. `repulsion` sums t-SNE's negative forces on one point, summarising a cell by its
 * centre of mass when it is a leaf or when width² / d² < theta², sklearn's criterion
 * (`_QuadTree.summarize`: the cell's squared max width over the squared distance to its centre).
 */

const NO_CHILD = -1;
/** Cells narrower than this hold their points together (coincident within float64 noise). */
const MIN_WIDTH = 1e-12;

export class QuadTree {
  private capacity = 0;
  private size = 0;
  private x0 = new Float64Array(0);
  private y0 = new Float64Array(0);
  private width = new Float64Array(0);
  private sumX = new Float64Array(0);
  private sumY = new Float64Array(0);
  private count = new Int32Array(0);
  /** First child index (4 consecutive), or NO_CHILD for a leaf. */
  private child = new Int32Array(0);
  /** A leaf's representative point (-1 when empty). */
  private point = new Int32Array(0);
  /** The leaf of every point, to leave a point's own contribution out. */
  private leafOf = new Int32Array(0);
  private readonly stack = new Int32Array(4096);

  /** Rebuilds the tree over N points y (N x 2 row-major). */
  build(y: Float64Array, N: number): void {
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < N; i++) {
      const x = y[2 * i]!;
      const v = y[2 * i + 1]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (v < minY) minY = v;
      if (v > maxY) maxY = v;
    }
    const side = Math.max(maxX - minX, maxY - minY) * (1 + 1e-3) + MIN_WIDTH;
    this.size = 0;
    if (this.leafOf.length !== N) this.leafOf = new Int32Array(N);
    this.ensure(Math.max(16, 2 * N));
    this.node(minX - side * 5e-4, minY - side * 5e-4, side);
    for (let i = 0; i < N; i++) this.insert(y, i);
  }

  private ensure(capacity: number): void {
    if (capacity <= this.capacity) return;
    const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, this.size));
      return b;
    };
    const f = (n: number) => new Float64Array(n);
    const g = (n: number) => new Int32Array(n);
    this.x0 = grow(this.x0, f);
    this.y0 = grow(this.y0, f);
    this.width = grow(this.width, f);
    this.sumX = grow(this.sumX, f);
    this.sumY = grow(this.sumY, f);
    this.count = grow(this.count, g);
    this.child = grow(this.child, g);
    this.point = grow(this.point, g);
    this.capacity = capacity;
  }

  private node(x0: number, y0: number, width: number): number {
    if (this.size === this.capacity) this.ensure(this.capacity * 2);
    const id = this.size++;
    this.x0[id] = x0;
    this.y0[id] = y0;
    this.width[id] = width;
    this.sumX[id] = 0;
    this.sumY[id] = 0;
    this.count[id] = 0;
    this.child[id] = NO_CHILD;
    this.point[id] = -1;
    return id;
  }

  private quadrant(id: number, x: number, v: number): number {
    const half = this.width[id]! / 2;
    return (x >= this.x0[id]! + half ? 1 : 0) + (v >= this.y0[id]! + half ? 2 : 0);
  }

  private split(id: number): void {
    const half = this.width[id]! / 2;
    const first = this.size;
    for (let q = 0; q < 4; q++)
      this.node(this.x0[id]! + (q & 1 ? half : 0), this.y0[id]! + (q & 2 ? half : 0), half);
    this.child[id] = first;
  }

  private insert(y: Float64Array, i: number): void {
    const x = y[2 * i]!;
    const v = y[2 * i + 1]!;
    let id = 0;
    for (;;) {
      this.sumX[id]! += x;
      this.sumY[id]! += v;
      this.count[id]!++;
      if (this.child[id] !== NO_CHILD) {
        id = this.child[id]! + this.quadrant(id, x, v);
        continue;
      }
      const p = this.point[id]!;
      if (p < 0) {
        this.point[id] = i;
        this.leafOf[i] = id;
        return;
      }
      const px = y[2 * p]!;
      const py = y[2 * p + 1]!;
      if ((px === x && py === v) || this.width[id]! < MIN_WIDTH) {
        this.leafOf[i] = id; // coincident: share the leaf
        return;
      }
      // move the resident point(s) one level down, then keep inserting i
      const resident = this.count[id]! - 1;
      this.split(id);
      const c = this.child[id]! + this.quadrant(id, px, py);
      this.sumX[c] = px * resident;
      this.sumY[c] = py * resident;
      this.count[c] = resident;
      this.point[c] = p;
      this.point[id] = -1;
      this.relabel(id, c, p, resident);
      id = this.child[id]! + this.quadrant(id, x, v);
    }
  }

  /** Points of a leaf that moved to `to` (the representative and its coincident copies). */
  private relabel(from: number, to: number, p: number, resident: number): void {
    if (resident === 1) {
      this.leafOf[p] = to;
      return;
    }
    for (let j = 0; j < this.leafOf.length; j++) if (this.leafOf[j] === from) this.leafOf[j] = to;
  }

  /**
   * Negative (repulsive) force on point i, unnormalised, added into force[0..1]; returns its
   * share of Z = Σ_{j != i} 1 / (1 + |y_i - y_j|²).
   */
  repulsion(y: Float64Array, i: number, thetaSquared: number, force: Float64Array): number {
    const xi = y[2 * i]!;
    const yi = y[2 * i + 1]!;
    const own = this.leafOf[i]!;
    let z = 0;
    let fx = 0;
    let fy = 0;
    const stack = this.stack;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const id = stack[--top]!;
      let n = this.count[id]!;
      if (id === own) n--;
      if (n <= 0) continue;
      const total = this.count[id]!;
      const dx = xi - this.sumX[id]! / total;
      const dy = yi - this.sumY[id]! / total;
      const d2 = dx * dx + dy * dy;
      const leaf = this.child[id] === NO_CHILD;
      const w = this.width[id]!;
      if (leaf || w * w < thetaSquared * d2) {
        const q = 1 / (1 + d2);
        z += n * q;
        const m = n * q * q;
        fx += m * dx;
        fy += m * dy;
      } else {
        const c = this.child[id]!;
        stack[top++] = c;
        stack[top++] = c + 1;
        stack[top++] = c + 2;
        stack[top++] = c + 3;
      }
    }
    force[0]! += fx;
    force[1]! += fy;
    return z;
  }
}
