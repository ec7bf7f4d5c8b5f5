// Runs a task at most once per interval however often it is requested: the first request
// runs at once, requests during the quiet period collapse into one run at its end. Used
// so a burst of verifications costs one stats refetch, not one per event.

export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  now: () => number;
}

export interface Throttled {
  request(): void;
  cancel(): void;
}

export function throttle(task: () => void, intervalMs: number, timers: Timers): Throttled {
  let lastRun = -Infinity;
  let timer: unknown = null;

  const run = () => {
    timer = null;
    lastRun = timers.now();
    task();
  };

  return {
    request() {
      if (timer !== null) return;
      const wait = lastRun + intervalMs - timers.now();
      if (wait <= 0) run();
      else timer = timers.setTimeout(run, wait);
    },
    cancel() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
  };
}

export const browserTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};
