// The operator settings (dashboard /settings, published to NZ_CONFIG by the command service)
// reach a running verification service: the membership cache TTL of the next entry and
// the prompt defaults of a group never configured change without a restart.
import {
  applyLogLevel,
  createLogger,
  publishGlobalSettings,
  watchGlobalSettings,
  type GlobalSettings,
  type GlobalSettingsWatch,
} from '@nezuko/kit';
import { VerificationOutcome } from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, protectedGroup, startWorld, type World } from './support/world.ts';

const settings = (change: Partial<GlobalSettings> = {}): GlobalSettings => ({
  membership_cache: { positive_ttl_seconds: 600, negative_ttl_seconds: 60 },
  prompt_defaults: { language: 'en', delete_after_seconds: 0 },
  retention: { verification_log_days: 90, logs_days: 3 },
  log_levels: {
    'bot-gateway': 'info',
    verification: 'info',
    'analytics-projector': 'info',
    command: 'info',
    'websocket-push': 'info',
  },
  ...change,
});

describe('operator settings in verification', () => {
  let w: World;
  let watch: GlobalSettingsWatch;
  const logger = createLogger('verification', 'info', { write: () => undefined });
  let ids: { olga: number; group: number; news: number };

  beforeAll(async () => {
    w = await startWorld('opsettings');
    watch = await watchGlobalSettings(w.space.js, w.space.names, logger);
    watch.onChange((s) => {
      w.verification.applySettings(s);
      applyLogLevel(logger, 'verification', s);
    });
    ids = await protectedGroup(w);
  });

  afterAll(async () => {
    await watch?.stop();
    await w?.close();
  });

  const ttlOfNewMember = async (name: string, inChannel: boolean) => {
    const id = await w.user(name, name.toLowerCase());
    if (inChannel) await w.join(ids.news, id);
    await w.join(ids.group, id);
    await w.space.waitForEvent(
      'verify.decided',
      (d) =>
        d.user?.id === String(id) &&
        d.outcome === (inChannel ? VerificationOutcome.VERIFIED : VerificationOutcome.RESTRICTED),
    );
    return w.redis.ttl(`${w.space.names.namespace}:nz:member:${ids.news}:${id}`);
  };

  it('caches the next member for the TTLs the operator set, and flips the log level', async () => {
    const before = await ttlOfNewMember('Anna', true);
    expect(before).toBeGreaterThan(500);
    expect(before).toBeLessThanOrEqual(690);

    await publishGlobalSettings(
      w.space.js,
      w.space.names,
      settings({
        membership_cache: { positive_ttl_seconds: 3600, negative_ttl_seconds: 20 },
        log_levels: { ...settings().log_levels, verification: 'debug' },
      }),
    );
    await eventually(() => expect(logger.level).toBe('debug'));

    const member = await ttlOfNewMember('Boris', true);
    expect(member).toBeGreaterThanOrEqual(3060);
    expect(member).toBeLessThanOrEqual(4140);
    const outsider = await ttlOfNewMember('Carl', false);
    expect(outsider).toBeGreaterThanOrEqual(17);
    expect(outsider).toBeLessThanOrEqual(23);
  });

  it('schedules the prompt of a group never configured for deletion after the default', async () => {
    await publishGlobalSettings(
      w.space.js,
      w.space.names,
      settings({ prompt_defaults: { language: 'en', delete_after_seconds: 120 } }),
    );
    await eventually(() => expect(watch.current()?.prompt_defaults.delete_after_seconds).toBe(120));
    const dana = await w.user('Dana', 'dana');
    await w.join(ids.group, dana);
    const prompt = await w.botSays(ids.group, (t) => t.startsWith('@dana,'));
    await w.space.waitForEvent(
      'bot.action_executed',
      (e) => e.kind === 'prompt' && e.userId === String(dana),
    );
    const deleted = async () =>
      (await w.messages(ids.group)).find((m) => m.message_id === prompt.message_id)?.deleted;
    await w.advance(119);
    expect(await deleted()).toBe(false);
    await w.advance(2);
    await eventually(async () => expect(await deleted()).toBe(true));
  });
});
