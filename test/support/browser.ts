import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium: playwright-core drives it, and nothing is downloaded at install. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium for the sandbox's browser tests and bench. Without it they fail, saying how to
 * get it: they are never skipped (CI installs it, see .ci/run).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM}. Install it with: sudo apt-get update && sudo apt-get install -y chromium (Debian or Ubuntu; see the README, "Try it").`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}
