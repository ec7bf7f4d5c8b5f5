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
import { createPromptRegistry } from '../src/promptRegistry.ts';

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

  it('caches admins separately, per group', async () => {
    await cache.setAdmin('-1001', '10', true);
    expect(await redis.get(`${namespace}:nz:admin:-1001:10`)).toBe('1');
    expect(await cache.getAdmin('-1001', '10')).toBe(true);
    expect(await cache.getMember('-1001', '10')).toBeUndefined();
  });

  it('is overwritten by a membership change seen in the channel', async () => {
    const enforcement = createEnforcement({
      groups: { get: () => undefined, waitFor: () => Promise.resolve(true) },
      checker: {
        channels: () => Promise.reject(new Error('unused')),
        admin: () => Promise.reject(new Error('unused')),
      },
      lookups: {
        getChatMember: () => Promise.reject(new Error('unused')),
        getChat: () => Promise.reject(new Error('unused')),
      },
      cache,
      prompts: createPromptRegistry(redis, namespace, 60),
      bus: {
        names: undefined as never,
        publish: () => Promise.reject(new Error('unused')),
        publishAction: () => Promise.reject(new Error('unused')),
      },
      logger: createLogger('test', 'silent'),
      meter: metrics.getMeter('test'),
    });
    const change = (oldStatus: string, newStatus: string) =>
      enforcement.onChannelMemberChanged(
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
    expect(await prompts.pending('-1001', '11')).toEqual({ eventId: 'tg:900:1', messageId: '501' });
    expect(await redis.ttl(prompts.key('-1001', '11'))).toBeGreaterThan(100);
    await prompts.release('-1001', '11', 'tg:900:2');
    expect(await prompts.pending('-1001', '11')).toBeDefined();
    await prompts.release('-1001', '11', 'tg:900:1');
    expect(await prompts.pending('-1001', '11')).toBeUndefined();
  });
});
