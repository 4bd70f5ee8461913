/**
 * One T x T float32 matrix per unit that grows by a row and a column per slice (capacity grown
 * by 1.5x, so appending is amortised O(units x T)). The live engine keeps each unit's interslice
 * distances and weights this way.
 */
export declare class UnitSquares {
    readonly units: number;
    /** Rows and columns in use. */
    epochs: number;
    /** Row stride of every unit's matrix. */
    capacity: number;
    private perUnit;
    constructor(units: number);
    /** Makes room for `epochs` rows and columns (new ones are zero) and sets `epochs`. */
    resize(epochs: number): void;
    /** Unit i's matrix: entry (a, b) at a * capacity + b. The array is replaced when it grows. */
    of(unit: number): Float32Array;
    private grow;
}
//# sourceMappingURL=unit-squares.d.ts.map