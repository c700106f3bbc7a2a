export { launchChromium } from '../../test/support/chromium';

/** Ratio formatting shared by every benchmark table. */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}
