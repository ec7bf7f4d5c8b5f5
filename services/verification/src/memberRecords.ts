// What verification remembers about members in Redis, besides the membership cache:
//   <p>:muted:<groupId>      hash userId -> {"until"}   members Nezuko muted (so /unprotect and
//                             the shared verify button lift only them, never a member a
//                             human admin restricted)
//   <p>:active:<groupId>     zset userId -> last seen (ms)   members who passed a check
//   <p>:who:<groupId>        hash userId -> {"username","firstName"}   to name them when re-checked
//   <p>:recheck:<groupId>    zset userId -> next re-check due (ms)
//   <p>:counts:<groupId>:<day>  hash outcome -> count, kept 3 days   for /status
//   <p>:attack:<groupId>     members muted silently since the last summary
//   <p>:joins:<groupId>:<window>   set of members who joined in a raid-detection window
//   <p>:joinreq:<groupId>    hash userId -> {"userChatId","firstName"}   requests left pending
//   <p>:seen:counted:<eventId>, <p>:seen:attacked:<eventId>   2 days   a redelivery counts once
import type { Redis } from 'ioredis';
import { keyPrefix } from './membershipCache.ts';

export type CountedOutcome = 'verified' | 'restricted' | 'exempt' | 'error';

export interface PendingJoinRequest {
  readonly userId: string;
  readonly userChatId: string;
  readonly firstName: string;
}

export interface KnownUser {
  readonly id: string;
  readonly username: string;
  readonly firstName: string;
}

export interface MemberRecords {
  recordMuted(groupId: string, userId: string, untilSeconds: number): Promise<void>;
  forgetMuted(groupId: string, userId: string): Promise<void>;
  /** Whether Nezuko's mute stands (a timed one ends by itself). */
  isMuted(groupId: string, userId: string, nowSeconds: number): Promise<boolean>;
  mutedMembers(groupId: string, nowSeconds: number): Promise<string[]>;
  forgetAllMuted(groupId: string): Promise<void>;

  /** A member passed a check: remember them and when to look again. */
  touchActive(groupId: string, user: KnownUser, nowMs: number, recheckAtMs: number): Promise<void>;
  /** The name a re-checked member was last seen with. */
  knownUser(groupId: string, userId: string): Promise<KnownUser>;
  isActive(groupId: string, userId: string, sinceMs: number): Promise<boolean>;
  dueRechecks(groupId: string, nowMs: number, limit: number): Promise<string[]>;
  scheduleRecheck(groupId: string, userId: string, atMs: number): Promise<void>;
  /** Makes every member seen since `sinceMs` due for a re-check at `atMs`; returns how many. */
  makeActiveDue(groupId: string, sinceMs: number, atMs: number): Promise<number>;
  /** Stops re-checking members not seen since `sinceMs`. */
  dropInactive(groupId: string, userId: string, sinceMs: number): Promise<boolean>;

  /** Counts the outcome of `eventId` once, however often the event is redelivered. */
  count(groupId: string, day: string, outcome: CountedOutcome, eventId: string): Promise<void>;
  counts(groupId: string, day: string): Promise<Record<CountedOutcome, number>>;

  /** Notes a join; returns how many members joined the group in the current window. */
  countJoin(groupId: string, userId: string, nowMs: number, windowSeconds: number): Promise<number>;
  /** Adds one silently muted member (once per event); returns how many since the last summary, 0 for a repeat. */
  addAttacked(groupId: string, eventId: string): Promise<number>;
  takeAttacked(groupId: string): Promise<number>;

  addJoinRequest(groupId: string, request: PendingJoinRequest): Promise<void>;
  joinRequests(groupId: string, limit: number): Promise<PendingJoinRequest[]>;
  forgetJoinRequest(groupId: string, userId: string): Promise<void>;
}

const countsTtlSeconds = 3 * 24 * 60 * 60;

