// @vitest-environment node
// When a streaming reply is published: frame-aligned, at most once per throttle, the first chunk
// after a quiet moment in the very next frame.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import { DEFAULT_THROTTLE_MS, FlushScheduler } from '../../../src/core/chat/stream-buffer';

let clock = 0;
let callbacks: (() => void)[] = [];
let flushCount = 0;

/** Runs one animation frame at `time` ms. */
function frame(time: number) {
  clock = time;
  const run = callbacks;
  callbacks = [];
  for (const cb of run) cb();
}

beforeEach(() => {
  clock = 0;
  callbacks = [];
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  vi.stubGlobal('requestAnimationFrame', (cb: () => void) => callbacks.push(cb));
  vi.stubGlobal('cancelAnimationFrame', () => {
    callbacks = [];
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/** A chunk arrives every `every` ms and frames run at 60 Hz for `ms`: the frames that flushed. */
function stream(scheduler: FlushScheduler, throttle: Parameters<FlushScheduler['schedule']>[0], ms: number) {
  const flushed: number[] = [];
  const frameMs = 1000 / 60;
  let nextFrame = frameMs;
  for (let t = 0; t < ms; t += 4) {
    if (t >= nextFrame) {
      const before = flushCount;
      frame(nextFrame);
      if (flushCount > before) flushed.push(Math.round(nextFrame));
      nextFrame += frameMs;
    }
    clock = t;
    scheduler.schedule(throttle);
  }
  return flushed;
}

describe('FlushScheduler', () => {
  test('by default publishes in every other 60 Hz frame, the first chunk in the next frame', () => {
    flushCount = 0;
    const scheduler = new FlushScheduler(() => flushCount++);
    const flushed = stream(scheduler, undefined, 300);
    expect(DEFAULT_THROTTLE_MS).toBe(32);
    // The first frame after the first chunk, then every second frame (33 ms apart).
    expect(flushed[0]).toBe(17);
    const gaps = flushed.slice(1).map((t, i) => t - flushed[i]!);
    expect(gaps.every((gap) => gap >= 33 && gap <= 34)).toBe(true);
    expect(flushed.length).toBeGreaterThanOrEqual(8);
  });

  test("'frame' publishes in every frame", () => {
    flushCount = 0;
    const scheduler = new FlushScheduler(() => flushCount++);
    const flushed = stream(scheduler, 'frame', 200);
    const gaps = flushed.slice(1).map((t, i) => t - flushed[i]!);
    expect(gaps.every((gap) => gap >= 16 && gap <= 17)).toBe(true);
  });

  test('a commit counts as a publication: the next chunk waits for the throttle', () => {
    flushCount = 0;
    const scheduler = new FlushScheduler(() => flushCount++);
    clock = 100;
    scheduler.cancel();
    scheduler.schedule(50);
    frame(117);
    frame(133);
    expect(flushCount).toBe(0);
    frame(150);
    expect(flushCount).toBe(1);
  });

  test('throttle 0 publishes at once', () => {
    flushCount = 0;
    const scheduler = new FlushScheduler(() => flushCount++);
    scheduler.schedule(0);
    expect(flushCount).toBe(1);
  });
});
