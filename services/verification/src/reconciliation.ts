// Catches what Telegram did not tell: a member who left a channel while Nezuko missed the
// update keeps writing until their cached answer expires and they happen to write. Each
// tick re-checks (without the cache) members who passed a check and are due again, and
// looks again at join requests left pending; at most `batch` of each per tick over all
// groups, so the Telegram calls it costs stay bounded. Members not seen for the active
// window are dropped. Replicas may run it side by side: a member taken by one is
// rescheduled before being checked, so the other does not find them due.
import type { Logger } from '@nezuko/kit';
import { isProtected, type GroupConfig } from './domain/groups.ts';
import type { Enforcement } from './enforcement.ts';
import type { GroupFeed } from './groupFeed.ts';
import type { MemberRecords } from './memberRecords.ts';

export interface ReconciliationDeps {
  readonly groups: Pick<GroupFeed, 'all'>;
  readonly records: MemberRecords;
  readonly enforcement: Pick<Enforcement, 'recheck' | 'recheckJoinRequest'>;
  readonly logger: Logger;
  readonly batch: number;
  readonly recheckAfterMs: number;
  readonly activeWindowMs: number;
}

export function createReconciliation(deps: ReconciliationDeps) {
  const { records, enforcement } = deps;

  /** Re-checks up to `limit` of the group's members who are due; returns how many it took. */
  const recheckDue = async (group: GroupConfig, nowMs: number, limit: number) => {
    let taken = 0;
    for (const userId of await records.dueRechecks(group.groupId, nowMs, limit)) {
      taken += 1;
      if (await records.dropInactive(group.groupId, userId, nowMs - deps.activeWindowMs)) continue;
      await records.scheduleRecheck(group.groupId, userId, nowMs + deps.recheckAfterMs);
      await enforcement.recheck(
        {
          id: `reconcile:${group.groupId}:${userId}:${nowMs}`,
          correlationId: `reconcile:${nowMs}`,
        },
        group,
        userId,
      );
    }
    return taken;
  };

  return {
    /**
     * An admin's reverify_group: every member of the group seen within the active window is
     * due now; the first batch is re-checked at once, the rest by the next ticks (the same
     * cap per tick as always). Returns how many are due and how many were checked now.
     */
    async recheckGroupNow(group: GroupConfig, nowMs: number) {
      const due = await records.makeActiveDue(group.groupId, nowMs - deps.activeWindowMs, nowMs);
      const checked = await recheckDue(group, nowMs, deps.batch);
      return { due, checked };
    },

    /** One tick; returns how many members and join requests it looked at. */
    async tick(nowMs: number): Promise<number> {
      let budget = deps.batch;
      let requestBudget = deps.batch;
      for (const group of deps.groups.all()) {
        if (!isProtected(group)) continue;
        if (budget > 0) budget -= await recheckDue(group, nowMs, budget);
        if (requestBudget > 0) {
          for (const request of await records.joinRequests(group.groupId, requestBudget)) {
            requestBudget -= 1;
            await enforcement.recheckJoinRequest(
              {
                id: `joinreq:${group.groupId}:${request.userId}:${nowMs}`,
                correlationId: `reconcile:${nowMs}`,
              },
              group,
              request.userId,
              request.userChatId,
            );
          }
        }
      }
      const done = 2 * deps.batch - budget - requestBudget;
      if (done > 0) deps.logger.debug({ done }, 'reconciliation tick');
      return done;
    },
  };
}

export type Reconciliation = ReturnType<typeof createReconciliation>;
