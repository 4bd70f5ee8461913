import { type FigureColoring, figureSvg, sessionFigure } from '@mphate/figure';
import type { ColorMode } from '../scatter/point-colors.js';
import type { SessionData } from '../session-cache.js';

/**
 * The session's embedding as a publication figure: the SVG of @mphate/figure (the same
 * renderer as `mphate export ID --out fig.svg`), and a PNG at twice its size drawn from it.
 * Coloured like the view where the figure can (slice, epoch, layer, class; else by slice),
 * with the view's orientation of the axes.
 */
export function sessionSvg(data: SessionData, mode: ColorMode, swap: boolean): string {
  const detail = data.detail!;
  const embedding = data.embedding!;
  const coloring: FigureColoring = ['slice', 'epoch', 'layer', 'class'].includes(mode)
    ? (mode as FigureColoring)
    : 'slice';
  const labelled = Array.from(embedding.activeClass).some((c) => c >= 0);
  return figureSvg(
    sessionFigure({
      name: detail.name,
      slices: embedding.slices,
      units: embedding.units,
      dims: embedding.dims,
      coordinates: embedding.coordinates,
      layers: detail.layers,
      ...(labelled ? { activeClass: embedding.activeClass } : {}),
      ...(detail.classNames ? { classNames: detail.classNames } : {}),
      epochs: Array.from({ length: embedding.slices }, (_, s) => detail.logs[s]?.epoch ?? s),
      coloring,
      swap,
    }),
  );
}

/** Rasterises an SVG at `scale` times its size (2: a sharp figure for slides and print). */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(image.naturalWidth * scale);
    canvas.height = Math.round(image.naturalHeight * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
