import type { SessionDetail } from '@mphate/protocol';
import {
  CATEGORICAL,
  categoricalColor,
  distinctColors,
  type LegendSpec,
  SEQUENTIAL,
  UNKNOWN_COLOR,
} from '../colors.js';
import type { EmbeddedPoints } from '../session-cache.js';

/**
 * What colours the points: one value per point (an index into the palette, or a position on
 * the sequential map) and the legend that explains it. Pure: the view draws what this returns.
 */

export type ColorMode = 'slice' | 'epoch' | 'layer' | 'class' | 'unit' | 'task';

export const COLOR_MODES: readonly ColorMode[] = ['slice', 'epoch', 'layer', 'class', 'unit', 'task'];

/** The modes that mean something for a session: `task` only when its slices carry tasks. */
export function colorModesFor(details: readonly (SessionDetail | null | undefined)[]): ColorMode[] {
  const tasks = details.some((d) => (d?.tasks.length ?? 0) > 0);
  return COLOR_MODES.filter((m) => m !== 'task' || tasks);
}

export interface PointColors {
  /** Per point: palette index (categorical) or a value in [0, 1] (continuous). */
  values: Float32Array;
  palette: string[];
  continuous: boolean;
  legend: LegendSpec;
}

/** Legend rows shown for unit colouring (the rest are summarised as "... more"). */
const UNIT_LEGEND_ROWS = 8;

export function pointColors(
  detail: SessionDetail,
  embedding: EmbeddedPoints,
  mode: ColorMode,
  layersOfUnits: Uint16Array,
): PointColors {
  const { units, slices } = embedding;
  const n = units * slices;
  const values = new Float32Array(n);
  const categorical = [UNKNOWN_COLOR, ...CATEGORICAL];
  const wrap = (k: number): number => (k < 0 ? 0 : 1 + (k % CATEGORICAL.length));
  switch (mode) {
    case 'slice': {
      const d = Math.max(1, slices - 1);
      for (let s = 0; s < slices; s++) values.fill(s / d, s * units, (s + 1) * units);
      return {
        values,
        palette: [...SEQUENTIAL],
        continuous: true,
        legend: { kind: 'sequential', title: 'slice', min: '0', max: String(slices - 1) },
      };
    }
    case 'epoch': {
      const epochs = Array.from({ length: slices }, (_, s) => detail.logs[s]?.epoch ?? s);
      const lo = Math.min(...epochs);
      const hi = Math.max(...epochs);
      const d = Math.max(1, hi - lo);
      for (let s = 0; s < slices; s++) values.fill((epochs[s]! - lo) / d, s * units, (s + 1) * units);
      return {
        values,
        palette: [...SEQUENTIAL],
        continuous: true,
        legend: { kind: 'sequential', title: 'epoch', min: String(lo), max: String(hi) },
      };
    }
    case 'layer': {
      for (let i = 0; i < n; i++) values[i] = wrap(layersOfUnits[i % units]!);
      return {
        values,
        palette: categorical,
        continuous: false,
        legend: {
          kind: 'categorical',
          title: 'layer',
          items: detail.layers.map((l, k) => ({
            label: `${l.name} (${l.units})`,
            color: categoricalColor(k),
          })),
        },
      };
    }
    case 'class': {
      const seen = new Set<number>();
      for (let i = 0; i < n; i++) {
        const c = embedding.activeClass[i]!;
        values[i] = wrap(c);
        seen.add(c);
      }
      const classes = [...seen].sort((a, b) => a - b);
      return {
        values,
        palette: categorical,
        continuous: false,
        legend: {
          kind: 'categorical',
          title: 'most-active class',
          items: classes.map((c) => ({
            label: c < 0 ? 'unknown' : (detail.classNames?.[c] ?? String(c)),
            color: categoricalColor(c),
          })),
        },
      };
    }
    case 'unit': {
      // One colour per unit, none repeated (a cycled 20-colour map would merge units 0, 20, 40, ...).
      const colors = distinctColors(units);
      for (let i = 0; i < n; i++) values[i] = i % units;
      const shown = Math.min(units, UNIT_LEGEND_ROWS);
      return {
        values,
        palette: colors,
        continuous: false,
        legend: {
          kind: 'categorical',
          title: units > CATEGORICAL.length ? `unit (${units} distinct hues)` : 'unit',
          items: Array.from({ length: shown }, (_, u) => ({ label: `unit ${u}`, color: colors[u]! })),
          ...(units > shown ? { more: units - shown } : {}),
        },
      };
    }
    case 'task': {
      const tasks = detail.tasks;
      for (let s = 0; s < slices; s++) {
        const task = detail.logs[s]?.task ?? null;
        values.fill(wrap(task === null ? -1 : tasks.indexOf(task)), s * units, (s + 1) * units);
      }
      return {
        values,
        palette: categorical,
        continuous: false,
        legend: {
          kind: 'categorical',
          title: 'task',
          items: tasks.length
            ? tasks.map((t, k) => ({ label: t, color: categoricalColor(k) }))
            : [{ label: 'no tasks', color: UNKNOWN_COLOR }],
        },
      };
    }
  }
}
