import { ProtocolError } from './errors.js';
import type { LayerInfo } from './session.js';

/**
 * The embedding CSV, one format wherever coordinates leave as text (the server's
 * `embedding.csv`, `mphate export --out FILE.csv`, `mphate embed --out FILE.csv`):
 *
 *   slice,epoch,layer,unit,layerUnit,x,y[,z]
 *
 * one row per point in row order `slice * units + unit`. `layer` is the unit's layer name,
 * `unit` its index among the traced units, `layerUnit` its index in its own layer (differs when
 * a wide layer was subsampled). Values are the shortest decimals that read back as the same
 * float32, so the file loses nothing.
 */
export interface EmbeddingCsvInput {
  units: number;
  nComponents: 2 | 3;
  /** points x nComponents float32 (at least slices.length x units points). */
  coordinates: Float32Array;
  /** Each covered slice's number and epoch, in order. */
  slices: readonly { slice: number; epoch: number }[];
  /** Where the units come from, in order (their units sum to `units`). */
  layers: readonly LayerInfo[];
}

export function encodeEmbeddingCsv(input: EmbeddingCsvInput): string {
  const { units, nComponents: d, coordinates: c, slices } = input;
  if (c.length < slices.length * units * d)
    throw new ProtocolError(`coordinates hold fewer than ${slices.length} x ${units} points`);
  const names: string[] = [];
  const layerUnit: number[] = [];
  for (const layer of input.layers) {
    for (let i = 0; i < layer.units; i++) {
      names.push(csvField(layer.name));
      layerUnit.push(layer.keptUnits ? layer.keptUnits[i]! : i);
    }
  }
  if (names.length !== units) throw new ProtocolError(`the layers hold ${names.length} units, not ${units}`);
  const lines: string[] = [
    d === 3 ? 'slice,epoch,layer,unit,layerUnit,x,y,z' : 'slice,epoch,layer,unit,layerUnit,x,y',
  ];
  slices.forEach(({ slice, epoch }, s) => {
    for (let u = 0; u < units; u++) {
      let line = `${slice},${epoch},${names[u]},${u},${layerUnit[u]}`;
      const p = (s * units + u) * d;
      for (let k = 0; k < d; k++) line += `,${formatFloat32(c[p + k]!)}`;
      lines.push(line);
    }
  });
  return `${lines.join('\n')}\n`;
}

/** Shortest decimal that reads back as the same float32. */
export function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 6; digits < 9; digits++) {
    const text = Number(value.toPrecision(digits)).toString();
    if (Math.fround(Number(text)) === value) return text;
  }
  return Number(value.toPrecision(9)).toString();
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
