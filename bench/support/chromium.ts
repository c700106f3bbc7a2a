import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless, with the flags this workplace's closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Ratio formatting shared by every benchmark table. */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}
