/** Raw stress Σ_{a<b} (||y_a - y_b|| - D_ab)² of a configuration (M x d) against a full distance matrix. */
export declare function stress(y: Float64Array, dist: Float64Array, m: number, d: number): number;
//# sourceMappingURL=stress.d.ts.map