// Group titles for live pushes, from the read model, cached: a burst of decisions in one
// group costs one query. The cache is dropped whenever the groups model changes.
import type { Database } from '@nezuko/analytics-projector/read-model';
import type { Kysely } from 'kysely';
import { groupTitle } from '../queries/dashboard.ts';

export interface GroupTitles {
  lookup(groupId: string): Promise<string | null>;
  invalidate(): void;
}

export function groupTitleCache(
  db: Kysely<Database>,
  options: { ttlMs?: number; maxEntries?: number } = {},
): GroupTitles {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, { title: string | null; until: number }>();
  return {
    async lookup(groupId) {
      const hit = cache.get(groupId);
      if (hit && hit.until > Date.now()) return hit.title;
      let title: string | null = null;
      let until = Date.now() + ttlMs;
      try {
        title = await groupTitle(db, groupId);
      } catch {
        // A push without a title beats a stalled feed; try again soon.
        until = Date.now() + 5000;
      }
      if (cache.size >= maxEntries) cache.clear();
      cache.set(groupId, { title, until });
      return title;
    },
    invalidate: () => cache.clear(),
  };
}
