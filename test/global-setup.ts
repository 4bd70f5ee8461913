import { existsSync } from 'node:fs';
import { chromiumPath } from './helpers/browser.js';

/** Fails the run at once, with the fix, when the browser the tests need is missing. */
export default function setup(): void {
  const path = chromiumPath();
  if (!existsSync(path)) {
    throw new Error(
      `The browser tests need Chromium at ${path} and it is missing.\n` +
        '  Debian/Ubuntu: apt-get install -y chromium   (as root; .ci/run does this)\n' +
        '  Elsewhere: set MPHATE_CHROMIUM=/path/to/chromium-or-chrome',
    );
  }
}
