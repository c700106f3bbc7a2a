// A worker thread of the offline image pool (./pool.ts): Tinypool calls the default export with
// each task. Built to dist/server/offline/image-worker.js as its own module (a library entry in
// vite.config.ts). The PNGs go back by structured clone: a copy of a few MB, not the drawing.
import { runImageTaskSync, type ImageTask, type ImageTaskResult } from './image-tasks';

export default function runTask(task: ImageTask): ImageTaskResult {
  return runImageTaskSync(task);
}
