// One worker per encoding, each importing its ranks statically: no code splitting inside the
// worker, so it builds with any bundler worker format (Vite's default `iife` included).
import { createCounter } from './encoder';
import ranks from './ranks/o200k_base';
import { serveCounts } from './worker-protocol';

serveCounts(self as never, createCounter(ranks));
