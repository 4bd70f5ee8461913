import type { SessionDetail } from '@mphate/protocol';
import createScatterplot, { createRenderer } from 'regl-scatterplot';
import { CATEGORICAL, categoricalColor, type LegendSpec, SEQUENTIAL, UNKNOWN_COLOR } from './colors.js';
import { type Embedding, unitLayers } from './state.js';

/**
 * The embedding as a WebGL scatter (regl-scatterplot). Owns the mapping from data coordinates to
 * the library's [-1, 1] space: the transform is fitted once per session and only refitted when
 * new points leave the frame, and then the camera is moved with it, so neither live updates
 * nor refits change what the user is looking at. Draws are serialised (the library refuses a
 * draw while one is running): only the newest request waits.
 */

export type ColorMode = 'slice' | 'epoch' | 'layer' | 'class' | 'unit' | 'task';
export type ScrubMode = 'all' | 'upto' | 'only';

export const COLOR_MODES: readonly ColorMode[] = ['slice', 'epoch', 'layer', 'class', 'unit', 'task'];

/** Slices shown behind the scrubbed one in "only s" mode, fading out. */
export const TRAIL = 6;

export interface ScatterInput {
  detail: SessionDetail;
  embedding: Embedding;
  colorMode: ColorMode;
  scrubMode: ScrubMode;
  /** The scrubbed slice (clamped to the embedding). */
  slice: number;
  selectedUnits: ReadonlySet<number>;
}

export interface ScatterEvents {
  /** A point under the pointer (row), or null. Position in CSS pixels relative to the host. */
  onHover?: (row: number | null, x: number, y: number) => void;
  /** Units picked by click or lasso; `merge` when the user held the merge key. */
  onPick?: (units: number[]) => void;
  onClear?: () => void;
  /** After each completed draw (the legend is current then). */
  onDrawn?: () => void;
}

type Plot = ReturnType<typeof createScatterplot>;

/**
 * Above this many visible points, panning and zooming draw an even subsample (plus the
 * selection) and the full set again 200 ms after the camera stops: software WebGL stays usable.
 */
export const DECIMATE_ABOVE = 60_000;
const DECIMATED_POINTS = 30_000;

/** Opacity levels the fade of the trail maps to (valueB in [0, 1] picks one). */
const OPACITY_LEVELS = Array.from({ length: 10 }, (_, i) => 0.12 + (0.88 * i) / 9);

let sharedRenderer: ReturnType<typeof createRenderer> | null = null;

const liveViews = new Set<HTMLCanvasElement>();

/** One WebGL context for every scatter on the page (browsers cap contexts at ~16). */
function renderer(): ReturnType<typeof createRenderer> {
  if (!sharedRenderer) {
    sharedRenderer = createRenderer();
    // Registered after the library's own handler, so this size wins.
    window.addEventListener('resize', () => fitRenderer());
  }
  return sharedRenderer;
}

/**
 * The shared renderer draws into a float framebuffer as large as the window by default, then
 * copies to each view. Sizing it to the largest view instead costs nothing on a GPU and saves
 * most of the per-frame time with software WebGL (a full-window float pass and copy per frame).
 */
function fitRenderer(): void {
  if (!sharedRenderer) return;
  let width = 1;
  let height = 1;
  for (const canvas of liveViews) {
    width = Math.max(width, Math.ceil(canvas.clientWidth));
    height = Math.max(height, Math.ceil(canvas.clientHeight));
  }
  sharedRenderer.resize(width, height);
  sharedRenderer.refresh();
}

interface Transform {
  cx: number;
  cy: number;
  s: number;
}

