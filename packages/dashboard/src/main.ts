import './style.css';
import type { SessionDetail } from '@mphate/protocol';
import { distinctUntilChanged, map, type Subscription } from 'rxjs';
import { ApiClient, saveBlob } from './api.js';
import { captureTokenFromUrl, TOKEN_CHANGED } from './auth.js';
import { renderLegend } from './colors.js';
import { CompareView } from './compare.js';
import { CurvesView, fmt } from './curves.js';
import { setupImport } from './import.js';
import { LiveClient } from './live.js';
import { COLOR_MODES, type ColorMode, ScatterView } from './scatter.js';
import { Scrubber, taskLabel } from './scrubber.js';
import { SessionList } from './sessions.js';
import { fromCoordinates, pointInfo, type SessionData, Store } from './state.js';

/**
 * Wiring: the live socket feeds the store; the store feeds the views; the URL fragment says
 * which view is open (`#session=ID` or `#compare=ID,ID`). Everything else lives in the modules.
 */

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

captureTokenFromUrl();
const api = new ApiClient();
const live = new LiveClient();
const store = new Store();
live.messages$.subscribe((m) => store.apply(m));

// ---- status: connection and computation progress
const connection = $('connection');
live.state$.subscribe((s) => {
  connection.className = `connection ${s.status}`;
  connection.textContent =
    s.status === 'open'
      ? 'live'
      : s.status === 'connecting'
        ? 'connecting…'
        : `offline, retrying in ${Math.round((s.retryInMs ?? 0) / 100) / 10} s`;
  connection.title = s.reason ?? '';
});
live.errors$.subscribe((m) => toast(m));

function toast(message: string, kind: 'error' | 'info' = 'error'): void {
  const el = $('toast');
  el.textContent = message;
  el.className = `toast ${kind}`;
  el.hidden = false;
  clearTimeout((toast as { timer?: number }).timer);
  (toast as { timer?: number }).timer = window.setTimeout(() => {
    el.hidden = true;
  }, 6000);
}

// ---- session list
const list = new SessionList($('session-list'), {
  open: (id) => navigate({ session: id }),
  rename: (id, name) => api.rename(id, name).catch((e: Error) => toast(`rename failed: ${e.message}`)),
  remove: (id, name) => {
    if (!window.confirm(`Delete session "${name}"? This cannot be undone.`)) return;
    api
      .remove(id)
      .then(() => {
        store.sessions$.next(store.sessions$.value.filter((s) => s.id !== id));
        if (currentId === id) navigate({});
      })
      .catch((e: Error) => toast(`delete failed: ${e.message}`));
  },
  exportFile: (id, name, what) => void exportFile(id, name, what),
  compareChanged: (ids) => {
    ($('compare-button') as HTMLButtonElement).disabled = ids.length < 2;
  },
});
store.sessions$.subscribe((sessions) => list.render(sessions));
$('compare-button').addEventListener('click', () => navigate({ compare: list.compareIds }));

async function exportFile(
  id: string,
  name: string,
  what: 'snapshot' | 'embedding.csv' | 'trace.npy',
): Promise<void> {
  try {
    const blob = await api.download(id, what);
    const base = name.replace(/[^\w.-]+/g, '_') || id;
    saveBlob(
      blob,
      what === 'snapshot' ? `${base}.mphate` : what === 'embedding.csv' ? `${base}.csv` : `${base}.npy`,
    );
  } catch (e) {
    toast(`export failed: ${(e as Error).message}`);
  }
}

// ---- the session view
let colorMode: ColorMode = 'slice';
const selectedUnits = new Set<number>();
let currentId: string | null = null;
let current: SessionData | null = null;
let viewSubscription: Subscription | null = null;

