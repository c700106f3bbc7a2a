// One worker per encoding, each importing its ranks statically: no code splitting inside the
// worker, so it builds with any bundler worker format (Vite's default `iife` included).
import { Tiktoken } from 'js-tiktoken/lite';
import ranks from 'js-tiktoken/ranks/cl100k_base';

import { countWith } from './encoder';
import { serveCounts } from './worker-protocol';

serveCounts(self as never, countWith(new Tiktoken(ranks)));
