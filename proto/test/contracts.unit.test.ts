import { describe, expect, it } from 'vitest';
import {
  create,
  envelopeHeaders,
  EnvelopeError,
  fromBinary,
  MemberJoinedSchema,
  parseEnvelope,
  subjects,
  toBinary,
} from '../src/index.ts';

describe('event contracts', () => {
  it('round-trips an event through protobuf without losing 64-bit ids', () => {
    const event = create(MemberJoinedSchema, {
      botId: '7000000001',
      groupId: '-1001234567890123',
      user: { id: '9007199254740993', firstName: 'Ada' },
    });
    const decoded = fromBinary(MemberJoinedSchema, toBinary(MemberJoinedSchema, event));
    expect(decoded.groupId).toBe('-1001234567890123');
    expect(decoded.user?.id).toBe('9007199254740993');
  });

  it('puts the aggregate id in the subject', () => {
    const event = create(MemberJoinedSchema, { groupId: '-10042' });
    expect(subjects.event('chat.member_joined', event)).toBe('nz.evt.chat.-10042.member_joined');
  });

  it('refuses subject tokens that would break wildcards', () => {
    expect(() => subjects.actions('a.b')).toThrow(/invalid subject token/);
    expect(() => subjects.log('svc', '')).toThrow(/invalid subject token/);
  });

  it('round-trips the envelope through headers', () => {
    const occurredAt = new Date('2026-11-22T10:00:00.000Z');
    const headers = envelopeHeaders({
      id: 'tg:1:2',
      type: 'verify.decided',
      occurredAt,
      correlationId: 'c-1',
      causationId: 'tg:1:1',
    });
    const parsed = parseEnvelope((name) => headers[name]);
    expect(parsed).toEqual({
      id: 'tg:1:2',
      type: 'verify.decided',
      occurredAt,
      correlationId: 'c-1',
      causationId: 'tg:1:1',
    });
  });

  it('names the header at fault in a bad envelope', () => {
    const headers: Record<string, string> = { 'Nats-Msg-Id': 'x', 'nz-type': 'group.exploded' };
    expect(() => parseEnvelope((name) => headers[name])).toThrow(EnvelopeError);
    expect(() => parseEnvelope((name) => headers[name])).toThrow(
      /unknown event type "group.exploded"/,
    );
  });
});
