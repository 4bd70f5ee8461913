/**
 * The server's token, when it has one. The server prints the page's URL with `#token=...`; the
 * page keeps the token in sessionStorage (per tab, gone when the tab closes) and removes it from
 * the address bar so it does not end up in bookmarks or screenshots.
 */
const KEY = 'mphate-token';

/** Reads `#token=...` (once, at start-up), stores it and strips it from the URL. */
export function captureTokenFromUrl(): void {
  const hash = window.location.hash.replace(/^#/, '');
  const params = new URLSearchParams(hash);
  const token = params.get('token');
  if (token === null) return;
  setToken(token);
  params.delete('token');
  const rest = params.toString();
  history.replaceState(
    null,
    '',
    `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`,
  );
}

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

/** Fired on window when the user entered a new token (the live socket reconnects with it). */
export const TOKEN_CHANGED = 'mphate-token-changed';

export function setToken(token: string): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}

/** Shows the token dialog and resolves with what the user typed (or null when cancelled). */
export function askForToken(message = 'This server needs a token.'): Promise<string | null> {
  const dialog = document.getElementById('token-dialog') as HTMLDialogElement;
  const input = dialog.querySelector('input') as HTMLInputElement;
  const text = dialog.querySelector('.token-message') as HTMLElement;
  text.textContent = message;
  input.value = '';
  return new Promise((resolve) => {
    const done = (): void => {
      dialog.removeEventListener('close', done);
      const value = dialog.returnValue === 'ok' ? input.value.trim() : '';
      if (value) {
        setToken(value);
        window.dispatchEvent(new Event(TOKEN_CHANGED));
      }
      resolve(value || null);
    };
    dialog.addEventListener('close', done);
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
}
