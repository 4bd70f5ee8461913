import type { SessionDetail } from '@mphate/protocol';
import createScatterplot from 'regl-scatterplot';
import { categoricalColor, type LegendSpec } from '../colors.js';
import { type EmbeddedPoints, unitLayers } from '../session-cache.js';
import { type DataFrame, frameFor, reach, robustExtent, toData, toView } from './camera-frame.js';
import { DECIMATE_ABOVE, evenSubsample, SETTLE_MS } from './decimation.js';
import { type ColorMode, pointColors } from './point-colors.js';
import { addView, fitRenderer, removeView, sharedRenderer, webglAvailable } from './renderer-pool.js';

/**
 * The embedding as a WebGL scatter (regl-scatterplot). Owns the frame that maps data
 * coordinates into the library's space (camera-frame.ts): fitted to the bulk of the points once
 * per session, and fitted again only on `reset view`, when the bulk outgrows the view, or (while
 * the user has not moved the camera) when it has shrunk to a small part of it; a refit while the
 * user owns the camera moves the camera along, so what is on screen stays. Draws are serialised
 * (the library refuses a draw while one is running): only the newest request waits.
 */

export type ScrubMode = 'all' | 'upto' | 'only';

/** Slices shown behind the scrubbed one in "only s" mode, fading out. */
export const TRAIL = 6;

/** While the user has not moved the camera, a bulk reaching less than this far towards the edges is reframed. */
const SHRUNK_REACH = 0.45;

export interface ScatterInput {
  detail: SessionDetail;
  embedding: EmbeddedPoints;
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

/** Opacity levels the fade of the trail maps to (valueB in [0, 1] picks one). */
const OPACITY_LEVELS = Array.from({ length: 10 }, (_, i) => 0.12 + (0.88 * i) / 9);

export class ScatterView {
  readonly canvas: HTMLCanvasElement;
  /** Null when the browser offers no WebGL: the view then says so and draws nothing. */
  private readonly plot: Plot | null;
  private frame: DataFrame | null = null;
  private sessionId: string | null = null;
  private lastCoordinates: Float32Array | null = null;
  private lastFrame: DataFrame | null = null;
  private pending: ScatterInput | null = null;
  private drawing = false;
  private input: ScatterInput | null = null;
  private layersOfUnits: Uint16Array = new Uint16Array(0);
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
    this.resizeObserver = new ResizeObserver(() => {
      fitRenderer();
      // A new aspect needs a new frame while the camera is the data's.
      if (this.input && !this.userCamera) this.update(this.input);
    });
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
      renderer: sharedRenderer(),
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
    addView(this.canvas);
    this.resizeObserver.observe(host);
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

  /** Draws `input` now and resolves once it is on the canvas (the video export steps with it). */
  async drawNow(input: ScatterInput): Promise<void> {
    this.pending = null;
    while (this.drawing) await new Promise((r) => requestAnimationFrame(r));
    this.drawing = true;
    try {
      await this.draw(input);
    } finally {
      this.drawing = false;
    }
    if (this.pending) void this.flush();
  }

  /** The frame in use (null before the first draw): the figure export follows its orientation. */
  get currentFrame(): DataFrame | null {
    return this.frame;
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
      this.frame = null;
      this.userCamera = false;
      plot.zoomToOrigin();
      this.lastCoordinates = null;
    }
    this.input = input;
    this.layersOfUnits = unitLayers(detail);
    this.fitCamera(embedding);
    const t = this.frame;
    if (!t) return;
    const { units, slices, dims, coordinates } = embedding;
    const n = units * slices;
    const x = new Float32Array(n);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const [u, v] = toView(t, coordinates[i * dims]!, coordinates[i * dims + 1]!);
      x[i] = u;
      y[i] = v;
    }
    const {
      values: valueA,
      palette,
      continuous,
      legend,
    } = pointColors(detail, embedding, input.colorMode, this.layersOfUnits);
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
    const sameGeometry = this.lastCoordinates === coordinates && sameFrame(this.lastFrame, t);
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
    this.lastFrame = { ...t };
    const lines = this.trajectories(input, x, y, first, end);
    if (lines.length || this.trajectoryCount) await plot.drawAnnotations(lines);
    this.trajectoryCount = lines.length;
    this.pointsDrawn = filter ? filter.length : n;
    this.visible = filter ?? null;
    this.selectedRows = select;
    this.total = n;
    this.colorMode = input.colorMode;
    this.legend = legend;
    this.draws++;
    this.events.onDrawn?.();
  }

  /** While the camera moves over many points, draw a subsample; restore once it rests. */
  private onCameraMove(): void {
    const plot = this.plot;
    if (!plot || this.drawing || (this.visible?.length ?? this.total) <= DECIMATE_ABOVE) return;
    if (!this.decimated) {
      this.decimated = true;
      void plot.filter(evenSubsample(this.visible, this.total, this.selectedRows), { preventEvent: true });
    }
    clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      if (!this.decimated || this.drawing) return;
      this.decimated = false;
      if (this.visible) void plot.filter(this.visible, { preventEvent: true });
      else void plot.unfilter({ preventEvent: true });
    }, SETTLE_MS);
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

  /**
   * Fits the frame to the bulk of the points on the first embedding of a session; fits again
   * only when the bulk outgrows the view (moving the camera along when the user owns it) or,
   * while the camera is the data's, when the bulk shrank to a small part of the view or the
   * canvas changed shape. Live updates that stay inside never move the camera.
   */
  private fitCamera(embedding: EmbeddedPoints): void {
    const extent = robustExtent(embedding.coordinates, embedding.dims);
    if (!extent) return;
    const aspect = this.canvas.clientWidth / Math.max(1, this.canvas.clientHeight) || 1;
    const fitted = frameFor(extent, aspect);
    const old = this.frame;
    if (!old) {
      this.frame = fitted;
      return;
    }
    const r = reach(extent, old);
    if (!this.userCamera) {
      const reshaped = Math.abs(Math.log(aspect / old.aspect)) > 0.05;
      if (r > 1 || r < SHRUNK_REACH || reshaped) this.frame = fitted;
      return;
    }
    if (r <= 1) return;
    // The user owns the camera: keep the same data region on screen by moving the camera into the new frame.
    const plot = this.plot;
    if (!plot) return;
    const [tx, ty] = plot.get('cameraTarget') as [number, number];
    const distance = plot.get('cameraDistance') as number;
    // Same orientation as before: turning the picture under the user's camera would lose their place.
    const kept = { ...fitted, swap: old.swap };
    const [dataX, dataY] = toData(old, tx, ty);
    this.frame = kept;
    plot.zoomToLocation(toView(kept, dataX, dataY), (distance * kept.s) / old.s);
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
    const t = this.frame;
    if (!t) return null;
    const { target, distance } = this.camera();
    const [x, y] = toData(t, target[0], target[1]);
    return { x, y, halfWidth: distance / t.s };
  }

  zoom(factor: number): void {
    this.userCamera = true;
    const { target, distance } = this.camera();
    this.plot?.zoomToLocation(target, distance / factor);
  }

  /** Fits the frame to the current data again and hands the camera back to the data. */
  resetView(): void {
    this.userCamera = false;
    this.frame = null;
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
    removeView(this.canvas);
    this.plot?.destroy();
    this.canvas.remove();
  }
}

function range(start: number, end: number): number[] {
  const out = new Array<number>(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

function sameFrame(a: DataFrame | null, b: DataFrame): boolean {
  return a !== null && a.cx === b.cx && a.cy === b.cy && a.s === b.s && a.swap === b.swap;
}
