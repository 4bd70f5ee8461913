/**
 * A small seeded random source (xoshiro128**), so every random stage is reproducible.
 * Passed explicitly to the stages that need it, never global.
 */
export class Random {
    s0;
    s1;
    s2;
    s3;
    spareNormal;
    constructor(seed) {
        // splitmix32 expands one 32-bit seed into the four state words.
        let x = seed >>> 0;
        const next = () => {
            x = (x + 0x9e3779b9) >>> 0;
            let z = x;
            z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
            z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
            return (z ^ (z >>> 16)) >>> 0;
        };
        this.s0 = next();
        this.s1 = next();
        this.s2 = next();
        this.s3 = next();
    }
    /** Uniform 32-bit unsigned integer. */
    nextUint32() {
        const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
        const t = this.s1 << 9;
        this.s2 ^= this.s0;
        this.s3 ^= this.s1;
        this.s1 ^= this.s2;
        this.s0 ^= this.s3;
        this.s2 ^= t;
        this.s3 = rotl(this.s3, 11);
        return result;
    }
    /** Uniform in [0, 1). */
    next() {
        return this.nextUint32() / 4294967296;
    }
    /** Uniform integer in [0, n). */
    nextInt(n) {
        return Math.floor(this.next() * n);
    }
    /** Standard normal (Box-Muller, caching the second value). */
    normal() {
        if (this.spareNormal !== undefined) {
            const v = this.spareNormal;
            this.spareNormal = undefined;
            return v;
        }
        let u = 0;
        while (u === 0)
            u = this.next();
        const v = this.next();
        const r = Math.sqrt(-2 * Math.log(u));
        this.spareNormal = r * Math.sin(2 * Math.PI * v);
        return r * Math.cos(2 * Math.PI * v);
    }
    /** In-place Fisher-Yates shuffle. */
    shuffle(array) {
        for (let i = array.length - 1; i > 0; i--) {
            const j = this.nextInt(i + 1);
            const tmp = array[i];
            array[i] = array[j];
            array[j] = tmp;
        }
        return array;
    }
}
function rotl(x, k) {
    return ((x << k) | (x >>> (32 - k))) >>> 0;
}
//# sourceMappingURL=random.js.map