// The self-contained file for a plain <script type="module">: the same element, with React bundled.
// Its React is private to this module graph, so a host page running its own React (any version)
// never meets it.
import { defineParlanceChat } from './element';

export { ParlanceChatElement, defineParlanceChat } from './element';
export { DEFAULT_STORAGE_KEY } from './contract';

// Called here, not only in index.ts: the package's `sideEffects` list is about dist, and a
// bundler may drop a bare call in a re-exported module of a side-effect-free package.
defineParlanceChat();
