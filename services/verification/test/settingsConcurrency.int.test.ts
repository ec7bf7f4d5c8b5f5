// Settings changed from Telegram (/whitelist, /template, the /settings keyboard) and from the
// dashboard at the same time: neither overwrites the other. The dashboard's writes are
// If-Match protected (the command service appends with the expected last sequence); the
// Telegram side appends the same way and, refused, decides again from the fresh settings.
import { decodeEvent, WrongLastSequenceError } from '@nezuko/kit';
import { testEnv } from '@nezuko/kit/testing';
import {
  AdminCommandReceivedSchema,
  ChannelLinkedSchema,
  create,
  GroupSettingsChangedSchema,
} from '@nezuko/proto';
import { quietLogger, startNatsSpace, type NatsSpace } from '@nezuko/bot-gateway/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandHandler } from '../src/commandHandler.ts';
import { settingsFrom, toSettingsMessage, type Settings } from '../src/domain/settings.ts';
import { startGroupFeed, type GroupFeed } from '../src/groupFeed.ts';
import { createMemberRecords } from '../src/memberRecords.ts';
import { createOutbox } from '../src/outbox.ts';

describe('settings changed in Telegram and on the dashboard at once', () => {
  let space: NatsSpace;
  let redis: Redis;
  let feed: GroupFeed;

  beforeAll(async () => {
    space = await startNatsSpace('occ');
    redis = new Redis(testEnv().redisUrl);
    feed = startGroupFeed({ js: space.js, names: space.names, logger: quietLogger });
    await feed.whenCaughtUp();
  });

  afterAll(async () => {
    await feed?.stop();
    const keys = await redis.keys(`${space.names.namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis?.quit();
    await space?.close();
  });

  const protect = async (groupId: string) => {
    const { seq } = await space.bus.publish(
      'group.channel_linked',
      create(ChannelLinkedSchema, {
        groupId,
        groupTitle: 'Readers',
        botId: '900',
        channel: { id: '-2001', title: 'News', username: 'news' },
      }),
      { id: `link:${groupId}` },
    );
    await feed.waitFor(seq, 5000);
  };

  /** What the stream holds as the group's settings now, and its sequence. */
  const storedSettings = async (groupId: string) => {
    const jsm = await space.js.jetstreamManager();
    const last = await jsm.streams.getMessage(space.names.stream('NZ_EVENTS'), {
      last_by_subj: space.names.subject(`nz.evt.group.${groupId}.settings_changed`),
    });
    if (!last) throw new Error('no settings stored yet');
    const { event } = decodeEvent(last.header, last.data);
    if (event.type !== 'group.settings_changed') throw new Error(`unexpected ${event.type}`);
    return { seq: last.seq, settings: settingsFrom(event.event.settings) };
  };

  /** The dashboard's write: read, change, append If-Match; a 409 makes the admin reload. */
  const dashboardChanges = async (groupId: string, change: (s: Settings) => Settings) => {
    for (;;) {
      const current = await storedSettings(groupId).catch(() => undefined);
      const settings = change(current?.settings ?? settingsFrom(undefined));
      try {
        return await space.bus.publish(
          'group.settings_changed',
          create(GroupSettingsChangedSchema, { groupId, settings: toSettingsMessage(settings) }),
          {
            id: `dashboard:${groupId}:${Math.random()}`,
            expectedLastSubjectSequence: current?.seq ?? 0,
          },
        );
      } catch (error) {
        if (!(error instanceof WrongLastSequenceError)) throw error;
      }
    }
  };

  const handlerReading = (groups: Parameters<typeof createCommandHandler>[0]['groups']) => {
    const unused = () => Promise.reject(new Error('an anonymous admin needs no look-up'));
    return createCommandHandler({
      groups,
      checker: { channels: unused, admin: unused },
      lookups: {
        getChatMember: unused,
        getChat: unused,
        getChatAdministrators: unused,
        createChatInviteLink: unused,
      },
      cache: {} as never,
      records: createMemberRecords(redis, space.names.namespace),
      outbox: createOutbox(space.bus, feed),
      logger: quietLogger,
    });
  };
  /** `/whitelist add <id>` sent by the anonymous admin (as the group: no admin look-up). */
  const whitelistAdd = (groupId: string, userId: string, n: number) =>
    create(AdminCommandReceivedSchema, {
      botId: '900',
      groupId,
      groupTitle: 'Readers',
      user: { id: '1087968824', firstName: 'Group' },
      senderChatId: groupId,
      command: 'whitelist',
      args: ['add', userId],
      messageId: String(n),
    });

  it('a /whitelist decided from settings the dashboard has just changed keeps both changes', async () => {
    const groupId = '-601';
    await protect(groupId);
    // This replica has not yet seen the dashboard's write when it decides the command.
    const stale = feed.get(groupId);
    const staleSeq = feed.settingsSequence(groupId);
    await dashboardChanges(groupId, (s) => ({ ...s, underAttack: true }));
    let reads = 0;
    const handler = handlerReading({
      get: (id) => (reads++ === 0 ? stale : feed.get(id)),
      settingsSequence: (id) => (reads <= 1 ? staleSeq : feed.settingsSequence(id)),
      catchUpSettings: (id) => feed.catchUpSettings(id),
    });
    await handler.onCommand(
      { id: 'tg:900:1', correlationId: 'tg:900:1' },
      whitelistAdd(groupId, '42', 1),
    );

    const { settings } = await storedSettings(groupId);
    expect(settings.whitelist).toEqual(['42']);
    expect(settings.underAttack).toBe(true);
  });

  it('many writers on both sides at once: every change stands', async () => {
    const groupId = '-602';
    await protect(groupId);
    const handler = handlerReading(feed);
    const templates = ['one {name}', 'two {name}', 'three {name}'];
    await Promise.all([
      ...['101', '102', '103', '104'].map((userId, n) =>
        handler.onCommand(
          { id: `tg:900:${10 + n}`, correlationId: `tg:900:${10 + n}` },
          whitelistAdd(groupId, userId, 10 + n),
        ),
      ),
      ...templates.map((promptTemplate) =>
        dashboardChanges(groupId, (s) => ({
          ...s,
          muteMinutes: s.muteMinutes + 1,
          promptTemplate,
        })),
      ),
    ]);
    const { settings } = await storedSettings(groupId);
    expect([...settings.whitelist].sort()).toEqual(['101', '102', '103', '104']);
    expect(settings.muteMinutes).toBe(settingsFrom(undefined).muteMinutes + templates.length);
  });
});
