// Given an event, when the projection plans it, then the read-model change is...
import { PoisonMessageError } from '@nezuko/kit';
import {
  BotStatusChangedSchema,
  ChannelUnlinkedSchema,
  create,
  MemberJoinedSchema,
  VerificationDecidedSchema,
  type DomainEvent,
  type VerificationOutcome,
} from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import { changedModels, planChange } from '../src/projection/changes.ts';
import { outcomeName, utcDay } from '../src/projection/records.ts';
import { isTransient } from '../src/transient.ts';
import { botStatus, channelLinked, decision } from '../src/testing/index.ts';

const meta = { seq: 42, eventId: 'evt-42', occurredAt: new Date('2026-03-01T23:59:59.999Z') };

describe('planning read-model changes', () => {
  it('turns a decision into a log record on the UTC day it happened', () => {
    const change = planChange(
      {
        type: 'verify.decided',
        event: decision({
          groupId: '-1001',
          userId: '9007199254740993',
          outcome: 'restricted',
          trigger: 'message',
          cached: true,
          latencyMs: 17,
          missingChannelIds: ['-1002'],
        }),
      },
      meta,
    );
    expect(change).toMatchObject({
      kind: 'verification',
      record: {
        seq: 42,
        day: '2026-03-01',
        groupId: '-1001',
        userId: '9007199254740993',
        username: null,
        outcome: 'restricted',
        trigger: 'message',
        cached: true,
        latencyMs: 17,
        missingChannelIds: ['-1002'],
      },
    });
    expect(changedModels(change!)).toEqual(['verifications']);
  });

  it('keeps empty protobuf strings out of the read model as nulls', () => {
    const change = planChange(
      { type: 'group.channel_linked', event: channelLinked({ groupId: '-1', channelId: '-2' }) },
      meta,
    );
    expect(change).toMatchObject({
      kind: 'channel_linked',
      link: {
        groupId: '-1',
        groupTitle: null,
        channel: { channelId: '-2', title: null, username: null, inviteLink: null },
      },
    });
    expect(changedModels(change!)).toEqual(['groups']);
  });

  it('ignores facts the dashboard does not read', () => {
    const event = create(MemberJoinedSchema, { groupId: '-1', botId: '1', user: { id: '5' } });
    expect(planChange({ type: 'chat.member_joined', event }, meta)).toBeNull();
  });

  it('records a bot error and leaves the last error alone otherwise', () => {
    const failing = create(BotStatusChangedSchema, {
      botId: '5',
      status: botStatus.ERROR,
      reason: '401 Unauthorized',
    });
    const running = create(BotStatusChangedSchema, {
      botId: '5',
      status: botStatus.RUNNING,
      uptimeSeconds: 60,
    });
    expect(planChange({ type: 'bot.status_changed', event: failing }, meta)).toMatchObject({
      record: { status: 'error', error: '401 Unauthorized' },
    });
    expect(planChange({ type: 'bot.status_changed', event: running }, meta)).toMatchObject({
      record: { status: 'running', error: null, uptimeSeconds: 60 },
    });
  });

  it.each<[string, DomainEvent]>([
    [
      'a decision without an outcome',
      {
        type: 'verify.decided',
        event: create(VerificationDecidedSchema, { groupId: '-1', user: { id: '5' }, trigger: 1 }),
      },
    ],
    [
      'a decision without a user',
      {
        type: 'verify.decided',
        event: create(VerificationDecidedSchema, { groupId: '-1', outcome: 1, trigger: 1 }),
      },
    ],
    [
      'an unlink without a group',
      { type: 'group.channel_unlinked', event: create(ChannelUnlinkedSchema, { channelId: '-2' }) },
    ],
    [
      'an outcome newer than this build',
      {
        type: 'verify.decided',
        event: create(VerificationDecidedSchema, {
          groupId: '-1',
          user: { id: '5' },
          outcome: 9 as VerificationOutcome,
          trigger: 1,
        }),
      },
    ],
  ])('rejects %s as poison', (_, event) => {
    expect(() => planChange(event, meta)).toThrow(PoisonMessageError);
  });
});

describe('vocabulary', () => {
  it('names every outcome the contract defines', () => {
    expect([1, 2, 3, 4].map((o) => outcomeName(o as VerificationOutcome))).toEqual([
      'verified',
      'restricted',
      'exempt',
      'error',
    ]);
  });

  it('takes the day in UTC, not local time', () => {
    expect(utcDay(new Date('2026-01-01T00:30:00+02:00'))).toBe('2025-12-31');
  });
});

describe('transient failures', () => {
  it.each([
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      true,
    ],
    ['admin shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' }), true],
    [
      'serialization failure',
      Object.assign(new Error('could not serialize'), { code: '40001' }),
      true,
    ],
    ['lost connection', new Error('Connection terminated unexpectedly'), true],
    [
      'check violation',
      Object.assign(new Error('violates check constraint'), { code: '23514' }),
      false,
    ],
    ['poison', new PoisonMessageError('bad event'), false],
  ])('%s -> transient %s', (_, error, transient) => {
    expect(isTransient(error)).toBe(transient);
  });
});
