// Join requests to a protected group that uses approval links, pure: approve who has
// joined every linked channel; tell the others (in their private chat with the bot, which
// Telegram opens for a requester) which channels are missing, with a join button each,
// then decline or leave the request pending as the group's settings say. A pending
// request is approved by the periodic reconciliation once the channels are joined.
import type { TelegramAction, TelegramUser } from '@nezuko/proto';
import { joinButtons } from './decide.ts';
import {
  actionsFor,
  channelName,
  failedChecks,
  missingChannels,
  telegramServiceUserId,
  type MembershipFacts,
} from './facts.ts';
import type { GroupConfig } from './groups.ts';
import { textsFor } from './texts.ts';

export interface JoinRequestFacts {
  readonly eventId: string;
  readonly group: GroupConfig;
  readonly user: TelegramUser;
  readonly userChatId: string;
  /** True when the reconciliation looks again at a request left pending. */
  readonly again: boolean;
  readonly membership?: MembershipFacts;
}

export type JoinRequestStep =
  | { readonly kind: 'lookup'; readonly lookup: 'membership' }
  | {
      readonly kind: 'decided';
      readonly outcome: 'approved' | 'declined' | 'pending';
      readonly actions: readonly TelegramAction[];
    };

export function decideJoinRequest(facts: JoinRequestFacts): JoinRequestStep {
  const { group, user } = facts;
  const act = actionsFor(facts.eventId, group.botId, group.groupId);
  const approve: JoinRequestStep = {
    kind: 'decided',
    outcome: 'approved',
    actions: [act.approveJoin(user.id)],
  };
  if (user.id === telegramServiceUserId || group.settings.whitelist.includes(user.id))
    return approve;
  if (!facts.membership) return { kind: 'lookup', lookup: 'membership' };
  // Fail open, as for members: Nezuko's own setup problem is not the requester's fault.
  if (failedChecks(facts.membership.checks) !== '') return approve;
  const missing = missingChannels(facts.membership.checks);
  if (missing.length === 0) return approve;
  if (facts.again) return { kind: 'decided', outcome: 'pending', actions: [] };

  const texts = textsFor(group.settings.language);
  const pending = group.settings.joinRequestPolicy === 'leave_pending';
  const tell = actionsFor(facts.eventId, group.botId, facts.userChatId).reply(
    texts.joinRequestMissing(
      group.title !== '' ? group.title : texts.thisGroup,
      missing.map(channelName).join(', '),
      pending,
    ),
    '0',
    joinButtons(texts, missing),
    'tell',
  );
  return {
    kind: 'decided',
    outcome: pending ? 'pending' : 'declined',
    actions: pending ? [tell] : [tell, act.declineJoin(user.id)],
  };
}
