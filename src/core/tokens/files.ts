/** The token estimate of one `file` part (a PDF). */
export interface FileTokenCost {
  tokens: number;
  /** Always true: OpenAI does not publish how a PDF is counted. */
  isApproximate: true;
  /** The pages found in the file, or `undefined` when they could not be counted. */
  pages: number | undefined;
}

/**
 * What one PDF page costs, estimated: OpenAI puts both an image of each page and its extracted
 * text in the context. The image is charged like a `high`-detail image of a page (a letter or A4
 * page fits 2×2 tiles: 85 + 4 × 170 = 765); the text, a typical page's, about 500 tokens.
 */
export const PDF_PAGE_TOKENS = 765 + 500;

// A PDF whose page objects are compressed (object streams) shows no `/Type /Page`: about one page
// per 100 KB is charged then.
const BYTES_PER_PAGE_GUESS = 100 * 1024;
const MAX_SCAN_CHARS = 16 * 1024 * 1024;

const cache = new Map<string, FileTokenCost>();

/**
 * The estimated prompt tokens of a PDF sent as a `file` part with `file_data` (a
 * `data:application/pdf;base64,…` URL): {@link PDF_PAGE_TOKENS} per page, the pages counted from
 * the file's page objects. Always flagged approximate. A `file_id` (an uploaded file) counts as one
 * page.
 *
 * @example
 * fileTokens({ filename: 'a.pdf', file_data: 'data:application/pdf;base64,…' }) // { tokens: 2530, pages: 2, … }
 */
export function fileTokens(file: { file_data?: string; file_id?: string }): FileTokenCost {
  const data = file.file_data;
  if (typeof data !== 'string' || data === '')
    return { tokens: PDF_PAGE_TOKENS, isApproximate: true, pages: undefined };
  const cached = cache.get(data);
  if (cached) return cached;
  const comma = data.indexOf(',');
  const base64 = (comma === -1 ? data : data.slice(comma + 1))
    .slice(0, MAX_SCAN_CHARS)
    .replace(/[^A-Za-z0-9+/]/g, '');
  let pages: number | undefined;
  let bytes = Math.floor((base64.length * 3) / 4);
  try {
    const binary = atob(base64.slice(0, base64.length & ~3));
    bytes = binary.length;
    const found = binary.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
    pages = found > 0 ? found : undefined;
  } catch {
    pages = undefined;
  }
  const result: FileTokenCost = {
    tokens: PDF_PAGE_TOKENS * (pages ?? Math.max(1, Math.ceil(bytes / BYTES_PER_PAGE_GUESS))),
    isApproximate: true,
    pages,
  };
  if (cache.size >= 16) cache.delete(cache.keys().next().value!);
  cache.set(data, result);
  return result;
}
