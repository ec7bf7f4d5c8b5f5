import { describe, expect, it } from 'vitest';
import { parseBotIdentity, parseBots } from './bots.ts';
import { ContractError } from './contract.ts';

const row = (overrides: Record<string, unknown> = {}) => ({
  bot_id: '7001',
  username: 'gate_bot',
  first_name: 'Gate',
  status: 'running',
  lifecycle: 'enabled',
  uptime_seconds: 5400,
  last_heartbeat_at: '2026-11-22T02:31:35.119Z',
  last_error: null,
  last_error_at: null,
  registered_at: '2026-11-22T01:00:00.000Z',
  api_calls: 10,
  api_errors: 1,
  groups: 2,
  ...overrides,
});

describe('parseBots', () => {
  it('reads the read API rows and leaves deleted bots out', () => {
    const bots = parseBots({
      items: [
        row(),
        row({ bot_id: '7002', lifecycle: 'deleted' }),
        row({ bot_id: '7003', username: null, status: 'error', last_error: 'Unauthorized' }),
      ],
    });
    expect(bots.map((b) => b.bot_id)).toEqual(['7001', '7003']);
    expect(bots[0]).toEqual(row());
    expect(bots[1]).toMatchObject({ username: null, status: 'error', last_error: 'Unauthorized' });
  });

  it('names the field that is wrong', () => {
    expect(() => parseBots({ items: [row({ status: 'sleeping' })] })).toThrow(
      new ContractError('bots.items[0].status: expected one of unknown, running, stopped, error'),
    );
    expect(() => parseBots({ items: [row({ uptime_seconds: '5' })] })).toThrow(/uptime_seconds/);
    expect(() => parseBots({})).toThrow(/bots.items/);
  });
});

describe('parseBotIdentity', () => {
  it("reads getMe's identity as the command API relays it", () => {
    const identity = {
      bot_id: '7001',
      username: 'gate_bot',
      first_name: 'Gate',
      can_join_groups: true,
    };
    expect(parseBotIdentity({ ...identity, event_id: 'cmd:1' })).toEqual(identity);
    expect(() => parseBotIdentity({ ...identity, can_join_groups: 'yes' })).toThrow(
      /can_join_groups/,
    );
  });
});