export class ScatterView {
  readonly canvas: HTMLCanvasElement;
  /** Null when the browser offers no WebGL: the view then says so and draws nothing. */
  private readonly plot: Plot | null;
  private transform: Transform | null = null;
  private sessionId: string | null = null;
  private lastCoordinates: Float32Array | null = null;
  private lastTransform: Transform | null = null;
  private pending: ScatterInput | null = null;
  private drawing = false;
  private input: ScatterInput | null = null;
  private layersOfUnits: Uint16Array | null = null;
  /** Points currently visible (not filtered out). */
  pointsDrawn = 0;
  /** Draw calls completed (tests wait on it). */
  draws = 0;
  /** Frames the library rendered (pan, zoom, hover and draws): the benchmark's frame counter. */
  renders = 0;
  /** Trajectory lines drawn (one per selected unit with two or more visible slices). */
  trajectoryCount = 0;
  colorMode: ColorMode = 'slice';
  legend: LegendSpec | null = null;
  private readonly resizeObserver: ResizeObserver;
  /** The scrub filter of the last draw (null: every point), the selected rows, and the pan subsample state. */
  private visible: number[] | null = null;
  private selectedRows: number[] = [];
  private total = 0;
  private decimated = false;
  private settle: ReturnType<typeof setTimeout> | undefined;
  /** True once the user panned or zoomed: from then on updates never move what is on screen. */
  private userCamera = false;

  constructor(
    host: HTMLElement,
    private readonly events: ScatterEvents = {},
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'scatter-canvas';
    this.canvas.setAttribute(
      'aria-label',
      'Embedding of hidden units: drag to pan, wheel to zoom, shift-drag to lasso',
    );
    host.append(this.canvas);
    this.resizeObserver = new ResizeObserver(() => fitRenderer());
    if (!webglAvailable()) {
      this.plot = null;
      const note = document.createElement('p');
      note.className = 'scatter-note';
      note.textContent =
        'This browser offers no WebGL, so the embedding cannot be drawn here. Curves, the session list, compare summaries and exports still work.';
      host.append(note);
      return;
    }
    this.plot = createScatterplot({
      renderer: renderer(),
      canvas: this.canvas,
      width: 'auto',
      height: 'auto',
      pointSize: 4,
      pointSizeSelected: 3,
      pointOutlineWidth: 1,
      backgroundColor: [0.078, 0.086, 0.102, 1],
      pointColorActive: [1, 1, 1, 1],
      pointColorHover: [1, 1, 1, 1],
      lassoColor: [0.35, 0.7, 1, 1],
      deselectOnDblClick: true,
      deselectOnEscape: true,
      annotationLineWidth: 2,
    });
    for (const type of ['wheel', 'pointerdown'] as const) {
      this.canvas.addEventListener(type, () => {
        this.userCamera = true;
      });
    }
    liveViews.add(this.canvas);
    this.resizeObserver.observe(host);
    fitRenderer();
    const plot = this.plot;
    plot.subscribe('pointOver', (row: number) => {
      const pos = plot.getScreenPosition(row);
      if (pos) this.events.onHover?.(row, pos[0], pos[1]);
    });
    plot.subscribe('draw', () => {
      this.renders++;
    });
    plot.subscribe('view', () => this.onCameraMove());
    plot.subscribe('pointOut', () => this.events.onHover?.(null, 0, 0));
    plot.subscribe('select', ({ points }: { points: number[] }) => {
      if (!this.input) return;
      const units = new Set<number>();
      for (const row of points) units.add(row % this.input.embedding.units);
      this.events.onPick?.([...units]);
    });
    plot.subscribe('deselect', () => this.events.onClear?.());
  }

  /** Draws (or redraws) with new input; safe to call at any rate. */
  update(input: ScatterInput): void {
    this.pending = input;
    if (!this.drawing) void this.flush();
  }

  private async flush(): Promise<void> {
    this.drawing = true;
    while (this.pending) {
      const input = this.pending;
      this.pending = null;
      try {
        await this.draw(input);
      } catch (error) {
        console.error('scatter draw failed', error);
      }
    }
    this.drawing = false;
  }

