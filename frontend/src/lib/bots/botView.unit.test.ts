import { describe, expect, it } from 'vitest';
import { botName, checkToken, liveUptime, statusBadge } from './botView.ts';

describe('liveUptime', () => {
  const at = Date.parse('2026-11-22T12:00:00Z');

  it('counts on from the last heartbeat while the bot runs', () => {
    const bot = {
      status: 'running' as const,
      uptime_seconds: 100,
      last_heartbeat_at: '2026-11-22T12:00:00Z',
    };
    expect(liveUptime(bot, at + 5_000, at + 30_000)).toBe(130);
    // A browser clock behind the server's never shrinks the reading.
    expect(liveUptime(bot, at, at - 60_000)).toBe(100);
  });

  it('counts from the reading when there was no heartbeat', () => {
    const bot = { status: 'running' as const, uptime_seconds: 0, last_heartbeat_at: null };
    expect(liveUptime(bot, at, at + 12_000)).toBe(12);
  });

  it('is zero for a bot that is not running', () => {
    const last_heartbeat_at = '2026-11-22T12:00:00Z';
    expect(
      liveUptime({ status: 'stopped', uptime_seconds: 100, last_heartbeat_at }, at, at + 60_000),
    ).toBe(0);
    expect(
      liveUptime({ status: 'error', uptime_seconds: 100, last_heartbeat_at }, at, at + 60_000),
    ).toBe(0);
  });
});

describe('checkToken', () => {
  it('accepts a token shaped like @BotFather gives, trimmed', () => {
    expect(checkToken(' 123456789:AAEabcdefghijklmnopqrstuvwxyz_-12 ')).toBeNull();
  });

  it('explains what is wrong with anything else', () => {
    expect(checkToken('')).toMatch(/Paste/);
    expect(checkToken('123456789')).toMatch(/not a bot token/);
    expect(checkToken('abc:AAEabcdefghijklmnopqrstuvwxyz')).toMatch(/not a bot token/);
    expect(checkToken('123:short')).toMatch(/not a bot token/);
    expect(checkToken('123:AAEabcdefghijklmnopqrstu vwxyz')).toMatch(/not a bot token/);
  });
});

describe('botName and statusBadge', () => {
  it('prefers the username, then the first name, then the id', () => {
    expect(botName({ bot_id: '7', username: 'gate_bot', first_name: 'Gate' })).toBe('@gate_bot');
    expect(botName({ bot_id: '7', username: null, first_name: 'Gate' })).toBe('Gate');
    expect(botName({ bot_id: '7', username: null, first_name: ' ' })).toBe('Bot 7');
  });

  it('shows errors as bad and running as good', () => {
    expect(statusBadge('error')).toEqual({ label: 'Error', tone: 'bad' });
    expect(statusBadge('running').tone).toBe('good');
    expect(statusBadge('unknown').label).toBe('Starting');
  });
});
