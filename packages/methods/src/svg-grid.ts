/**
 * The comparison as one SVG: a panel per method, drawn by the shared figure renderer
 * (@mphate/figure, the one the dashboard and `mphate export --out fig.svg` use), points coloured
 * by slice, each titled with the method and its four scores.
 */
import { figureGridSvg, sessionFigure } from '@mphate/figure';
import type { CompareResult } from './compare.js';

export function compareSvg(result: CompareResult, columns = 3): string {
  const slices = result.subsample
    ? result.subsample.slices
    : Array.from({ length: result.epochs }, (_, s) => s);
  const panels = result.results.map((r) => {
    const s = r.scores;
    const spec = sessionFigure({
      name: r.label,
      slices: slices.length,
      units: result.units,
      dims: 2,
      coordinates: r.coordinates,
      layers: [{ name: 'units', units: result.units }],
      // colour by the trace's own slice numbers (every k-th when subsampled)
      epochs: slices,
      coloring: 'epoch',
    });
    return {
      ...spec,
      legend: { ...spec.legend, title: 'slice' },
      title: `${r.label}: intra ${s.intra10.toFixed(2)} / ${s.intra40.toFixed(2)}, inter ${s.inter10.toFixed(2)} / ${s.inter40.toFixed(2)} (k = 10 / 40)`,
      xLabel: `${r.label} 1`,
      yLabel: `${r.label} 2`,
    };
  });
  return figureGridSvg(panels, { columns });
}
