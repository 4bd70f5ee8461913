/**
 * A small seeded random source (xoshiro128**), so every random stage is reproducible.
 * Passed explicitly to the stages that need it, never global.
 */
export declare class Random {
    private s0;
    private s1;
    private s2;
    private s3;
    private spareNormal;
    constructor(seed: number);
    /** Uniform 32-bit unsigned integer. */
    nextUint32(): number;
    /** Uniform in [0, 1). */
    next(): number;
    /** Uniform integer in [0, n). */
    nextInt(n: number): number;
    /** Standard normal (Box-Muller, caching the second value). */
    normal(): number;
    /** In-place Fisher-Yates shuffle. */
    shuffle<T extends {
        length: number;
        [i: number]: number;
    }>(array: T): T;
}
//# sourceMappingURL=random.d.ts.map