// Join requests to a group that approves its members: approve a requester in every linked
// channel, otherwise tell them what to join and decline or leave the request pending (per
// setting); pending requests are remembered so the reconciliation can look again.
import { create, TelegramUserSchema, type JoinRequested, type TelegramUser } from '@nezuko/proto';
import { isProtected, type GroupConfig } from './domain/groups.ts';
import { decideJoinRequest, type JoinRequestFacts } from './domain/joinRequests.ts';
import type { GroupFeed } from './groupFeed.ts';
import type { MemberRecords } from './memberRecords.ts';
import type { MembershipChecker } from './membership.ts';
import type { Cause, Outbox } from './outbox.ts';

export interface JoinRequestFlowDeps {
  readonly groups: Pick<GroupFeed, 'get'>;
  readonly checker: MembershipChecker;
  readonly records: MemberRecords;
  readonly outbox: Outbox;
}

export function createJoinRequestFlow(deps: JoinRequestFlowDeps) {
  const { groups, checker, records, outbox } = deps;

  const decide = async (
    cause: Cause,
    group: GroupConfig,
    user: TelegramUser,
    userChatId: string,
    again: boolean,
  ) => {
    let facts: JoinRequestFacts = { eventId: cause.id, group, user, userChatId, again };
    for (;;) {
      const step = decideJoinRequest(facts);
      if (step.kind === 'lookup') {
        facts = {
          ...facts,
          membership: await checker.channels(group.botId, group.channels, user.id, again),
        };
        continue;
      }
      await outbox.actions(step.actions, cause);
      if (step.outcome === 'pending' && !again)
        await records.addJoinRequest(group.groupId, {
          userId: user.id,
          userChatId,
          firstName: user.firstName,
        });
      if (step.outcome !== 'pending') await records.forgetJoinRequest(group.groupId, user.id);
      return;
    }
  };

  return {
    async onJoinRequested(cause: Cause, event: JoinRequested) {
      const group = groups.get(event.groupId);
      if (!isProtected(group) || !event.user) return;
      await decide(cause, group, event.user, event.userChatId, false);
    },

    /** The reconciliation looks again at a request left pending. */
    async recheckJoinRequest(cause: Cause, group: GroupConfig, userId: string, userChatId: string) {
      await decide(cause, group, create(TelegramUserSchema, { id: userId }), userChatId, true);
    },
  };
}
