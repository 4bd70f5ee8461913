/**
 * @mphate/figure: an embedding as a publication figure, one SVG string, and the colour maps.
 * The dashboard (SVG, and a 2x PNG drawn from it) and `mphate export ID --out fig.svg` both
 * call `figureSvg`, so the page and the command line give the same figure. No dependencies, no DOM.
 */
export { figureGridSvg } from './figure-grid.js';
export { type FigureLegend, type FigureSpec, figureSvg } from './figure-svg.js';
export {
  CATEGORICAL,
  categoricalColor,
  distinctColors,
  interpolateStops,
  SEQUENTIAL,
  SEQUENTIAL_STEPS,
  sequentialColor,
  UNKNOWN_COLOR,
} from './palettes.js';
export { type FigureColoring, type SessionFigureInput, sessionFigure } from './session-figure.js';
export { niceTicks } from './ticks.js';
