// Redis cache of "is this user in that chat" answers, so a busy group does not cost a
// Telegram call per message. Members are cached long (10 min), non-members short (1 min,
// they are about to join), both with ±15% jitter so keys written together do not all
// expire together. Keys: `<ns>:nz:member:<channelId>:<userId>` ('1' or '0') and
// `<ns>:nz:admins:<groupId>` (the group's admin ids as JSON, from getChatAdministrators;
// forgotten when someone is promoted or demoted).
import type { Redis } from 'ioredis';

export interface CacheTtls {
  readonly positiveSeconds: number;
  readonly negativeSeconds: number;
  /** 0.15 = each TTL lands within ±15% of its base. */
  readonly jitter: number;
}

export interface MembershipCache {
  getMember(channelId: string, userId: string): Promise<boolean | undefined>;
  setMember(channelId: string, userId: string, member: boolean): Promise<void>;
  forgetMember(channelId: string, userId: string): Promise<void>;
  getAdmins(groupId: string): Promise<readonly string[] | undefined>;
  setAdmins(groupId: string, userIds: readonly string[]): Promise<void>;
  forgetAdmins(groupId: string): Promise<void>;
  memberKey(channelId: string, userId: string): string;
  adminsKey(groupId: string): string;
}

export function keyPrefix(namespace: string): string {
  return namespace === '' ? 'nz' : `${namespace}:nz`;
}

export function jitteredTtl(
  baseSeconds: number,
  jitter: number,
  random: () => number = Math.random,
): number {
  return Math.max(1, Math.round(baseSeconds * (1 + jitter * (2 * random() - 1))));
}

export function createMembershipCache(
  redis: Redis,
  namespace: string,
  ttls: CacheTtls,
  random: () => number = Math.random,
): MembershipCache {
  const prefix = keyPrefix(namespace);
  const memberKey = (channelId: string, userId: string) =>
    `${prefix}:member:${channelId}:${userId}`;
  const adminsKey = (groupId: string) => `${prefix}:admins:${groupId}`;
  const read = async (key: string) => {
    const value = await redis.get(key);
    return value === null ? undefined : value === '1';
  };
  const write = async (key: string, yes: boolean) => {
    const base = yes ? ttls.positiveSeconds : ttls.negativeSeconds;
    await redis.set(key, yes ? '1' : '0', 'EX', jitteredTtl(base, ttls.jitter, random));
  };
  return {
    memberKey,
    adminsKey,
    getMember: (channelId, userId) => read(memberKey(channelId, userId)),
    setMember: (channelId, userId, member) => write(memberKey(channelId, userId), member),
    forgetMember: async (channelId, userId) => {
      await redis.del(memberKey(channelId, userId));
    },
    async getAdmins(groupId) {
      const raw = await redis.get(adminsKey(groupId));
      if (raw === null) return undefined;
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.map(String) : undefined;
    },
    async setAdmins(groupId, userIds) {
      const ttl = jitteredTtl(ttls.positiveSeconds, ttls.jitter, random);
      await redis.set(adminsKey(groupId), JSON.stringify(userIds), 'EX', ttl);
    },
    async forgetAdmins(groupId) {
      await redis.del(adminsKey(groupId));
    },
  };
}
