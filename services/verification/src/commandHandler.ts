// Runs the admin commands and the /settings buttons against the world: answers the facts
// the pure decisions ask for (admin list, the bot's rights, channels, invite links, what
// Nezuko muted, today's counts), then appends the group events and replies.
import {
  AccessRestoredReason,
  AccessRestoredSchema,
  create,
  type AdminCommandReceived,
  type ButtonPressed,
  type MemberUpdated,
} from '@nezuko/proto';
import { WrongLastSequenceError, type Logger } from '@nezuko/kit';
import {
  decideCommand,
  type ChannelLookup,
  type CommandFacts,
  type InviteLookup,
  type GroupEventToAppend,
  type RightsLookup,
} from './domain/commands.ts';
import { decideSettingsPress, type ButtonPressFacts } from './domain/settingsKeyboard.ts';
import type { GroupFeed } from './groupFeed.ts';
import type { MemberRecords } from './memberRecords.ts';
import type { MembershipChecker } from './membership.ts';
import type { MembershipCache } from './membershipCache.ts';
import type { Cause, Outbox } from './outbox.ts';
import type { TelegramLookups } from './telegramLookups.ts';

export interface CommandHandlerDeps {
  readonly groups: Pick<GroupFeed, 'get' | 'settingsSequence' | 'catchUpSettings'>;
  readonly checker: MembershipChecker;
  readonly lookups: TelegramLookups;
  readonly cache: MembershipCache;
  readonly records: MemberRecords;
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly clock?: () => number;
}

