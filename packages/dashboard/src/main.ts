import './style.css';
import { distinctUntilChanged, map } from 'rxjs';
import { ApiClient, saveBlob } from './api.js';
import { captureTokenFromUrl, TOKEN_CHANGED } from './auth.js';
import { CompareView } from './compare.js';
import { setupImport } from './import.js';
import { LiveClient } from './live.js';
import { MethodsPanel } from './methods-panel.js';
import { COLOR_MODES, type ColorMode } from './scatter/point-colors.js';
import { fromCoordinates, SessionCache } from './session-cache.js';
import { SessionView } from './session-view.js';
import { SessionList } from './sessions.js';

/**
 * Wiring: the live socket feeds the store; the store feeds the views; the URL fragment says
 * which view is open (`#session=ID` or `#compare=ID,ID`). Everything else lives in the modules.
 */

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

captureTokenFromUrl();
const api = new ApiClient();
const live = new LiveClient();
const store = new SessionCache();
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
        if (view.currentId === id) navigate({});
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
const view = new SessionView({
  store,
  toast,
  exportFile: (id, name, what) => void exportFile(id, name, what),
  embed: (id) => api.embed(id),
  onModes: (modes) => offerModes('color-mode', modes),
  onDeleted: () => navigate({}),
});

for (const id of ['color-mode', 'compare-color-mode']) {
  const select = $<HTMLSelectElement>(id);
  for (const mode of COLOR_MODES) select.add(new Option(mode, mode));
  select.addEventListener('change', () => setColorMode(select.value as ColorMode));
}

/** The modes each view offers (`task` only when its sessions have tasks). */
const offered: Record<string, ColorMode[]> = {
  'color-mode': [...COLOR_MODES],
  'compare-color-mode': [...COLOR_MODES],
};

function offerModes(selectId: 'color-mode' | 'compare-color-mode', modes: ColorMode[]): void {
  offered[selectId] = modes;
  const select = $<HTMLSelectElement>(selectId);
  for (const option of select.options)
    option.hidden = option.disabled = !modes.includes(option.value as ColorMode);
  const visible = selectId === 'color-mode' ? !$('session-view').hidden : !$('compare-view').hidden;
  if (visible && !modes.includes(colorMode)) setColorMode('slice');
}

function setColorMode(mode: ColorMode): void {
  colorMode = mode;
  $<HTMLSelectElement>('color-mode').value = mode;
  $<HTMLSelectElement>('compare-color-mode').value = mode;
  compare.setColorMode(mode);
  view.setColorMode(mode);
  methods.setColorMode(mode);
}

function openSession(id: string): void {
  const previous = view.currentId;
  if (previous !== id) {
    if (previous && !compare.ids.includes(previous)) live.unfollow(previous);
    live.follow(id);
    view.open(id);
    methods.open(id);
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

// ---- the comparison methods of the open session
const methods = new MethodsPanel($('methods-panel'), api, store, view.scrubber, (m) => toast(m));

// ---- compare
const compare = new CompareView(
  $('compare-grid'),
  $('compare-scrubber'),
  $<HTMLCanvasElement>('spread-chart'),
  store,
  (modes) => offerModes('compare-color-mode', modes),
);
$('compare-close').addEventListener('click', () =>
  navigate(view.currentId ? { session: view.currentId } : {}),
);

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
  const scrub = $('compare-view').hidden ? view.scrubber : compare.scrubber;
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
    case 'c': {
      const modes = offered[$('compare-view').hidden ? 'color-mode' : 'compare-color-mode']!;
      setColorMode(modes[(modes.indexOf(colorMode) + 1) % modes.length]!);
      break;
    }
    case '+':
    case '=':
      view.scatter.zoom(1.25);
      break;
    case '-':
      view.scatter.zoom(0.8);
      break;
    case '0':
      view.scatter.resetView();
      break;
    case 'l':
      view.toggleLasso();
      break;
    case 'Escape':
      view.clearSelection();
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
  scatter: view.scatter,
  scrubber: view.scrubber,
  curves: view.curves,
  compare,
  methods,
  get colorMode() {
    return colorMode;
  },
  get selectedUnits() {
    return [...view.selectedUnits];
  },
  get sessionId() {
    return view.currentId;
  },
  setColorMode,
  figureSvg: () => view.figureSvg(),
  /** The replay video as base64 (the test decodes and counts it). */
  async recordVideo(): Promise<string | null> {
    const blob = await view.recordVideo();
    if (!blob) return null;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  },
};
(window as unknown as { __mphate: typeof hook }).__mphate = hook;
store.sessions$
  .pipe(
    map((s) => s.length),
    distinctUntilChanged(),
  )
  .subscribe(() => document.body.setAttribute('data-sessions', String(store.sessions$.value.length)));