const tooltip = $('tooltip');
const scatter = new ScatterView($('scatter'), {
  onHover: (row, x, y) => {
    const detail = current?.detail;
    const embedding = current?.embedding;
    if (row === null || !detail || !embedding) {
      tooltip.hidden = true;
      return;
    }
    const p = pointInfo(detail, embedding, row);
    tooltip.textContent = `unit ${p.unit} (${p.layerName} #${p.layerUnit}) · slice ${p.slice} · epoch ${p.epoch ?? '?'}${
      p.task ? ` · ${taskLabel(p.task)}` : ''
    } · class ${p.className ?? '–'}`;
    tooltip.hidden = false;
    // Beside the point, kept inside the view.
    const host = $('scatter');
    const left = Math.max(4, Math.min(x + 12, host.clientWidth - tooltip.offsetWidth - 4));
    const top = y - tooltip.offsetHeight - 8 >= 4 ? y - tooltip.offsetHeight - 8 : y + 12;
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${top}px`;
  },
  onPick: (units) => {
    for (const u of units) selectedUnits.add(u);
    renderSelection();
    redraw();
  },
  onClear: () => clearSelection(),
  onDrawn: () => {
    if (scatter.legend) renderLegend($('legend'), scatter.legend);
  },
});
const scrubber = new Scrubber($('scrubber'));
const curves = new CurvesView($('curves'), (slice) => scrubber.set(slice));
scrubber.slice$.subscribe((s) => {
  curves.setMarker(s);
  redraw();
});
scrubber.mode$.subscribe(() => redraw());

for (const id of ['color-mode', 'compare-color-mode']) {
  const select = $<HTMLSelectElement>(id);
  for (const mode of COLOR_MODES) select.add(new Option(mode, mode));
  select.addEventListener('change', () => setColorMode(select.value as ColorMode));
}

function setColorMode(mode: ColorMode): void {
  colorMode = mode;
  $<HTMLSelectElement>('color-mode').value = mode;
  $<HTMLSelectElement>('compare-color-mode').value = mode;
  compare.setColorMode(mode);
  redraw();
}

$<HTMLInputElement>('lasso-toggle').addEventListener('change', (e) =>
  scatter.setLasso((e.target as HTMLInputElement).checked),
);
$('reset-view').addEventListener('click', () => scatter.resetView());
$<HTMLInputElement>('log-scale').addEventListener('change', (e) =>
  curves.setLogScale((e.target as HTMLInputElement).checked),
);
$('export-png').addEventListener('click', async () => {
  saveBlob(await scatter.png(), `${current?.detail?.name ?? 'mphate'}-${colorMode}.png`);
});
$('export-csv').addEventListener('click', () => {
  if (currentId) void exportFile(currentId, current?.detail?.name ?? currentId, 'embedding.csv');
});
$('export-snapshot').addEventListener('click', () => {
  if (currentId) void exportFile(currentId, current?.detail?.name ?? currentId, 'snapshot');
});
$('select-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $<HTMLInputElement>('select-unit');
  const unit = Number(input.value);
  const units = current?.detail?.units ?? 0;
  if (input.value === '' || !Number.isInteger(unit) || unit < 0 || unit >= units) {
    toast(`unit must be an integer from 0 to ${units - 1}`);
    return;
  }
  selectedUnits.add(unit);
  input.value = '';
  renderSelection();
  redraw();
});
$('clear-selection').addEventListener('click', () => clearSelection());

function clearSelection(): void {
  if (!selectedUnits.size) return;
  selectedUnits.clear();
  renderSelection();
  redraw();
}

function renderSelection(): void {
  const ul = $('selection-list');
  ul.replaceChildren();
  const detail = current?.detail;
  const embedding = current?.embedding;
  for (const u of [...selectedUnits].sort((a, b) => a - b)) {
    const li = document.createElement('li');
    let text = `unit ${u}`;
    if (detail && embedding) {
      const p = pointInfo(detail, embedding, u);
      text += ` · ${p.layerName} #${p.layerUnit}`;
    }
    li.append(text);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'small';
    remove.textContent = '×';
    remove.setAttribute('aria-label', `deselect unit ${u}`);
    remove.addEventListener('click', () => {
      selectedUnits.delete(u);
      renderSelection();
      redraw();
    });
    li.append(remove);
    ul.append(li);
  }
}

