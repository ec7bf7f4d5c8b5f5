// Membership and admin checks through the cache. A cached membership answer is used unless
// the caller asks for a fresh one (the verify button: the member says they just joined);
// every answer from Telegram refreshes the cache. Admins come from the group's cached admin
// list, which a promotion or demotion (`chat.member_updated`) forgets. Telegram's refusals are not cached: they
// describe Nezuko's setup, not the member.
import type { Meter } from '@opentelemetry/api';
import type { AdminCheck, ChannelCheck, MembershipFacts } from './domain/facts.ts';
import type { LinkedChannel } from './domain/groups.ts';
import type { MembershipCache } from './membershipCache.ts';
import type { TelegramLookups } from './telegramLookups.ts';

export interface MembershipChecker {
  channels(
    botId: string,
    channels: readonly LinkedChannel[],
    userId: string,
    fresh: boolean,
  ): Promise<MembershipFacts>;
  /** From the group's admin list (cached; anonymous admins and bots included). */
  admin(botId: string, groupId: string, userId: string): Promise<AdminCheck>;
}

export function createMembershipChecker(
  lookups: TelegramLookups,
  cache: MembershipCache,
  meter: Meter,
): MembershipChecker {
  const cacheResults = meter.createCounter('nezuko_membership_cache_total', {
    description: 'Membership cache look-ups by kind (member, admin) and result (hit, miss, bypass)',
  });

  const checkChannel = async (
    botId: string,
    channel: LinkedChannel,
    userId: string,
    fresh: boolean,
  ): Promise<{ check: ChannelCheck; cached: boolean }> => {
    if (!fresh) {
      const cached = await cache.getMember(channel.id, userId);
      cacheResults.add(1, { kind: 'member', result: cached === undefined ? 'miss' : 'hit' });
      if (cached !== undefined)
        return { check: { channel, state: cached ? 'member' : 'not_member' }, cached: true };
    } else {
      cacheResults.add(1, { kind: 'member', result: 'bypass' });
    }
    const answer = await lookups.getChatMember(botId, channel.id, userId);
    if (!answer.ok)
      return { check: { channel, state: 'error', reason: answer.reason }, cached: false };
    await cache.setMember(channel.id, userId, answer.isMember);
    return { check: { channel, state: answer.isMember ? 'member' : 'not_member' }, cached: false };
  };

  return {
    async channels(botId, channels, userId, fresh) {
      const results = await Promise.all(
        channels.map((channel) => checkChannel(botId, channel, userId, fresh)),
      );
      return { checks: results.map((r) => r.check), cached: results.every((r) => r.cached) };
    },
    async admin(botId, groupId, userId) {
      let admins = await cache.getAdmins(groupId);
      cacheResults.add(1, { kind: 'admin', result: admins === undefined ? 'miss' : 'hit' });
      if (admins === undefined) {
        const answer = await lookups.getChatAdministrators(botId, groupId);
        if (!answer.ok) return { kind: 'error', reason: answer.reason };
        admins = answer.userIds;
        await cache.setAdmins(groupId, admins);
      }
      return { kind: admins.includes(userId) ? 'admin' : 'not_admin' };
    },
  };
}
