// Tables and charts reload when the projector says a read model they show changed. A burst
// of notices costs one reload per interval; the server load re-reads what the URL says.
import { invalidateAll } from '$app/navigation';
import type { LiveConnection } from '../live/liveConnection.svelte.ts';
import { browserTimers, throttle } from '../live/throttle.ts';

/**
 * Watches `model:<name>` for each of `models`, reloading at most every `intervalMs`;
 * returns the teardown.
 */
export function reloadOnModelChange(
  live: LiveConnection,
  models: readonly string[],
  intervalMs = 1_500,
): () => void {
  const reload = throttle(() => void invalidateAll(), intervalMs, browserTimers);
  const stop = live.watch(
    models.map((m) => `model:${m}`),
    {
      modelChanged(model) {
        if (models.includes(model)) reload.request();
      },
    },
  );
  return () => {
    stop();
    reload.cancel();
  };
}
