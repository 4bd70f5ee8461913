import type { SessionSummary } from '@mphate/protocol';
import { fmt } from './curves.js';

/**
 * The session list: live and finished sessions with name, epochs, units and final losses. Each
 * row opens its session and offers rename, delete, snapshot and CSV export; check boxes pick
 * two to four sessions to compare.
 */

export interface SessionListActions {
  open(id: string): void;
  rename(id: string, name: string): void;
  remove(id: string, name: string): void;
  exportFile(id: string, name: string, what: 'snapshot' | 'embedding.csv' | 'trace.npy'): void;
  compareChanged(ids: string[]): void;
}

export const MAX_COMPARE = 4;

export class SessionList {
  private readonly picked = new Set<string>();
  private current: string | null = null;
  private sessions: SessionSummary[] = [];
  /** True while a row's name is a text field; `pending` is the list update that waits for it. */
  private renaming = false;
  private pending: SessionSummary[] | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly actions: SessionListActions,
  ) {}

  get compareIds(): string[] {
    return this.sessions.filter((s) => this.picked.has(s.id)).map((s) => s.id);
  }

  setCurrent(id: string | null): void {
    this.current = id;
    for (const li of this.host.querySelectorAll<HTMLElement>('li.session')) {
      li.classList.toggle('current', li.dataset.id === id);
    }
  }

  render(sessions: SessionSummary[]): void {
    // A list update while a name is being typed waits for Enter or Escape: redrawing the rows
    // would take the text field, and what was typed, away.
    if (this.renaming) {
      this.pending = sessions;
      return;
    }
    this.sessions = [...sessions].sort((a, b) => b.createdAt - a.createdAt);
    for (const id of [...this.picked]) if (!sessions.some((s) => s.id === id)) this.picked.delete(id);
    this.host.replaceChildren(...this.sessions.map((s) => this.row(s)));
    if (!this.sessions.length) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = 'No sessions yet. Start a training with the callback, or drop a snapshot here.';
      this.host.append(li);
    }
    this.actions.compareChanged(this.compareIds);
  }

  private row(s: SessionSummary): HTMLLIElement {
    const li = document.createElement('li');
    li.className = 'session';
    li.dataset.id = s.id;
    li.classList.toggle('current', s.id === this.current);
    const loss = s.finalLogs.loss;
    const valLoss = s.finalLogs.val_loss;
    const metrics = [
      started(s.createdAt),
      plural(s.epochs, 'epoch'),
      plural(s.units, 'unit'),
      plural(s.slices, 'slice'),
      ...(loss !== undefined ? [`loss ${fmt(loss)}`] : []),
      ...(valLoss !== undefined ? [`val ${fmt(valLoss)}`] : []),
    ];
    li.innerHTML = `
      <div class="session-line">
        <input type="checkbox" class="pick" />
        <button type="button" class="open link"></button>
        <span class="badge"></span>
      </div>
      <div class="session-meta"></div>
      <div class="session-actions">
        <button type="button" class="rename small">rename</button>
        <button type="button" class="snapshot small">snapshot</button>
        <button type="button" class="csv small">CSV</button>
        <button type="button" class="npy small">.npy</button>
        <button type="button" class="delete small danger">delete</button>
      </div>`;
    const pick = li.querySelector<HTMLInputElement>('.pick')!;
    pick.checked = this.picked.has(s.id);
    pick.setAttribute('aria-label', `compare ${s.name}`);
    pick.addEventListener('change', () => {
      if (pick.checked && this.picked.size >= MAX_COMPARE) {
        pick.checked = false;
        return;
      }
      if (pick.checked) this.picked.add(s.id);
      else this.picked.delete(s.id);
      this.actions.compareChanged(this.compareIds);
    });
    const open = li.querySelector<HTMLButtonElement>('.open')!;
    open.textContent = s.name;
    open.title = `${s.name}\n${s.id}`;
    open.addEventListener('click', () => this.actions.open(s.id));
    const badge = li.querySelector<HTMLElement>('.badge')!;
    badge.textContent = s.status;
    badge.classList.add(s.status);
    li.querySelector('.session-meta')!.textContent = metrics.join(' · ');
    li.querySelector('.rename')!.addEventListener('click', () => this.startRename(li, s));
    li.querySelector('.delete')!.addEventListener('click', () => this.actions.remove(s.id, s.name));
    li.querySelector('.snapshot')!.addEventListener('click', () =>
      this.actions.exportFile(s.id, s.name, 'snapshot'),
    );
    li.querySelector('.csv')!.addEventListener('click', () =>
      this.actions.exportFile(s.id, s.name, 'embedding.csv'),
    );
    li.querySelector('.npy')!.addEventListener('click', () =>
      this.actions.exportFile(s.id, s.name, 'trace.npy'),
    );
    return li;
  }

  /** Swaps the name for a text field: Enter saves, Escape cancels. */
  private startRename(li: HTMLElement, s: SessionSummary): void {
    const open = li.querySelector<HTMLButtonElement>('.open')!;
    const input = document.createElement('input');
    input.type = 'text';
    input.className = 'rename-input';
    input.value = s.name;
    input.setAttribute('aria-label', 'New name');
    open.replaceWith(input);
    this.renaming = true;
    input.focus();
    input.select();
    let done = false;
    const finish = (save: boolean): void => {
      if (done) return;
      done = true;
      input.replaceWith(open);
      const name = input.value.trim();
      const saved = save && name !== '' && name !== s.name;
      if (saved) {
        open.textContent = name;
        // Exports from this row use the new name at once, before the server's list push arrives.
        s.name = name;
        this.actions.rename(s.id, name);
      }
      open.focus();
      this.renaming = false;
      const pending = this.pending;
      this.pending = null;
      // the update that waited may predate the rename: it shows the new name too
      if (pending) this.render(saved ? pending.map((p) => (p.id === s.id ? { ...p, name } : p)) : pending);
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') finish(true);
      if (e.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => finish(true));
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** When the session started, short: "Dec 1 21:22". */
function started(ms: number): string {
  const d = new Date(ms);
  const month = d.toLocaleString('en', { month: 'short' });
  return `${month} ${d.getDate()} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
