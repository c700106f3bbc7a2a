// Vite 8 + React 19 + the latest React Query 5: build, preview and dev, against the reference
// server from the installed package.
import { viteAppSuite } from './support/vite-app';

viteAppSuite('vite-react19', { quickStart: true });
