import { type FigureSpec, figureSvg } from './figure-svg.js';

/**
 * Several figures side by side in one SVG document (the comparison of methods): each panel is
 * drawn by figureSvg at `panelWidth` x `panelHeight` and placed as a nested <svg>, `columns` to
 * a row, so every panel has the same axes, legend and point drawing as a single figure.
 */
export function figureGridSvg(
  panels: readonly FigureSpec[],
  o: { columns?: number; panelWidth?: number; panelHeight?: number; background?: string } = {},
): string {
  const pw = o.panelWidth ?? 420;
  const ph = o.panelHeight ?? 340;
  const cols = Math.max(1, Math.min(o.columns ?? 3, panels.length));
  const rows = Math.ceil(panels.length / cols);
  const width = cols * pw;
  const height = rows * ph;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="${o.background ?? '#ffffff'}"/>`,
  ];
  panels.forEach((spec, i) => {
    const x = (i % cols) * pw;
    const y = Math.floor(i / cols) * ph;
    const svg = figureSvg({ ...spec, width: pw, height: ph })
      // ids are document-wide: each panel's clip path and colour ramp gets its own
      .replace(/id="(plot|ramp)"/g, `id="$1-${i}"`)
      .replace(/url\(#(plot|ramp)\)/g, `url(#$1-${i})`)
      // the panel's root element, placed (the namespace is inherited)
      .replace(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `<svg x="${x}" y="${y}"`);
    parts.push(svg);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
