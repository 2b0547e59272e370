/**
 * A headless Chromium for the dashboard tests and benchmark: Debian's `chromium` package driven by
 * `playwright-core` (which downloads no browser of its own). `MAML_CHROMIUM` names another binary. Without one the
 * tests skip with the reason, unless MAML_REQUIRE_TOOLS makes that a failure (CI installs it).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { needTool } from './tools.js';

export const CHROMIUM = process.env['MAML_CHROMIUM'] ?? '/usr/bin/chromium';

export const NEEDS_CHROMIUM: string | false = needTool(
  existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`,
);

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: Chromium's own sandbox cannot start as root (CI runs as root); the pages are our own.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}
