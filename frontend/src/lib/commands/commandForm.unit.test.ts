import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  draftFieldFor,
  emptyDraft,
  intentFor,
  parseDuration,
  type CommandDraft,
} from './commandForm.ts';

const now = Date.parse('2026-11-22T12:00:00Z');
const nowS = now / 1_000;
const draft = (overrides: Partial<CommandDraft>): CommandDraft => ({
  ...emptyDraft(),
  group_id: '-1001234',
  ...overrides,
});

describe('parseDuration', () => {
  it('reads empty as forever and minutes, hours, days as seconds', () => {
    expect(parseDuration('')).toEqual({ seconds: null });
    expect(parseDuration('  ')).toEqual({ seconds: null });
    expect(parseDuration('30m')).toEqual({ seconds: 1_800 });
    expect(parseDuration('12H')).toEqual({ seconds: 43_200 });
    expect(parseDuration('7 d')).toEqual({ seconds: 604_800 });
  });

  it('refuses what Telegram would read as forever or what is not a duration', () => {
    expect(parseDuration('367d')).toHaveProperty('error');
    expect(parseDuration('0m')).toHaveProperty('error');
    expect(parseDuration('10')).toHaveProperty('error');
    expect(parseDuration('1w')).toHaveProperty('error');
    expect(parseDuration('-5m')).toHaveProperty('error');
  });
});

describe('checkDraft', () => {
  it('builds a ban with an until_date from the duration, and forever without one', () => {
    expect(checkDraft(draft({ user_id: '42', duration: '1h' }), now)).toEqual({
      ok: true,
      body: { type: 'ban_user', group_id: '-1001234', user_id: '42', until_date: nowS + 3_600 },
    });
    expect(checkDraft(draft({ user_id: ' 42 ' }), now)).toEqual({
      ok: true,
      body: { type: 'ban_user', group_id: '-1001234', user_id: '42' },
    });
  });

  it('asks for a group and refuses ids the command API refuses', () => {
    const noGroup = checkDraft({ ...draft({ user_id: '42' }), group_id: '' }, now);
    expect(noGroup).toEqual({ ok: false, errors: { group_id: 'Choose a group.' } });
    const positive = checkDraft(draft({ group_id: '1001', user_id: '42' }), now);
    expect(positive.ok ? null : positive.errors.group_id).toMatch(/negative integer/);
    const huge = checkDraft(draft({ group_id: '-99999999999999999999', user_id: '42' }), now);
    expect(huge.ok).toBe(false);
    const badUser = checkDraft(draft({ user_id: '-5' }), now);
    expect(badUser.ok ? null : badUser.errors.user_id).toMatch(/positive integer/);
    const zeroUser = checkDraft(draft({ user_id: '0' }), now);
    expect(zeroUser.ok).toBe(false);
  });

  it('sends only the fields the type uses', () => {
    const sync = checkDraft(draft({ type: 'sync_members', user_id: 'junk', text: 'x' }), now);
    expect(sync).toEqual({ ok: true, body: { type: 'sync_members', group_id: '-1001234' } });
    const unban = checkDraft(draft({ type: 'unban_user', user_id: '7', duration: 'junk' }), now);
    expect(unban).toEqual({
      ok: true,
      body: { type: 'unban_user', group_id: '-1001234', user_id: '7' },
    });
  });

  it('checks message text length and message ids like the API', () => {
    const empty = checkDraft(draft({ type: 'send_message', text: '   ' }), now);
    expect(empty.ok ? null : empty.errors.text).toBeDefined();
    const long = checkDraft(draft({ type: 'send_message', text: 'a'.repeat(4097) }), now);
    expect(long.ok ? null : long.errors.text).toMatch(/4096/);
    const max = checkDraft(draft({ type: 'send_message', text: 'a'.repeat(4096) }), now);
    expect(max.ok).toBe(true);
    const badId = checkDraft(draft({ type: 'delete_message', message_id: '12a' }), now);
    expect(badId.ok ? null : badId.errors.message_id).toMatch(/message id/);
    const tooLong = checkDraft(draft({ type: 'delete_message', message_id: '1'.repeat(17) }), now);
    expect(tooLong.ok).toBe(false);
    expect(checkDraft(draft({ type: 'delete_message', message_id: '99' }), now)).toEqual({
      ok: true,
      body: { type: 'delete_message', group_id: '-1001234', message_id: '99' },
    });
  });

  it('reports every problem at once', () => {
    const result = checkDraft(
      { ...emptyDraft('mute_user'), group_id: 'x', user_id: '', duration: '5y' },
      now,
    );
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual([
      'duration',
      'group_id',
      'user_id',
    ]);
  });
});

describe('intentFor', () => {
  let n = 0;
  const key = () => `key-${++n}`;

  it('reuses the body and key when the same draft is submitted again', () => {
    const d = draft({ user_id: '42', duration: '1h' });
    const first = intentFor(null, d, now, key);
    if (!first.ok) throw new Error('expected a valid intent');
    const retry = intentFor(first.intent, { ...d }, now + 60_000, key);
    expect(retry).toEqual(first);
  });

  it('starts a new intent when a used field changes, not when an unused one does', () => {
    const d = draft({ type: 'unban_user', user_id: '42' });
    const first = intentFor(null, d, now, key);
    if (!first.ok) throw new Error('expected a valid intent');
    const unused = intentFor(first.intent, { ...d, text: 'typed elsewhere' }, now, key);
    expect(unused.ok && unused.intent.key).toBe(first.intent.key);
    const changed = intentFor(first.intent, { ...d, user_id: '43' }, now, key);
    expect(changed.ok && changed.intent.key).not.toBe(first.intent.key);
    expect(changed.ok && changed.intent.body.user_id).toBe('43');
  });

  it('returns the problems of an invalid draft without a key', () => {
    const result = intentFor(null, draft({ user_id: '' }), now, key);
    expect(result).toEqual({ ok: false, errors: { user_id: 'Enter the Telegram user id.' } });
  });
});

describe('draftFieldFor', () => {
  it('maps the fields the command API names to the form fields that show them', () => {
    expect(draftFieldFor('until_date')).toBe('duration');
    expect(draftFieldFor('bot_id')).toBe('group_id');
    expect(draftFieldFor('user_id')).toBe('user_id');
    expect(draftFieldFor('type')).toBeNull();
    expect(draftFieldFor(undefined)).toBeNull();
  });
});
