// Carries what verification remembers about a group's members in Redis over to the group's
// new id when a basic group becomes a supergroup (`group.migrated`): whom Nezuko muted (so
// a verify press or /unprotect still lifts them), standing prompts, active members and
// their re-checks, today's counts, the raid counters and pending join requests. The admin
// cache of the old id is dropped: the supergroup's admins are asked afresh.
//
// One Lua script moves every key at once, so no check runs between "muted under the old id"
// and "muted under the new id". What the new id gathered already (an action re-queued on it
// by the gateway can land first) is kept and merged with: counters add up, everything else
// keeps the newer value. Moving again (a redelivered event) finds nothing left to move.
import type { Redis } from 'ioredis';
import { keyPrefix } from './membershipCache.ts';

export interface GroupStateMover {
  /** Moves the members' state from `oldGroupId` to `newGroupId`; returns how many keys moved. */
  move(oldGroupId: string, newGroupId: string): Promise<number>;
}

/** How a key's content joins a key the new id already has. */
type Merge = 'keep_newer' | 'add_up';

// KEYS: source, destination pairs; ARGV: one merge mode per pair.
const moveScript = `
local moved = 0
for i = 1, #KEYS, 2 do
  local src, dst, mode = KEYS[i], KEYS[i + 1], ARGV[(i + 1) / 2]
  local kind = redis.call('TYPE', src).ok
  if kind ~= 'none' then
    moved = moved + 1
    if redis.call('EXISTS', dst) == 0 then
      redis.call('RENAME', src, dst)
    else
      if kind == 'hash' then
        local all = redis.call('HGETALL', src)
        for j = 1, #all, 2 do
          if mode == 'add_up' then
            redis.call('HINCRBY', dst, all[j], all[j + 1])
          else
            redis.call('HSETNX', dst, all[j], all[j + 1])
          end
        end
      elseif kind == 'zset' then
        local all = redis.call('ZRANGE', src, 0, -1, 'WITHSCORES')
        for j = 1, #all, 2 do
          redis.call('ZADD', dst, 'NX', all[j + 1], all[j])
        end
      elseif kind == 'set' then
        redis.call('SUNIONSTORE', dst, dst, src)
      elseif kind == 'string' and mode == 'add_up' then
        redis.call('INCRBY', dst, redis.call('GET', src))
      end
      redis.call('DEL', src)
    end
  end
end
return moved
`;

export function createGroupStateMover(redis: Redis, namespace: string): GroupStateMover {
  const prefix = keyPrefix(namespace);
  const keysLike = async (pattern: string) => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found;
  };

  return {
    async move(oldGroupId, newGroupId) {
      const from = (kind: string) => `${prefix}:${kind}:${oldGroupId}`;
      const to = (key: string) =>
        `${prefix}:${key.slice(prefix.length + 1).replace(`:${oldGroupId}`, `:${newGroupId}`)}`;
      const pairs: [string, Merge][] = [
        ...['muted', 'active', 'recheck', 'who', 'joinreq'].map((kind): [string, Merge] => [
          from(kind),
          'keep_newer',
        ]),
        [from('attack'), 'add_up'],
        // Keys with a tail after the group id: per member, per day, per raid window.
        ...(await keysLike(`${from('prompt')}:*`)).map((key): [string, Merge] => [
          key,
          'keep_newer',
        ]),
        ...(await keysLike(`${from('counts')}:*`)).map((key): [string, Merge] => [key, 'add_up']),
        ...(await keysLike(`${from('joins')}:*`)).map((key): [string, Merge] => [
          key,
          'keep_newer',
        ]),
      ];
      const keys = pairs.flatMap(([key]) => [key, to(key)]);
      const moved = (await redis.eval(
        moveScript,
        keys.length,
        ...keys,
        ...pairs.map(([, merge]) => merge),
      )) as number;
      await redis.del(from('admins'));
      return moved;
    },
  };
}
