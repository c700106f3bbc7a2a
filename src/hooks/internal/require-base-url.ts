import { ConfigurationError } from '../../core';

/**
 * The `baseUrl` a hook sends to, or a {@link ConfigurationError} that says how to give one.
 * Without it a request would go to a path relative to the page and fail far from the cause
 * (an HTML page, a 404, or nothing shown at all), so a hook calls this while rendering: the
 * error appears at once, on the server as in the browser, with the component that lacks it.
 */
export function requireBaseUrl(baseUrl: string | undefined, hook: string): string {
  if (baseUrl !== undefined && baseUrl.trim() !== '') return baseUrl;
  const what = baseUrl === undefined ? 'no baseUrl' : 'an empty baseUrl';
  throw new ConfigurationError(
    `${hook} has ${what}: wrap the app in <ParlanceProvider baseUrl="https://…/v1"> or pass baseUrl ` +
      `to ${hook}. It is an OpenAI-style base URL ending in /v1 (the reference server's is ` +
      `http://127.0.0.1:8787/v1); without one, requests would go to a path relative to the page.`,
    { option: 'baseUrl' },
  );
}
