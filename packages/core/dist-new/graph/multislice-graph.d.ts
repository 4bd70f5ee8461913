import type { ResolvedOptions } from '../options.js';
import { PhaseClock } from '../phase-clock.js';
import type { Trace } from '../types.js';
import { type MultisliceKernel } from './multislice.js';
/** The multislice kernel of a trace and the interslice parameters used to build it. */
export interface MultisliceGraph {
    kernel: MultisliceKernel;
    /** The interslice bandwidth epsilon (0 when there is a single slice). */
    epsilon: number;
    /** The interslice k actually used. */
    intersliceKnn: number;
}
/** Normalise, PCA, intraslice, interslice and the multislice kernel (docs/algorithm.md §2-5). */
export declare function multisliceGraph(trace: Trace, o: ResolvedOptions, clock?: PhaseClock): Promise<MultisliceGraph>;
//# sourceMappingURL=multislice-graph.d.ts.map