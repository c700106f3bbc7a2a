import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/**
 * Debian's Chromium (never a downloaded browser), headless, with the flags this machine's closed
 * network needs. One definition for Vitest's browser projects, the end-to-end tests and the
 * benchmarks.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
} satisfies LaunchOptions;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions, headless: true });
}
