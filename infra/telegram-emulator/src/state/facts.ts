// Facts: what happened in the emulated world, as state operations report it. Routing
// (src/state/routing.ts) turns each fact into the updates the bots are entitled to see.

import type { InviteLinkRecord, MemberState } from './types.ts';

export type Fact =
  | { type: 'message_sent'; chatKey: string; messageId: number }
  | {
      type: 'member_changed';
      chatKey: string;
      userId: number;
      actorId: number;
      date: number;
      before: MemberState;
      after: MemberState;
      inviteLink?: InviteLinkRecord;
      viaJoinRequest?: boolean;
    }
  | { type: 'callback_query'; queryId: string }
  | {
      type: 'join_requested';
      chatKey: string;
      userId: number;
      date: number;
      inviteLink?: InviteLinkRecord;
    };