function redraw(): void {
  const detail = current?.detail;
  const embedding = current?.embedding;
  $('scatter-empty').hidden = Boolean(embedding);
  if (!detail || !embedding) return;
  scatter.update({
    detail,
    embedding,
    colorMode,
    scrubMode: scrubber.mode$.value,
    slice: Math.min(scrubber.slice$.value, embedding.slices - 1),
    selectedUnits,
  });
}

function renderHead(detail: SessionDetail, data: SessionData): void {
  $('session-name').textContent = detail.name;
  const status = $('session-status');
  status.textContent = detail.status;
  status.className = `badge ${detail.status}`;
  $('session-epochs').textContent = String(detail.epochs);
  $('session-slices').textContent = String(detail.slices);
  $('session-embedded').textContent =
    `${data.embedding?.slices ?? 0}${data.embedding?.final ? ' (final)' : ''}`;
  $('session-units').textContent = String(detail.units);
  $('session-points').textContent = (
    data.embedding ? data.embedding.slices * data.embedding.units : 0
  ).toLocaleString('en');
}

function renderProgress(data: SessionData | null): void {
  const box = $('progress');
  const p = data?.progress;
  const e = data?.embedding;
  // A progress message is stale once an embedding covering its slices has arrived.
  const done =
    !p || p.phase === 'idle' || p.fraction >= 1 || (e && e.slices >= p.slices && (e.final || !p.final));
  if (done) {
    box.hidden = !data?.embedding;
    box.querySelector('.progress-text')!.textContent = data?.embedding
      ? `embedding ${data.embedding.final ? 'final' : 'up to date'} (${data.embedding.slices} slices)`
      : '';
    box.querySelector('progress')!.value = 1;
    return;
  }
  box.hidden = false;
  box.querySelector('.progress-text')!.textContent =
    `${p.final ? 'final embedding' : 'embedding'}: ${p.phase} ${Math.round(
      p.fraction * 100,
    )}% (${p.slices} slices)`;
  box.querySelector('progress')!.value = p.fraction;
}

function openSession(id: string): void {
  if (currentId !== id) {
    if (currentId && !compare.ids.includes(currentId)) live.unfollow(currentId);
    viewSubscription?.unsubscribe();
    currentId = id;
    selectedUnits.clear();
    renderSelection();
    scatter.clear();
    curves.destroy();
    scrubber.pause();
    scrubber.setSlices(0, []);
    live.follow(id);
    viewSubscription = store.session$(id).subscribe((data) => {
      current = data;
      if (data.deleted) {
        toast('This session was deleted.', 'info');
        navigate({});
        return;
      }
      if (!data.detail) return;
      renderHead(data.detail, data);
      scrubber.setSlices(Math.max(data.detail.slices, data.embedding?.slices ?? 0), data.detail.logs);
      curves.update(data.detail);
      curves.setMarker(scrubber.slice$.value);
      renderProgress(data);
      redraw();
    });
    void loadOverRest(id);
  }
  list.setCurrent(id);
  show('session-view');
}

/** Fetches a session over REST when the live socket has not delivered it (yet). */
async function loadOverRest(id: string): Promise<void> {
  try {
    const detail = await api.session(id);
    if (!store.get(id).detail) store.setDetail(detail);
    if (!store.get(id).embedding && detail.embeddedSlices > 0 && live.state$.value.status !== 'open') {
      const embedding = fromCoordinates(detail, await api.embedding(id));
      if (embedding && !store.get(id).embedding) store.setEmbedding(id, embedding);
    }
  } catch (e) {
    toast(`could not load the session: ${(e as Error).message}`);
  }
}

// ---- compare
const compare = new CompareView(
  $('compare-grid'),
  $('compare-scrubber'),
  $<HTMLCanvasElement>('spread-chart'),
  store,
);
$('compare-close').addEventListener('click', () => navigate(currentId ? { session: currentId } : {}));

