// The membership cache and the prompt registry against a real Redis.
import { createLogger } from '@nezuko/kit';
import { testEnv, uniqueNamespace } from '@nezuko/kit/testing';
import { ChannelMemberChangedSchema, create } from '@nezuko/proto';
import { metrics } from '@opentelemetry/api';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnforcement } from '../src/enforcement.ts';
import {
  createMembershipCache,
  jitteredTtl,
  type MembershipCache,
} from '../src/membershipCache.ts';
import { createMemberRecords } from '../src/memberRecords.ts';
import { createPromptRegistry } from '../src/promptRegistry.ts';
import { createScheduler, type Job } from '../src/scheduler.ts';

let redis: Redis;
const namespace = uniqueNamespace('vc');
let cache: MembershipCache;

beforeAll(() => {
  redis = new Redis(testEnv().redisUrl);
  cache = createMembershipCache(redis, namespace, {
    positiveSeconds: 600,
    negativeSeconds: 60,
    jitter: 0.15,
  });
});

afterAll(async () => {
  const keys = await redis.keys(`${namespace}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('membership cache', () => {
  it('keeps members for 10 minutes ±15% under the namespaced key', async () => {
    await cache.setMember('-1002', '11', true);
    const key = `${namespace}:nz:member:-1002:11`;
    expect(cache.memberKey('-1002', '11')).toBe(key);
    expect(await redis.get(key)).toBe('1');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThanOrEqual(510);
    expect(ttl).toBeLessThanOrEqual(690);
    expect(await cache.getMember('-1002', '11')).toBe(true);
  });

  it('keeps non-members for 1 minute ±15%', async () => {
    await cache.setMember('-1002', '12', false);
    const key = cache.memberKey('-1002', '12');
    expect(await redis.get(key)).toBe('0');
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThanOrEqual(51);
    expect(ttl).toBeLessThanOrEqual(69);
    expect(await cache.getMember('-1002', '12')).toBe(false);
  });

  it('spreads expiries of keys written together', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => cache.setMember('-1005', String(100 + i), true)),
    );
    const ttls = await Promise.all(
      Array.from({ length: 20 }, (_, i) => redis.ttl(cache.memberKey('-1005', String(100 + i)))),
    );
    expect(new Set(ttls).size).toBeGreaterThan(5);
    for (const ttl of ttls) expect(ttl).toBeGreaterThanOrEqual(510);
  });

  it('knows nothing about a user never checked, and forgets on request', async () => {
    expect(await cache.getMember('-1002', '99')).toBeUndefined();
    await cache.setMember('-1002', '99', true);
    await cache.forgetMember('-1002', '99');
    expect(await cache.getMember('-1002', '99')).toBeUndefined();
  });

  it('caches a group’s admin list until it is forgotten', async () => {
    await cache.setAdmins('-1001', ['10', '12']);
    expect(await redis.get(`${namespace}:nz:admins:-1001`)).toBe('["10","12"]');
    expect(await cache.getAdmins('-1001')).toEqual(['10', '12']);
    expect(await cache.getMember('-1001', '10')).toBeUndefined();
    await cache.forgetAdmins('-1001');
    expect(await cache.getAdmins('-1001')).toBeUndefined();
  });

  it('is overwritten by a membership change seen in the channel', async () => {
    const unused = () => Promise.reject(new Error('unused'));
    const enforcement = createEnforcement({
      groups: { get: () => undefined, all: () => [], currentId: (id) => id },
      checker: { channels: unused, admin: unused },
      lookups: {
        getChatMember: unused,
        getChat: unused,
        getChatAdministrators: unused,
        createChatInviteLink: unused,
      },
      cache,
      prompts: createPromptRegistry(redis, namespace, 60),
      records: createMemberRecords(redis, namespace),
      scheduler: { schedule: unused },
      outbox: { actions: unused, event: unused, groupEvents: unused },
      timings: {
        REPLY_DELETE_AFTER_SECONDS: 0,
        RECHECK_AFTER_SECONDS: 60,
        ACTIVE_WINDOW_SECONDS: 60,
        ATTACK_SUMMARY_DELAY_SECONDS: 0,
        RAID_JOIN_THRESHOLD: 0,
        RAID_WINDOW_SECONDS: 10,
      },
      logger: createLogger('test', 'silent'),
      meter: metrics.getMeter('test'),
    });
    const change = (oldStatus: string, newStatus: string) =>
      enforcement.onChannelMemberChanged(
        { id: 'tg:900:1', correlationId: 'tg:900:1' },
        create(ChannelMemberChangedSchema, {
          botId: '900',
          channelId: '-1002',
          userId: '13',
          oldStatus,
          newStatus,
        }),
      );
    await cache.setMember('-1002', '13', false);
    await change('left', 'member');
    expect(await cache.getMember('-1002', '13')).toBe(true);
    expect(await redis.ttl(cache.memberKey('-1002', '13'))).toBeGreaterThan(500);
    await change('member', 'left');
    expect(await cache.getMember('-1002', '13')).toBe(false);
    await change('left', 'restricted_left');
    expect(await cache.getMember('-1002', '13')).toBe(false);
  });
});

describe('jitter', () => {
  it('stays within the band at its extremes', () => {
    expect(jitteredTtl(600, 0.15, () => 0)).toBe(510);
    expect(jitteredTtl(600, 0.15, () => 0.999999)).toBe(690);
    expect(jitteredTtl(1, 0.15, () => 0)).toBe(1);
  });
});

describe('prompt registry', () => {
  it('lets one event own a member’s prompt; its redelivery still owns it; another does not', async () => {
    const prompts = createPromptRegistry(redis, namespace, 120);
    expect(await prompts.pending('-1001', '11')).toBeUndefined();
    expect(await prompts.claim('-1001', '11', 'tg:900:1')).toBe(true);
    expect(await prompts.claim('-1001', '11', 'tg:900:1')).toBe(true);
    expect(await prompts.claim('-1001', '11', 'tg:900:2')).toBe(false);
    expect(await redis.ttl(prompts.key('-1001', '11'))).toBeGreaterThan(100);
    await prompts.recordMessage('-1001', '11', 'tg:900:2', '500');
    await prompts.recordMessage('-1001', '11', 'tg:900:1', '501');
    expect(await prompts.pending('-1001', '11')).toEqual({
      eventId: 'tg:900:1',
      messageId: '501',
      chatId: '-1001',
    });
    expect(await redis.ttl(prompts.key('-1001', '11'))).toBeGreaterThan(100);
    await prompts.release('-1001', '11', 'tg:900:2');
    expect(await prompts.pending('-1001', '11')).toBeDefined();
    await prompts.release('-1001', '11', 'tg:900:1');
    expect(await prompts.pending('-1001', '11')).toBeUndefined();
  });
});

describe('scheduler', () => {
  it('runs a job once it is due, and again next tick when its handler failed', async () => {
    const ran: Job[] = [];
    let fail = true;
    const scheduler = createScheduler(
      redis,
      namespace,
      (job) => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('NATS is down'));
        }
        ran.push(job);
        return Promise.resolve();
      },
      createLogger('test', 'silent'),
    );
    const job: Job = {
      kind: 'delete',
      id: 'tg:900:5:reply:expired',
      botId: '900',
      chatId: '-1001',
      messageId: '42',
    };
    await scheduler.schedule(job, 10_000);
    expect(await scheduler.runDue(9_999)).toBe(0);
    expect(await scheduler.runDue(10_000)).toBe(0);
    expect(await scheduler.runDue(10_001)).toBe(1);
    expect(ran).toEqual([job]);
    expect(await scheduler.runDue(20_000)).toBe(0);
  });
});

describe('member records', () => {
  it('knows whom Nezuko muted, a timed mute ending by itself', async () => {
    const records = createMemberRecords(redis, namespace);
    await records.recordMuted('-1001', '11', 0);
    await records.recordMuted('-1001', '12', 1000);
    expect(await records.isMuted('-1001', '11', 2000)).toBe(true);
    expect(await records.isMuted('-1001', '12', 999)).toBe(true);
    expect(await records.mutedMembers('-1001', 2000)).toEqual(['11']);
    await records.forgetMuted('-1001', '11');
    expect(await records.isMuted('-1001', '11', 2000)).toBe(false);
  });

  it('hands out due re-checks in bounded batches and drops members gone quiet', async () => {
    const records = createMemberRecords(redis, namespace);
    for (const id of ['1', '2', '3'])
      await records.touchActive('-1005', { id, username: '', firstName: `User ${id}` }, 100, 200);
    expect(await records.knownUser('-1005', '2')).toEqual({
      id: '2',
      username: '',
      firstName: 'User 2',
    });
    expect(await records.dueRechecks('-1005', 199, 10)).toEqual([]);
    expect(await records.dueRechecks('-1005', 200, 2)).toHaveLength(2);
    expect(await records.dropInactive('-1005', '1', 50)).toBe(false);
    expect(await records.dropInactive('-1005', '1', 150)).toBe(true);
    expect(await records.dueRechecks('-1005', 200, 10)).toEqual(['2', '3']);
  });

  it('counts today’s outcomes per group, each event once', async () => {
    const records = createMemberRecords(redis, namespace);
    await records.count('-1001', '2026-11-22', 'verified', 'tg:900:1');
    await records.count('-1001', '2026-11-22', 'verified', 'tg:900:2');
    await records.count('-1001', '2026-11-22', 'error', 'tg:900:3');
    // A redelivered event counts once.
    await records.count('-1001', '2026-11-22', 'error', 'tg:900:3');
    expect(await records.counts('-1001', '2026-11-22')).toEqual({
      verified: 2,
      restricted: 0,
      exempt: 0,
      error: 1,
    });
  });
});
