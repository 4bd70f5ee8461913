/**
 * The dashboard's legends. The colour maps themselves live in @mphate/figure (palettes.ts), so
 * the page and the figures colour alike.
 */
import { SEQUENTIAL } from '@mphate/figure';

export {
  CATEGORICAL,
  categoricalColor,
  distinctColors,
  interpolateStops,
  SEQUENTIAL,
  SEQUENTIAL_STEPS,
  sequentialColor,
  UNKNOWN_COLOR,
} from '@mphate/figure';

export type LegendSpec =
  | { kind: 'sequential'; title: string; min: string; max: string }
  | { kind: 'categorical'; title: string; items: { label: string; color: string }[]; more?: number };

/** Renders a legend into `host` (replacing its content). */
export function renderLegend(host: HTMLElement, spec: LegendSpec): void {
  host.replaceChildren();
  const title = document.createElement('div');
  title.className = 'legend-title';
  title.textContent = spec.title;
  host.append(title);
  if (spec.kind === 'sequential') {
    const row = document.createElement('div');
    row.className = 'legend-ramp';
    const min = document.createElement('span');
    min.textContent = spec.min;
    const bar = document.createElement('span');
    bar.className = 'legend-bar';
    bar.style.background = `linear-gradient(to right, ${SEQUENTIAL.filter((_, i) => i % 4 === 0).join(', ')})`;
    const max = document.createElement('span');
    max.textContent = spec.max;
    row.append(min, bar, max);
    host.append(row);
    return;
  }
  const list = document.createElement('ul');
  list.className = 'legend-items';
  for (const item of spec.items) {
    const li = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = item.color;
    li.append(swatch, document.createTextNode(item.label));
    list.append(li);
  }
  if (spec.more) {
    const li = document.createElement('li');
    li.textContent = `… ${spec.more} more`;
    list.append(li);
  }
  host.append(list);
}