function openCompare(ids: string[]): void {
  for (const id of ids) {
    live.follow(id);
    if (!store.get(id).detail) void loadOverRest(id);
  }
  compare.show(ids);
  compare.setColorMode(colorMode);
  show('compare-view');
}

// ---- import
setupImport({
  dropTarget: document.body,
  fileInput: $<HTMLInputElement>('import-file'),
  upload: async (bytes, name) => {
    const id = await api.importFile(bytes);
    toast(`imported ${name}`, 'info');
    void refreshList();
    navigate({ session: id });
  },
  onError: (m) => toast(m),
});
$('import-button').addEventListener('click', () => $<HTMLInputElement>('import-file').click());

// ---- routing
function show(view: 'empty-view' | 'session-view' | 'compare-view'): void {
  for (const id of ['empty-view', 'session-view', 'compare-view']) $(id).hidden = id !== view;
}

function navigate(to: { session?: string; compare?: string[] }): void {
  const hash = to.session ? `#session=${to.session}` : to.compare ? `#compare=${to.compare.join(',')}` : '';
  if (window.location.hash !== hash) window.location.hash = hash;
  else route();
}

function route(): void {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const session = params.get('session');
  const ids = params.get('compare')?.split(',').filter(Boolean) ?? [];
  if (ids.length >= 2) {
    openCompare(ids.slice(0, 4));
    return;
  }
  compare.close();
  if (session) openSession(session);
  else {
    show('empty-view');
    list.setCurrent(null);
  }
}
window.addEventListener('hashchange', route);

// ---- keyboard
document.addEventListener('keydown', (e) => {
  const target = e.target as HTMLElement;
  // Shortcuts work everywhere but in fields that take text (a focused slider or checkbox is fine).
  const typing =
    target.closest('select, textarea, dialog') !== null ||
    (target instanceof HTMLInputElement && !['range', 'checkbox', 'button'].includes(target.type));
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  const scrub = $('compare-view').hidden ? scrubber : compare.scrubber;
  switch (e.key) {
    case '[':
      scrub.step(-1);
      break;
    case ']':
      scrub.step(1);
      break;
    case 'p':
      scrub.toggle();
      break;
    case 'c':
      setColorMode(COLOR_MODES[(COLOR_MODES.indexOf(colorMode) + 1) % COLOR_MODES.length]!);
      break;
    case '+':
    case '=':
      scatter.zoom(1.25);
      break;
    case '-':
      scatter.zoom(0.8);
      break;
    case '0':
      scatter.resetView();
      break;
    case 'l': {
      const box = $<HTMLInputElement>('lasso-toggle');
      box.checked = !box.checked;
      scatter.setLasso(box.checked);
      break;
    }
    case 'Escape':
      clearSelection();
      break;
    default:
      return;
  }
  e.preventDefault();
});
$('help-button').addEventListener('click', () => {
  const help = $('help');
  help.hidden = !help.hidden;
  $('help-button').setAttribute('aria-expanded', String(!help.hidden));
});

// ---- start
async function refreshList(): Promise<void> {
  try {
    store.sessions$.next(await api.sessions());
  } catch (e) {
    toast(`could not list sessions: ${(e as Error).message}`);
  }
}

live.start();
// A token typed in the dialog applies to the socket too.
window.addEventListener(TOKEN_CHANGED, () => live.restart());
void refreshList();
route();

/** Test hook: the state tests assert on (pixels are checked separately on the canvas). */
const hook = {
  store,
  live,
  scatter,
  scrubber,
  curves,
  compare,
  get colorMode() {
    return colorMode;
  },
  get selectedUnits() {
    return [...selectedUnits];
  },
  get sessionId() {
    return currentId;
  },
  setColorMode,
  fmt,
};
(window as unknown as { __mphate: typeof hook }).__mphate = hook;
store.sessions$
  .pipe(
    map((s) => s.length),
    distinctUntilChanged(),
  )
  .subscribe(() => document.body.setAttribute('data-sessions', String(store.sessions$.value.length)));
