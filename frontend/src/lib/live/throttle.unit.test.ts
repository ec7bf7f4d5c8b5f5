import { describe, expect, it } from 'vitest';
import { throttle, type Timers } from './throttle.ts';

function fakeTimers() {
  let now = 0;
  const pending: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      pending.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = pending.findIndex((p) => p.id === id);
      if (i !== -1) pending.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const p of pending.filter((p) => p.at <= now)) {
      pending.splice(pending.indexOf(p), 1);
      p.fn();
    }
  };
  return { timers, advance };
}

describe('throttle', () => {
  it('runs the first request at once and collapses a burst into one trailing run', () => {
    const { timers, advance } = fakeTimers();
    let runs = 0;
    const refresh = throttle(() => runs++, 2_000, timers);
    refresh.request();
    expect(runs).toBe(1);
    advance(100);
    refresh.request();
    refresh.request();
    advance(500);
    refresh.request();
    expect(runs).toBe(1);
    advance(1_400);
    expect(runs).toBe(2);
    advance(5_000);
    expect(runs).toBe(2);
  });

  it('runs at once again after a quiet interval', () => {
    const { timers, advance } = fakeTimers();
    let runs = 0;
    const refresh = throttle(() => runs++, 2_000, timers);
    refresh.request();
    advance(2_500);
    refresh.request();
    expect(runs).toBe(2);
  });

  it('drops a pending run when cancelled', () => {
    const { timers, advance } = fakeTimers();
    let runs = 0;
    const refresh = throttle(() => runs++, 2_000, timers);
    refresh.request();
    refresh.request();
    refresh.cancel();
    advance(10_000);
    expect(runs).toBe(1);
  });
});
