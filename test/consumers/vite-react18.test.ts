// Vite 8 with the oldest supported peers: React 18.2.0, react-dom 18.2.0, React Query 5.0.0.
import { viteAppSuite } from './support/vite-app';

viteAppSuite('vite-react18');
