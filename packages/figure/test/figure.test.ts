import { figureSvg, niceTicks, sessionFigure } from '@mphate/figure';
import { describe, expect, it } from 'vitest';

describe('figure', () => {
  it('draws every point and lists every category in the legend, with both axis labels', () => {
    const slices = 3;
    const units = 4;
    const coordinates = Float32Array.from({ length: slices * units * 2 }, (_, i) => Math.sin(i) * 3);
    const activeClass = Int16Array.from({ length: slices * units }, (_, i) => (i % 5) - 1);
    const svg = figureSvg(
      sessionFigure({
        name: 'run <a>',
        slices,
        units,
        dims: 2,
        coordinates,
        layers: [
          { name: 'd1', units: 2 },
          { name: 'd2', units: 2 },
        ],
        activeClass,
        classNames: ['zero', 'one', 'two', 'three'],
        coloring: 'class',
      }),
    );
    expect(svg.match(/h0/g)).toHaveLength(slices * units);
    const items = [...svg.matchAll(/class="legend-item"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(items).toEqual(['unknown', 'zero', 'one', 'two', 'three']);
    expect(svg).toContain('run &#60;a&#62;');
    const axes = [...svg.matchAll(/class="axis-label"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(axes).toEqual(['M-PHATE 1', 'M-PHATE 2']);
  });

  it('layer colouring lists every layer; swapped axes say so', () => {
    const spec = sessionFigure({
      name: 's',
      slices: 1,
      units: 3,
      dims: 2,
      coordinates: [0, 0, 1, 2, 3, 1],
      layers: [
        { name: 'a', units: 1 },
        { name: 'b', units: 2 },
      ],
      coloring: 'layer',
      swap: true,
    });
    expect(spec.legend.kind === 'categorical' && spec.legend.items.map((i) => i.label)).toEqual([
      'a (1 unit)',
      'b (2 units)',
    ]);
    expect([spec.xLabel, spec.yLabel]).toEqual(['M-PHATE 2', 'M-PHATE 1']);
    expect(Array.from(spec.x)).toEqual([0, 2, 1]);
  });

  it('ticks are round numbers inside the range', () => {
    expect(niceTicks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-0.37, 0.41)).toEqual([-0.2, 0, 0.2, 0.4]);
  });
});
