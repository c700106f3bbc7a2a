import MiniSearch from 'minisearch';

/** A Markdown document offline chat can answer from. */
export interface OfflineDocument {
  /** Where it comes from, shown in the answer, such as `docs/use-chat.md`. */
  path: string;
  /** Its Markdown text. */
  text: string;
}

/** One heading's section of a document: the unit retrieval returns. */
export interface DocSection {
  id: number;
  path: string;
  /** The heading chain, such as `useChat › Stopping`. */
  title: string;
  /** The section's Markdown, its heading excluded. */
  body: string;
}

/** Splits Markdown at headings (outside code fences) into sections with their heading chain. */
export function splitSections(doc: OfflineDocument, firstId = 0): DocSection[] {
  const sections: DocSection[] = [];
  const chain: string[] = [];
  let lines: string[] = [];
  let inFence = false;
  const flush = () => {
    const body = lines.join('\n').trim();
    if (body)
      sections.push({
        id: firstId + sections.length,
        path: doc.path,
        title: chain.filter(Boolean).join(' › ') || doc.path,
        body,
      });
    lines = [];
  };
  for (const line of doc.text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^(#{1,4})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const depth = heading[1]!.length;
      chain.length = depth;
      chain[depth - 1] = heading[2]!.replace(/`/g, '');
    } else {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

// Question words carry no topic: without this list, "what does X return" matches every heading
// with "returns" in it better than the sections about X.
const STOP_WORDS = new Set(
  'a an and are as at be but by can do does for from how i if in into is it its me my of on or so that the their then there these this to was we what when where which who why will with you your'.split(
    ' ',
  ),
);

/**
 * How much of a question retrieval reads: its first 1,000 characters, split into at most 64 terms
 * of at most 32 characters. A message can be 4 MB; a question about the docs is a few words, and
 * no word in them is longer than 32 characters.
 */
export const MAX_QUERY_CHARS = 1_000;
export const MAX_QUERY_TERMS = 64;
export const MAX_TERM_CHARS = 32;
/**
 * Fuzzy matching (edit distance up to 20% of the term) only for terms up to 12 characters: its
 * cost grows with the term's length times the distance, and a long term is a name or noise, which
 * prefix matching serves.
 */
export const MAX_FUZZY_TERM_CHARS = 12;

const tokenizeDefault = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** The search terms of `query`, bounded as {@link MAX_QUERY_CHARS} says. */
export function queryTerms(query: string): string[] {
  return tokenizeDefault(query.slice(0, MAX_QUERY_CHARS))
    .filter(Boolean)
    .slice(0, MAX_QUERY_TERMS)
    .map((term) => Array.from(term).slice(0, MAX_TERM_CHARS).join(''));
}

/**
 * A full-text index over documentation sections (MiniSearch: BM25, prefix and fuzzy matching),
 * with the query bounded so that any message answers in milliseconds.
 */
export class DocsIndex {
  readonly #search: MiniSearch<DocSection>;
  readonly #sections: DocSection[] = [];

  constructor(documents: readonly OfflineDocument[]) {
    for (const doc of documents) this.#sections.push(...splitSections(doc, this.#sections.length));
    this.#search = new MiniSearch<DocSection>({
      fields: ['title', 'body'],
      storeFields: ['id'],
      processTerm: (term) => {
        const lower = term.toLowerCase();
        return STOP_WORDS.has(lower) ? null : lower;
      },
      searchOptions: {
        boost: { title: 2 },
        tokenize: queryTerms,
        prefix: true,
        fuzzy: (term) => (term.length <= MAX_FUZZY_TERM_CHARS ? 0.2 : false),
        combineWith: 'OR',
      },
    });
    this.#search.addAll(this.#sections);
  }

  /** How many sections are indexed. */
  get size(): number {
    return this.#sections.length;
  }

  /** The distinct document titles (first heading of each path), for a "what I know" answer. */
  topics(): string[] {
    const seen = new Map<string, string>();
    for (const s of this.#sections) if (!seen.has(s.path)) seen.set(s.path, s.title.split(' › ')[0]!);
    return [...seen.entries()].map(([path, title]) => `${title} (\`${path}\`)`);
  }

  /** The best sections for `query`, best first. */
  search(query: string, limit = 2): DocSection[] {
    if (!query.trim()) return [];
    return this.#search
      .search(query)
      .slice(0, limit)
      .map((hit) => this.#sections[hit.id as number]!);
  }
}