export function createMemberRecords(redis: Redis, namespace: string): MemberRecords {
  const prefix = keyPrefix(namespace);
  const muted = (groupId: string) => `${prefix}:muted:${groupId}`;
  const active = (groupId: string) => `${prefix}:active:${groupId}`;
  const recheck = (groupId: string) => `${prefix}:recheck:${groupId}`;
  const who = (groupId: string) => `${prefix}:who:${groupId}`;
  const counts = (groupId: string, day: string) => `${prefix}:counts:${groupId}:${day}`;
  const attack = (groupId: string) => `${prefix}:attack:${groupId}`;
  const joinreq = (groupId: string) => `${prefix}:joinreq:${groupId}`;
  /** True the first time `what` is seen (for two days: longer than any redelivery). */
  const firstTime = async (what: string) =>
    (await redis.set(`${prefix}:seen:${what}`, '1', 'EX', 2 * 24 * 60 * 60, 'NX')) === 'OK';
  const standing = (raw: string | null | undefined, nowSeconds: number) => {
    if (raw === null || raw === undefined) return false;
    const until = Number((JSON.parse(raw) as { until?: number }).until ?? 0);
    return until === 0 || until > nowSeconds;
  };

  return {
    async recordMuted(groupId, userId, untilSeconds) {
      await redis.hset(muted(groupId), userId, JSON.stringify({ until: untilSeconds }));
    },
    async forgetMuted(groupId, userId) {
      await redis.hdel(muted(groupId), userId);
    },
    async isMuted(groupId, userId, nowSeconds) {
      return standing(await redis.hget(muted(groupId), userId), nowSeconds);
    },
    async mutedMembers(groupId, nowSeconds) {
      const all = await redis.hgetall(muted(groupId));
      return Object.entries(all)
        .filter(([, raw]) => standing(raw, nowSeconds))
        .map(([userId]) => userId);
    },
    async forgetAllMuted(groupId) {
      await redis.del(muted(groupId));
    },

    async touchActive(groupId, user, nowMs, recheckAtMs) {
      await redis
        .multi()
        .zadd(active(groupId), nowMs, user.id)
        .zadd(recheck(groupId), 'NX', recheckAtMs, user.id)
        .hset(
          who(groupId),
          user.id,
          JSON.stringify({ username: user.username, firstName: user.firstName }),
        )
        .exec();
    },
    async knownUser(groupId, userId) {
      const raw = await redis.hget(who(groupId), userId);
      const known = raw === null ? {} : (JSON.parse(raw) as Partial<KnownUser>);
      return { id: userId, username: known.username ?? '', firstName: known.firstName ?? '' };
    },
    async isActive(groupId, userId, sinceMs) {
      const seen = await redis.zscore(active(groupId), userId);
      return seen !== null && Number(seen) >= sinceMs;
    },
    async dueRechecks(groupId, nowMs, limit) {
      return redis.zrangebyscore(recheck(groupId), '-inf', nowMs, 'LIMIT', 0, limit);
    },
    async scheduleRecheck(groupId, userId, atMs) {
      await redis.zadd(recheck(groupId), atMs, userId);
    },
    async makeActiveDue(groupId, sinceMs, atMs) {
      const members = await redis.zrangebyscore(active(groupId), sinceMs, '+inf');
      for (let i = 0; i < members.length; i += 500) {
        const chunk = members.slice(i, i + 500).flatMap((id) => [atMs, id]);
        await redis.zadd(recheck(groupId), ...chunk);
      }
      return members.length;
    },
    async dropInactive(groupId, userId, sinceMs) {
      const seen = await redis.zscore(active(groupId), userId);
      if (seen !== null && Number(seen) >= sinceMs) return false;
      await redis
        .multi()
        .zrem(active(groupId), userId)
        .zrem(recheck(groupId), userId)
        .hdel(who(groupId), userId)
        .exec();
      return true;
    },

    async count(groupId, day, outcome, eventId) {
      if (!(await firstTime(`counted:${eventId}`))) return;
      const key = counts(groupId, day);
      await redis.multi().hincrby(key, outcome, 1).expire(key, countsTtlSeconds).exec();
    },
    async counts(groupId, day) {
      const all = await redis.hgetall(counts(groupId, day));
      const n = (k: CountedOutcome) => Number(all[k] ?? 0);
      return {
        verified: n('verified'),
        restricted: n('restricted'),
        exempt: n('exempt'),
        error: n('error'),
      };
    },

    async countJoin(groupId, userId, nowMs, windowSeconds) {
      const window = Math.floor(nowMs / (windowSeconds * 1000));
      const key = `${prefix}:joins:${groupId}:${window}`;
      // A set, so Telegram's two reports of one join (and redeliveries) count once.
      const [, [, size]] = (await redis
        .multi()
        .sadd(key, userId)
        .scard(key)
        .expire(key, windowSeconds * 2)
        .exec()) as [[null, number], [null, number], [null, number]];
      return size;
    },
    async addAttacked(groupId, eventId) {
      if (!(await firstTime(`attacked:${eventId}`))) return 0;
      return redis.incr(attack(groupId));
    },
    async takeAttacked(groupId) {
      const taken = await redis.getdel(attack(groupId));
      return Number(taken ?? 0);
    },

    async addJoinRequest(groupId, request) {
      await redis.hset(joinreq(groupId), request.userId, JSON.stringify(request));
    },
    async joinRequests(groupId, limit) {
      const all = await redis.hvals(joinreq(groupId));
      return all.slice(0, limit).map((raw) => JSON.parse(raw) as PendingJoinRequest);
    },
    async forgetJoinRequest(groupId, userId) {
      await redis.hdel(joinreq(groupId), userId);
    },
  };
}
