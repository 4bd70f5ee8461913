/**
 * A minimal SVG figure of a comparison: one square panel per method, points coloured by slice
 * (viridis), titled with the method and its four scores. Stand-in until the shared figure
 * renderer lands; the panel layout is all this file decides.
 */
import type { CompareResult } from './compare.js';

const VIRIDIS = [
  '#440154',
  '#472f7d',
  '#39568c',
  '#2a788e',
  '#1f988b',
  '#35b779',
  '#7ad151',
  '#d2e21b',
  '#fde725',
];
const PANEL = 260;
const TITLE = 34;
const PAD = 8;

function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const k = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - k;
  const mix = (c: number) => {
    const a = Number.parseInt(VIRIDIS[k]!.slice(1 + 2 * c, 3 + 2 * c), 16);
    const b = Number.parseInt(VIRIDIS[k + 1]!.slice(1 + 2 * c, 3 + 2 * c), 16);
    return Math.round(a + (b - a) * f)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${mix(0)}${mix(1)}${mix(2)}`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The grid as an SVG document; `columns` panels per row. */
export function compareSvg(result: CompareResult, columns = 5): string {
  const slices = result.subsample ? result.subsample.slices.length : result.epochs;
  const units = result.units;
  const cols = Math.min(columns, result.results.length);
  const rows = Math.ceil(result.results.length / cols);
  const width = cols * PANEL;
  const height = rows * (PANEL + TITLE);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
  ];
  result.results.forEach((r, index) => {
    const ox = (index % cols) * PANEL;
    const oy = Math.floor(index / cols) * (PANEL + TITLE);
    const c = r.coordinates;
    let minX = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < c.length / 2; a++) {
      minX = Math.min(minX, c[2 * a]!);
      maxX = Math.max(maxX, c[2 * a]!);
      minY = Math.min(minY, c[2 * a + 1]!);
      maxY = Math.max(maxY, c[2 * a + 1]!);
    }
    const span = Math.max(maxX - minX, maxY - minY) || 1;
    const scale = (PANEL - 2 * PAD) / span;
    const cx = ox + PANEL / 2 - ((minX + maxX) / 2) * scale;
    const cy = oy + TITLE + PANEL / 2 + ((minY + maxY) / 2) * scale;
    const s = r.scores;
    parts.push(
      `<text x="${ox + PAD}" y="${oy + 14}" font-weight="bold">${escapeXml(r.label)}</text>`,
      `<text x="${ox + PAD}" y="${oy + 28}" fill="#444">intra ${s.intra10.toFixed(2)} / ${s.intra40.toFixed(2)} · inter ${s.inter10.toFixed(2)} / ${s.inter40.toFixed(2)} (k=10 / 40)</text>`,
      `<rect x="${ox + 2}" y="${oy + TITLE}" width="${PANEL - 4}" height="${PANEL - 4}" fill="none" stroke="#ddd"/>`,
    );
    // one path per slice colour keeps the file small: a dot is a zero-length round-capped line
    for (let tau = 0; tau < slices; tau++) {
      let d = '';
      for (let i = 0; i < units; i++) {
        const a = tau * units + i;
        const x = cx + c[2 * a]! * scale;
        const y = cy - c[2 * a + 1]! * scale;
        d += `M${x.toFixed(1)} ${y.toFixed(1)}h0`;
      }
      parts.push(
        `<path d="${d}" stroke="${viridis(slices === 1 ? 0 : tau / (slices - 1))}" stroke-width="2.2" stroke-linecap="round" stroke-opacity="0.7"/>`,
      );
    }
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