export function createCommandHandler(deps: CommandHandlerDeps) {
  const { groups, checker, lookups, records, outbox, logger } = deps;
  const clock = deps.clock ?? Date.now;

  const rights = async (botId: string, chatId: string): Promise<RightsLookup> => {
    const answer = await lookups.getChatMember(botId, chatId, botId);
    return answer.ok
      ? {
          kind: 'ok',
          status: answer.status,
          canRestrict: answer.canRestrict,
          canDelete: answer.canDelete,
          canInvite: answer.canInvite,
        }
      : { kind: 'error', reason: answer.reason };
  };

  /**
   * Appends a command's group events. A settings change decided from settings someone else
   * (the dashboard, another admin) changed meanwhile is refused by the stream; then this
   * replica catches up and says false, and the caller decides again from the fresh settings,
   * so both changes stand (the dashboard's writes are If-Match protected the same way).
   */
  const appendGroupEvents = async (
    events: readonly GroupEventToAppend[],
    cause: Cause,
    groupId: string,
    attempt: number,
  ): Promise<boolean> => {
    try {
      await outbox.groupEvents(events, cause, groups.settingsSequence(groupId));
      return true;
    } catch (error) {
      if (!(error instanceof WrongLastSequenceError) || attempt >= maxSettingsAttempts) throw error;
      logger.info({ eventId: cause.id, groupId }, 'settings changed meanwhile; deciding again');
      await groups.catchUpSettings(groupId);
      return false;
    }
  };

  return {
    async onCommand(cause: Cause, event: AdminCommandReceived) {
      if (!event.user) return;
      const { botId, groupId } = event;
      let facts: CommandFacts = {
        eventId: cause.id,
        command: event.command,
        args: event.args,
        botId,
        groupId,
        groupTitle: event.groupTitle,
        group: groups.get(groupId),
        user: event.user,
        senderChatId: event.senderChatId,
        messageId: event.messageId,
      };
      let attempts = 0;
      for (;;) {
        const step = decideCommand(facts);
        switch (step.kind) {
          case 'lookup': {
            const lookup = step.lookup;
            switch (lookup.kind) {
              case 'sender':
                facts = { ...facts, sender: await checker.admin(botId, groupId, event.user.id) };
                break;
              case 'bot_rights':
                facts = { ...facts, botRights: await rights(botId, groupId) };
                break;
              case 'channels': {
                const found = new Map<string, ChannelLookup>();
                for (const query of lookup.queries) {
                  const chat = await lookups.getChat(botId, query);
                  found.set(
                    query,
                    chat.ok
                      ? {
                          kind: 'found',
                          type: chat.type,
                          channel: {
                            id: chat.id,
                            title: chat.title,
                            username: chat.username,
                            inviteLink: chat.inviteLink,
                          },
                        }
                      : { kind: 'not_found', reason: chat.reason },
                  );
                }
                facts = { ...facts, channels: found };
                break;
              }
              case 'channel_rights': {
                const found = new Map<string, RightsLookup>();
                for (const channelId of lookup.channelIds)
                  found.set(channelId, await rights(botId, channelId));
                facts = { ...facts, channelRights: found };
                break;
              }
              case 'invite_links': {
                const links = new Map<string, InviteLookup>();
                for (const channelId of lookup.channelIds) {
                  const link = await lookups.createChatInviteLink(botId, channelId, 'Nezuko');
                  links.set(
                    channelId,
                    link.ok
                      ? { kind: 'ok', inviteLink: link.inviteLink }
                      : { kind: 'error', reason: link.reason },
                  );
                }
                facts = { ...facts, inviteLinks: links };
                break;
              }
              case 'muted':
                facts = {
                  ...facts,
                  muted: await records.mutedMembers(groupId, Math.floor(clock() / 1000)),
                };
                break;
              case 'counts':
                facts = {
                  ...facts,
                  counts: await records.counts(
                    groupId,
                    new Date(clock()).toISOString().slice(0, 10),
                  ),
                };
                break;
              default:
                return assertNever(lookup);
            }
            continue;
          }
          case 'ignore':
            logger.debug({ eventId: cause.id, reason: step.reason }, 'command ignored');
            return;
          case 'decided':
            if (!(await appendGroupEvents(step.events, cause, groupId, ++attempts))) {
              facts = { ...facts, group: groups.get(groupId) };
              continue;
            }
            await outbox.actions(step.actions, cause);
            if (step.unmutedAll) {
              // Protection is off: everyone Nezuko muted here gets their access back.
              for (const action of step.actions) {
                if (action.kind.case !== 'lift') continue;
                const userId = action.kind.value.userId;
                await outbox.event(
                  'verify.access_restored',
                  create(AccessRestoredSchema, {
                    groupId,
                    botId: event.botId,
                    user: { id: userId },
                    reason: AccessRestoredReason.PROTECTION_OFF,
                    liftActionId: action.actionId,
                  }),
                  `restored:${userId}`,
                  cause,
                );
              }
              await records.forgetAllMuted(groupId);
            }
            return;
          default:
            return assertNever(step);
        }
      }
    },

    async onButtonPressed(cause: Cause, event: ButtonPressed) {
      if (!event.user || !event.data.startsWith('nz:s:')) return;
      let facts: ButtonPressFacts = {
        eventId: cause.id,
        botId: event.botId,
        groupId: event.groupId,
        group: groups.get(event.groupId),
        user: event.user,
        callbackQueryId: event.callbackQueryId,
        messageId: event.messageId,
        data: event.data,
      };
      let attempts = 0;
      for (;;) {
        const step = decideSettingsPress(facts);
        if (step.kind === 'lookup') {
          facts = {
            ...facts,
            sender: await checker.admin(event.botId, event.groupId, event.user.id),
          };
          continue;
        }
        if (!(await appendGroupEvents(step.events, cause, event.groupId, ++attempts))) {
          facts = { ...facts, group: groups.get(event.groupId) };
          continue;
        }
        await outbox.actions(step.actions, cause);
        return;
      }
    },

    /**
     * Someone was promoted or demoted: the cached admin list is out of date. A human admin
     * restricted or released a member: that member is theirs now, Nezuko forgets its mute.
     */
    async onMemberUpdated(event: MemberUpdated) {
      const admin = (status: string) => status === 'creator' || status === 'administrator';
      if (admin(event.oldStatus) || admin(event.newStatus))
        await deps.cache.forgetAdmins(event.groupId);
      const restricted = (status: string) =>
        status === 'restricted' || status === 'restricted_left';
      if (
        event.user &&
        event.actorUserId !== event.botId &&
        event.actorUserId !== event.user.id &&
        (restricted(event.oldStatus) || restricted(event.newStatus))
      )
        await records.forgetMuted(event.groupId, event.user.id);
    },
  };
}

export type CommandHandler = ReturnType<typeof createCommandHandler>;

/** Each refusal means another change was stored: bounded, the consumer retries beyond it. */
const maxSettingsAttempts = 10;

function assertNever(value: never): never {
  throw new Error(`unhandled command step ${JSON.stringify(value)}`);
}
