/**
 * The dense embedding stages of M-PHATE on a diffusion operator (spec sections 7-9): t by the
 * von Neumann entropy ('entropy', only when t = 'auto'), Q^t ('power'), the potential and its
 * row distances ('potential'), metric MDS started from classic MDS and aligned onto it ('mds').
 */
import { classicMds } from './mds/classic.js';
import { sgdMds } from './mds/sgd.js';
import { smacof } from './mds/smacof.js';
import { potential, rowDistances } from './potential.js';
import { procrustes } from './procrustes.js';
import { operatorSpectrum, powerBySquaring, powerFromSpectrum, spectrumT, truncationBound, } from './spectrum.js';
/**
 * Largest |λ_last|^t tolerated for Q^t from the leading eigenpairs. Measured (docs/mphate.md):
 * the largest error of a potential distance is about this bound (distances range to ~2.8), so
 * 1e-4 leaves the distances' ranks unchanged.
 */
const TRUNCATION_TOLERANCE = 1e-4;
/** Up to this size, repeated squaring (~2 log2 t products of M^3) is cheaper than more eigenpairs. */
const SQUARING_LIMIT = 1500;
/** Most leading pairs tried before falling back to squaring (Rayleigh-Ritz on 2x this many). */
const MAX_RANK = 800;
export async function embedOperator(op, o) {
    const m = op.size;
    const d = o.nComponents;
    validate(op, o);
    const timings = {};
    const progress = (phase, fraction) => o.onProgress?.({ phase, fraction });
    let clock = performance.now();
    const lap = (phase) => {
        const now = performance.now();
        timings[phase] = (timings[phase] ?? 0) + (now - clock);
        clock = now;
        progress(phase, 1);
    };
    // entropy: t from the spectrum of S
    let spectrum;
    let t;
    if (o.t === 'auto') {
        progress('entropy', 0);
        spectrum = await operatorSpectrum(op, o.random, { withTail: true });
        t = spectrumT(spectrum);
        lap('entropy');
    }
    else {
        t = o.t;
    }
    // power
    progress('power', 0);
    // With t known, start from few leading pairs (enough for the usual t on landmark operators; the
    // live mode passes t) and add pairs while the truncation bound says they are not enough.
    spectrum ??= await operatorSpectrum(op, o.random, { withTail: false, rank: Math.min(80, m - 1) });
    while (truncationBound(spectrum, t) > TRUNCATION_TOLERANCE &&
        m > SQUARING_LIMIT &&
        spectrum.values.length < Math.min(MAX_RANK, m - 1)) {
        const before = spectrum.values.length;
        const rank = Math.min(Math.ceil(before * 2.5), MAX_RANK, m - 1);
        spectrum = await operatorSpectrum(op, o.random, { withTail: false, rank });
        if (spectrum.values.length <= before)
            break; // no more pairs to be had: square instead
    }
    // Q^t and U live only in this holder, so each M x M buffer can be collected once used
    // (peak memory at M = 4000: a few 128 MB Float64 matrices, not all of them at once).
    const stage = {};
    stage.qt =
        truncationBound(spectrum, t) <= TRUNCATION_TOLERANCE
            ? await powerFromSpectrum(op, spectrum, t)
            : await powerBySquaring(op, t);
    spectrum = undefined;
    lap('power');
    // potential and its distances
    progress('potential', 0);
    stage.u = potential(stage.qt, o.gamma);
    stage.qt = undefined;
    const dist = await rowDistances(stage.u, m, m, { exactBelow: o.exactBelow });
    stage.u = undefined;
    lap('potential');
    // MDS
    progress('mds', 0);
    const coordinates = await metricMds(dist, m, d, o, (f) => progress('mds', f));
    lap('mds');
    return { coordinates, t, timings };
}
async function metricMds(dist, m, d, o, onFraction) {
    const warm = o.init !== undefined;
    const start = o.init ?? (await classicMds(dist, m, d, o.random));
    onFraction(0.05);
    let y;
    if (d === 2 && o.mdsSolver === 'sgd') {
        y = sgdMds(dist, m, start, d, o.random, {
            sweeps: o.sweeps,
            reshuffle: !warm,
            onSweep: (done, total) => onFraction(0.05 + (0.9 * done) / total),
        });
    }
    // SMACOF for 3-D, on request, and when SGD met coincident points (NaN), as PHATE does.
    y ??= smacof(dist, m, start, d, {
        onIteration: (it, max) => it % 10 === 0 && onFraction(0.05 + (0.9 * it) / max),
    }).coordinates;
    if (warm)
        return y;
    return procrustes(start, y, m, d).aligned;
}
function validate(op, o) {
    const m = op.size;
    if (!Number.isInteger(m) || m < 1)
        throw new Error(`embedOperator: operator size must be a positive integer, got ${m}`);
    if (op.symmetric.length !== m * m)
        throw new Error(`embedOperator: symmetric has length ${op.symmetric.length}, expected ${m * m}`);
    if (op.sqrtDegree.length !== m)
        throw new Error(`embedOperator: sqrtDegree has length ${op.sqrtDegree.length}, expected ${m}`);
    if (o.nComponents !== 2 && o.nComponents !== 3)
        throw new Error(`embedOperator: nComponents must be 2 or 3, got ${o.nComponents}`);
    if (m <= o.nComponents)
        throw new Error(`embedOperator: need more than ${o.nComponents} points to embed, got ${m}`);
    if (o.t !== 'auto' && !(Number.isInteger(o.t) && o.t >= 1))
        throw new Error(`embedOperator: t must be 'auto' or a positive integer, got ${o.t}`);
    if (!(o.gamma >= -1 && o.gamma <= 1))
        throw new Error(`embedOperator: gamma must be in [-1, 1], got ${o.gamma}`);
    if (o.init && o.init.length !== m * o.nComponents)
        throw new Error(`embedOperator: init has length ${o.init.length}, expected ${m * o.nComponents}`);
}
//# sourceMappingURL=embed-operator.js.map