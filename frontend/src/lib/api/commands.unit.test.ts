import { describe, expect, it } from 'vitest';
import { commandsPath, parseCommands, parseGroupOptions, statusFilter } from './commands.ts';

const command = (overrides: Record<string, unknown> = {}) => ({
  command_id: 'c1',
  kind: 'ban_user',
  status: 'failed',
  actor: 'owner@example.com',
  group_id: '-1001',
  bot_id: '7001',
  error: 'Bad Request: user not found',
  requested_at: '2026-11-22T02:31:35.119Z',
  updated_at: '2026-11-22T02:31:36.119Z',
  ...overrides,
});

describe('parseCommands', () => {
  it("reads commands with Telegram's error and nullable fields", () => {
    const [failed, pending] = parseCommands({
      items: [
        command(),
        command({ command_id: 'c2', status: 'pending', actor: null, error: null, group_id: null }),
      ],
    });
    expect(failed).toEqual(command());
    expect(pending).toMatchObject({ status: 'pending', actor: null, group_id: null, error: null });
  });

  it('refuses an unknown status or a missing time', () => {
    expect(() => parseCommands({ items: [command({ status: 'queued' })] })).toThrow(/status/);
    expect(() => parseCommands({ items: [command({ requested_at: undefined })] })).toThrow(
      /requested_at/,
    );
  });
});

describe('parseGroupOptions', () => {
  it('keeps only what the picker needs', () => {
    expect(
      parseGroupOptions({
        items: [
          { group_id: '-1001', title: 'Fans', enabled: true },
          { group_id: '-1002', title: null },
        ],
        total: 2,
      }),
    ).toEqual([
      { group_id: '-1001', title: 'Fans' },
      { group_id: '-1002', title: null },
    ]);
    expect(() => parseGroupOptions({ items: [{ title: 'x' }] })).toThrow(/group_id/);
  });
});

describe('status filter', () => {
  it('accepts the read API statuses only and puts them in the query', () => {
    expect(statusFilter('failed')).toBe('failed');
    expect(statusFilter('bogus')).toBeNull();
    expect(statusFilter(null)).toBeNull();
    expect(commandsPath('running')).toBe('/api/v1/commands?limit=100&status=running');
    expect(commandsPath(null)).toBe('/api/v1/commands?limit=100');
  });
});
