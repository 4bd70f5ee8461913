import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium unless MPHATE_CHROMIUM says otherwise. Never a downloaded browser. */
export function chromiumPath(): string {
  return process.env.MPHATE_CHROMIUM ?? '/usr/bin/chromium';
}

/** Headless Chromium with the flags this closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