  private async draw(input: ScatterInput): Promise<void> {
    const plot = this.plot;
    if (!plot) return;
    clearTimeout(this.settle);
    this.decimated = false;
    const { detail, embedding } = input;
    if (this.sessionId !== detail.id) {
      this.sessionId = detail.id;
      this.transform = null;
      this.userCamera = false;
      plot.zoomToOrigin();
      this.lastCoordinates = null;
    }
    this.input = input;
    this.layersOfUnits = unitLayers(detail);
    this.fitTransform(embedding);
    const t = this.transform!;
    const { units, slices, dims, coordinates } = embedding;
    const n = units * slices;
    const x = new Float32Array(n);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = (coordinates[i * dims]! - t.cx) * t.s;
      y[i] = (coordinates[i * dims + 1]! - t.cy) * t.s;
    }
    const { values: valueA, palette, continuous } = this.colorValues(input);
    const last = Math.min(Math.max(0, input.slice), slices - 1);
    const valueB = new Float32Array(n).fill(1);
    let first = 0;
    let end = slices;
    if (input.scrubMode === 'upto') end = last + 1;
    if (input.scrubMode === 'only') {
      first = Math.max(0, last - TRAIL);
      end = last + 1;
      for (let s = first; s < last; s++)
        valueB.fill((s - first + 1) / (TRAIL + 1), s * units, (s + 1) * units);
    }
    const filter = first === 0 && end === slices ? undefined : range(first * units, end * units);
    const select: number[] = [];
    for (const u of input.selectedUnits) for (let s = first; s < end; s++) select.push(s * units + u);
    plot.set({
      colorBy: 'valueA',
      pointColor: palette,
      opacityBy: 'valueB',
      opacity: OPACITY_LEVELS,
      pointSize: n > 50_000 ? 2 : n > 10_000 ? 3 : 4,
    });
    const sameGeometry = this.lastCoordinates === coordinates && sameTransform(this.lastTransform, t);
    const spatialIndex = sameGeometry ? (plot.get('spatialIndex') as ArrayBuffer | undefined) : undefined;
    await plot.draw(
      { x, y, valueA, valueB },
      {
        zDataType: continuous ? 'continuous' : 'categorical',
        wDataType: 'continuous',
        ...(filter ? { filter } : {}),
        ...(select.length ? { select } : {}),
        ...(spatialIndex ? { spatialIndex } : {}),
      },
    );
    // Each of these costs a full frame: only when something is to be cleared or drawn.
    if (!select.length && this.selectedRows.length) plot.deselect({ preventEvent: true });
    this.lastCoordinates = coordinates;
    this.lastTransform = { ...t };
    const lines = this.trajectories(input, x, y, first, end);
    if (lines.length || this.trajectoryCount) await plot.drawAnnotations(lines);
    this.trajectoryCount = lines.length;
    this.pointsDrawn = filter ? filter.length : n;
    this.visible = filter ?? null;
    this.selectedRows = select;
    this.total = n;
    this.colorMode = input.colorMode;
    this.draws++;
    this.events.onDrawn?.();
  }

  /** While the camera moves over many points, draw a subsample; restore once it rests. */
  private onCameraMove(): void {
    const plot = this.plot;
    if (!plot || this.drawing || (this.visible?.length ?? this.total) <= DECIMATE_ABOVE) return;
    if (!this.decimated) {
      this.decimated = true;
      void plot.filter(this.subsample(), { preventEvent: true });
    }
    clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      if (!this.decimated || this.drawing) return;
      this.decimated = false;
      if (this.visible) void plot.filter(this.visible, { preventEvent: true });
      else void plot.unfilter({ preventEvent: true });
    }, 200);
  }

  /** Every k-th visible point, so about DECIMATED_POINTS remain, plus the selected ones. */
  private subsample(): number[] {
    const count = this.visible?.length ?? this.total;
    const step = Math.ceil(count / DECIMATED_POINTS);
    const out: number[] = [];
    for (let i = 0; i < count; i += step) out.push(this.visible ? this.visible[i]! : i);
    const chosen = new Set(out);
    for (const row of this.selectedRows) if (!chosen.has(row)) out.push(row);
    return out.sort((a, b) => a - b);
  }

  /** True while a pan or zoom shows the subsample. */
  get isDecimated(): boolean {
    return this.decimated;
  }

  /** Lines through the selected units' positions, slice after slice. */
  private trajectories(input: ScatterInput, x: Float32Array, y: Float32Array, first: number, end: number) {
    const units = input.embedding.units;
    const out: { vertices: [number, number][]; lineColor: string; lineWidth: number }[] = [];
    let k = 0;
    for (const u of input.selectedUnits) {
      const vertices: [number, number][] = [];
      for (let s = first; s < end; s++) vertices.push([x[s * units + u]!, y[s * units + u]!]);
      if (vertices.length > 1) out.push({ vertices, lineColor: categoricalColor(k++), lineWidth: 2 });
    }
    return out;
  }

  /** Fits the [-1, 1] transform on the first embedding; refits (moving the camera along) only when points leave the frame. */
  private fitTransform(embedding: Embedding): void {
    const { coordinates, dims } = embedding;
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < coordinates.length; i += dims) {
      const x = coordinates[i]!;
      const y = coordinates[i + 1]!;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    if (!Number.isFinite(x0)) return;
    const half = Math.max(x1 - x0, y1 - y0) / 2 || 1;
    const fitted: Transform = { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, s: 0.9 / half };
    const old = this.transform;
    if (!old) {
      this.transform = fitted;
      return;
    }
    const out = Math.max(
      Math.abs((x0 - old.cx) * old.s),
      Math.abs((x1 - old.cx) * old.s),
      Math.abs((y0 - old.cy) * old.s),
      Math.abs((y1 - old.cy) * old.s),
    );
    if (!this.userCamera) {
      // The user has not moved the camera: follow the data (refit when it fills the frame badly).
      if (out > 1.05 || out < 0.6) this.transform = fitted;
      return;
    }
    if (out <= 1.05 && out >= 0.25) return;
    // The user owns the camera: keep the same data region on screen by moving the camera into the new frame.
    const plot = this.plot;
    if (!plot) return;
    const [tx, ty] = plot.get('cameraTarget') as [number, number];
    const distance = plot.get('cameraDistance') as number;
    const dataX = tx / old.s + old.cx;
    const dataY = ty / old.s + old.cy;
    this.transform = fitted;
    plot.zoomToLocation(
      [(dataX - fitted.cx) * fitted.s, (dataY - fitted.cy) * fitted.s],
      (distance * fitted.s) / old.s,
    );
  }

  private colorValues(input: ScatterInput): { values: Float32Array; palette: string[]; continuous: boolean } {
    const { detail, embedding, colorMode } = input;
    const { units, slices } = embedding;
    const n = units * slices;
    const values = new Float32Array(n);
    const categorical = [UNKNOWN_COLOR, ...CATEGORICAL];
    const wrap = (k: number): number => (k < 0 ? 0 : 1 + (k % CATEGORICAL.length));
    switch (colorMode) {
      case 'slice': {
        const d = Math.max(1, slices - 1);
        for (let s = 0; s < slices; s++) values.fill(s / d, s * units, (s + 1) * units);
        this.legend = { kind: 'sequential', title: 'slice', min: '0', max: String(slices - 1) };
        return { values, palette: [...SEQUENTIAL], continuous: true };
      }
      case 'epoch': {
        const epochs = Array.from({ length: slices }, (_, s) => detail.logs[s]?.epoch ?? s);
        const lo = Math.min(...epochs);
        const hi = Math.max(...epochs);
        const d = Math.max(1, hi - lo);
        for (let s = 0; s < slices; s++) values.fill((epochs[s]! - lo) / d, s * units, (s + 1) * units);
        this.legend = { kind: 'sequential', title: 'epoch', min: String(lo), max: String(hi) };
        return { values, palette: [...SEQUENTIAL], continuous: true };
      }
      case 'layer': {
        const layers = this.layersOfUnits!;
        for (let i = 0; i < n; i++) values[i] = wrap(layers[i % units]!);
        this.legend = {
          kind: 'categorical',
          title: 'layer',
          items: detail.layers.map((l, k) => ({
            label: `${l.name} (${l.units})`,
            color: categoricalColor(k),
          })),
        };
        return { values, palette: categorical, continuous: false };
      }
      case 'class': {
        const seen = new Set<number>();
        for (let i = 0; i < n; i++) {
          const c = embedding.activeClass[i]!;
          values[i] = wrap(c);
          seen.add(c);
        }
        const classes = [...seen].sort((a, b) => a - b);
        this.legend = {
          kind: 'categorical',
          title: 'most-active class',
          items: classes.map((c) => ({
            label: c < 0 ? 'unknown' : (detail.classNames?.[c] ?? String(c)),
            color: categoricalColor(c),
          })),
        };
        return { values, palette: categorical, continuous: false };
      }
      case 'unit': {
        for (let i = 0; i < n; i++) values[i] = wrap(i % units);
        this.legend = {
          kind: 'categorical',
          title: 'unit',
          items: Array.from({ length: Math.min(units, 8) }, (_, u) => ({
            label: `unit ${u}`,
            color: categoricalColor(u),
          })),
          ...(units > 8 ? { more: units - 8 } : {}),
        };
        return { values, palette: categorical, continuous: false };
      }
      case 'task': {
        const tasks = detail.tasks;
        for (let s = 0; s < slices; s++) {
          const task = detail.logs[s]?.task ?? null;
          values.fill(wrap(task === null ? -1 : tasks.indexOf(task)), s * units, (s + 1) * units);
        }
        this.legend = {
          kind: 'categorical',
          title: 'task',
          items: tasks.length
            ? tasks.map((t, k) => ({ label: t, color: categoricalColor(k) }))
            : [{ label: 'no tasks', color: UNKNOWN_COLOR }],
        };
        return { values, palette: categorical, continuous: false };
      }
    }
  }

  /** Screen position (CSS px, relative to the canvas) of a point, for tests and tooltips. */
  screenPosition(row: number): [number, number] | null {
    return (this.plot?.getScreenPosition(row) as [number, number] | undefined) ?? null;
  }

  /** The camera: target and distance in the library's space. */
  camera(): { target: [number, number]; distance: number } {
    if (!this.plot) return { target: [0, 0], distance: 1 };
    const [x, y] = this.plot.get('cameraTarget') as [number, number];
    return { target: [x, y], distance: this.plot.get('cameraDistance') as number };
  }

  /** What the user looks at, in data coordinates: the centre and the half-width of the view. */
  viewInData(): { x: number; y: number; halfWidth: number } | null {
    const t = this.transform;
    if (!t) return null;
    const { target, distance } = this.camera();
    return { x: target[0] / t.s + t.cx, y: target[1] / t.s + t.cy, halfWidth: distance / t.s };
  }

  zoom(factor: number): void {
    this.userCamera = true;
    const { target, distance } = this.camera();
    this.plot?.zoomToLocation(target, distance / factor);
  }

  /** Fits the frame to the current data again and hands the camera back to the data. */
  resetView(): void {
    this.userCamera = false;
    this.transform = null;
    this.plot?.zoomToOrigin();
    if (this.input) this.update(this.input);
  }

  setLasso(on: boolean): void {
    this.plot?.set({ mouseMode: on ? 'lasso' : 'panZoom' });
  }

  /** The view as a PNG (points on the page's background colour). */
  async png(): Promise<Blob> {
    const out = document.createElement('canvas');
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#14161a';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(this.canvas, 0, 0);
    return new Promise((resolve, reject) =>
      out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'),
    );
  }

  clear(): void {
    this.input = null;
    this.pointsDrawn = 0;
    void this.plot?.clear();
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    liveViews.delete(this.canvas);
    this.plot?.destroy();
    this.canvas.remove();
    fitRenderer();
  }
}

/** Whether the browser can create a WebGL context at all (headless browsers without a GPU may not). */
export function webglAvailable(): boolean {
  try {
    const probe = document.createElement('canvas');
    return Boolean(probe.getContext('webgl2') ?? probe.getContext('webgl'));
  } catch {
    return false;
  }
}

function range(start: number, end: number): number[] {
  const out = new Array<number>(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

function sameTransform(a: Transform | null, b: Transform): boolean {
  return a !== null && a.cx === b.cx && a.cy === b.cy && a.s === b.s;
}
