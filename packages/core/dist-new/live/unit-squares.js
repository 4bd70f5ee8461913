/**
 * One T x T float32 matrix per unit that grows by a row and a column per slice (capacity grown
 * by 1.5x, so appending is amortised O(units x T)). The live engine keeps each unit's interslice
 * distances and weights this way.
 */
export class UnitSquares {
    units;
    /** Rows and columns in use. */
    epochs = 0;
    /** Row stride of every unit's matrix. */
    capacity = 0;
    perUnit = [];
    constructor(units) {
        this.units = units;
    }
    /** Makes room for `epochs` rows and columns (new ones are zero) and sets `epochs`. */
    resize(epochs) {
        if (epochs > this.capacity)
            this.grow(Math.max(16, Math.ceil(epochs * 1.5)));
        this.epochs = epochs;
    }
    /** Unit i's matrix: entry (a, b) at a * capacity + b. The array is replaced when it grows. */
    of(unit) {
        return this.perUnit[unit];
    }
    grow(cap) {
        const old = this.capacity;
        for (let i = 0; i < this.units; i++) {
            const next = new Float32Array(cap * cap);
            const prev = this.perUnit[i];
            if (prev)
                for (let r = 0; r < this.epochs; r++)
                    next.set(prev.subarray(r * old, r * old + this.epochs), r * cap);
            this.perUnit[i] = next;
        }
        this.capacity = cap;
    }
}
//# sourceMappingURL=unit-squares.js.map