import { METHOD_NAMES, METHODS } from '@mphate/methods/registry';
import type { Subscription } from 'rxjs';
import type { ApiClient, MethodSummary } from './api.js';
import type { ColorMode } from './scatter/point-colors.js';
import { ScatterView } from './scatter/scatter-view.js';
import type { Scrubber } from './scrubber.js';
import type { SessionCache, SessionData } from './session-cache.js';

/**
 * The session's embeddings by the paper's comparison methods (`mphate compare`), side by side
 * under the session view and driven by its scrubber: pick a method, the server embeds the
 * trace with it in a worker and scores it; each panel shows the picture and the four scores
 * (intraslice / interslice neighbourhood preservation at k = 10 and 40, against the raw trace).
 */

interface Panel {
  method: string;
  scatter: ScatterView;
  summary: MethodSummary;
  coordinates: Float32Array;
}

const POLL_MS = 1000;
/** Polling stops after this long without the asked method appearing (the request stays queued). */
const POLL_LIMIT_MS = 10 * 60_000;

export class MethodsPanel {
  private sessionId: string | null = null;
  private data: SessionData | null = null;
  private panels: Panel[] = [];
  private pending = new Set<string>();
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private pollUntil = 0;
  private subscription: Subscription | null = null;
  colorMode: ColorMode = 'slice';

  constructor(
    private readonly host: HTMLElement,
    private readonly api: ApiClient,
    private readonly store: SessionCache,
    private readonly scrubber: Scrubber,
    private readonly toast: (message: string) => void,
  ) {
    host.innerHTML = `<div class="toolbar" role="toolbar" aria-label="Methods">
        <h3>Compare methods</h3>
        <label>embed with <select class="method-select"></select></label>
        <button type="button" class="method-embed">embed</button>
        <span class="method-status muted"></span>
      </div>
      <div class="compare-grid methods-grid"></div>`;
    const select = this.select;
    for (const name of METHOD_NAMES)
      if (name !== 'm-phate') select.add(new Option(METHODS[name].label, name));
    host.querySelector('.method-embed')!.addEventListener('click', () => void this.request(select.value));
    scrubber.slice$.subscribe(() => this.redraw());
    scrubber.mode$.subscribe(() => this.redraw());
  }

  private get select(): HTMLSelectElement {
    return this.host.querySelector('.method-select') as HTMLSelectElement;
  }

  private get grid(): HTMLElement {
    return this.host.querySelector('.methods-grid') as HTMLElement;
  }

  get methods(): string[] {
    return this.panels.map((p) => p.method);
  }

  /** Shows the method embeddings of session `id` (and keeps the session's data for colouring). */
  open(id: string): void {
    if (this.sessionId !== id) {
      this.clear();
      this.sessionId = id;
      this.subscription = this.store.session$(id).subscribe((data) => {
        this.data = data;
        this.redraw();
      });
      void this.load();
    }
  }

  setColorMode(mode: ColorMode): void {
    this.colorMode = mode;
    this.redraw();
  }

  async request(method: string): Promise<void> {
    const id = this.sessionId;
    if (!id) return;
    try {
      await this.api.embedWithMethod(id, method);
    } catch (e) {
      this.toast(`could not embed with ${method}: ${(e as Error).message}`);
      return;
    }
    this.pending.add(method);
    this.status();
    this.pollUntil = Date.now() + POLL_LIMIT_MS;
    this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.pollTimer !== null) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      void this.load().then(() => {
        if (this.pending.size > 0 && Date.now() < this.pollUntil) this.schedulePoll();
      });
    }, POLL_MS);
  }

  /** Fetches the list and the coordinates of methods not shown yet (or re-made since). */
  private async load(): Promise<void> {
    const id = this.sessionId;
    if (!id) return;
    let listed: MethodSummary[];
    try {
      listed = await this.api.methods(id);
    } catch {
      return; // the session is gone or the server away: the next poll or open retries
    }
    for (const summary of listed) {
      const shown = this.panels.find((p) => p.method === summary.method);
      if (shown && shown.summary.createdAt === summary.createdAt) continue;
      const coordinates = await this.api.methodEmbedding(id, summary.method).catch(() => null);
      if (!coordinates || this.sessionId !== id) continue;
      this.pending.delete(summary.method);
      if (shown) {
        shown.summary = summary;
        shown.coordinates = coordinates;
        this.renderSummary(shown);
      } else this.addPanel(summary, coordinates);
    }
    this.status();
    this.redraw();
  }

  private addPanel(summary: MethodSummary, coordinates: Float32Array): void {
    const box = document.createElement('article');
    box.className = 'compare-panel method-panel';
    box.dataset.method = summary.method;
    box.innerHTML = `<h3><span class="compare-name"></span></h3>
      <div class="scatter-host compare-scatter"></div><dl class="compare-summary"></dl>`;
    this.grid.append(box);
    const panel = {
      method: summary.method,
      scatter: new ScatterView(box.querySelector('.compare-scatter')!),
      summary,
      coordinates,
    };
    this.panels.push(panel);
    this.grid.dataset.count = String(Math.min(4, this.panels.length));
    this.renderSummary(panel);
  }

  private renderSummary(p: Panel): void {
    const box = this.grid.querySelector(`[data-method="${p.method}"]`)!;
    box.querySelector('.compare-name')!.textContent = p.summary.label;
    const dl = box.querySelector('.compare-summary')!;
    dl.replaceChildren();
    const s = p.summary.scores;
    const rows: [string, string][] = [
      ['intraslice k=10', s.intra10.toFixed(3)],
      ['interslice k=10', s.inter10.toFixed(3)],
      ['intraslice k=40', s.intra40.toFixed(3)],
      ['interslice k=40', s.inter40.toFixed(3)],
      ['time', `${p.summary.seconds.toFixed(1)} s`],
    ];
    for (const [k, v] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      dl.append(dt, dd);
    }
  }

  private status(): void {
    const text = this.pending.size > 0 ? `embedding with ${[...this.pending].join(', ')}…` : '';
    this.host.querySelector('.method-status')!.textContent = text;
  }

  private redraw(): void {
    const detail = this.data?.detail;
    if (!detail) return;
    const slice = this.scrubber.slice$.value;
    for (const p of this.panels) {
      const slices = p.summary.slices;
      const units = detail.units;
      if (p.coordinates.length !== slices * units * 2) continue;
      const activeClass =
        this.data?.embedding?.activeClass.subarray(0, slices * units) ??
        new Int16Array(slices * units).fill(-1);
      p.scatter.update({
        detail,
        embedding: { slices, units, dims: 2, coordinates: p.coordinates, activeClass, final: true },
        colorMode: this.colorMode,
        scrubMode: this.scrubber.mode$.value,
        slice: Math.min(slice, slices - 1),
        selectedUnits: new Set(),
      });
    }
  }

  private clear(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.data = null;
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.pending.clear();
    for (const p of this.panels) p.scatter.destroy();
    this.panels = [];
    this.grid.replaceChildren();
    this.status();
  }
}
