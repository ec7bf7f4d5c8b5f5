import { describe, expect, it } from 'vitest';
import { ContractError } from './contract.ts';
import { getVersionedConfig, parseAdmins, parseOperatorConfig } from './settingsApi.ts';

const body = {
  membership_cache: { positive_ttl_seconds: 600, negative_ttl_seconds: 60 },
  prompt_defaults: { language: 'en', delete_after_seconds: 0 },
  retention: { verification_log_days: 90, logs_days: 3 },
  log_levels: {
    'bot-gateway': 'info',
    verification: 'debug',
    'analytics-projector': 'info',
    command: 'warn',
    'websocket-push': 'info',
  },
  webhook: { url: 'https://x.example', secret_set: false },
};

describe('parseOperatorConfig', () => {
  it('reads the served settings', () => {
    const config = parseOperatorConfig(body);
    expect(config.log_levels.verification).toBe('debug');
    expect(config.webhook).toEqual({ url: 'https://x.example', secret_set: false });
  });

  it('names a missing or mistyped field', () => {
    expect(() =>
      parseOperatorConfig({ ...body, retention: { verification_log_days: '90', logs_days: 3 } }),
    ).toThrow(new ContractError('config.retention.verification_log_days: not an integer'));
    expect(() =>
      parseOperatorConfig({ ...body, log_levels: { ...body.log_levels, command: 'loud' } }),
    ).toThrow('config.log_levels.command: unknown level');
  });
});

describe('parseAdmins', () => {
  it('reads accounts and refuses an unknown role', () => {
    const admin = {
      id: 'a1',
      email: 'o@example.com',
      role: 'owner',
      created_at: '2026-01-01T00:00:00Z',
      locked_until: null,
      telegram_user_id: null,
    };
    expect(parseAdmins({ admins: [admin] })).toEqual([
      {
        id: 'a1',
        email: 'o@example.com',
        role: 'owner',
        created_at: '2026-01-01T00:00:00Z',
        locked_until: null,
      },
    ]);
    expect(() => parseAdmins({ admins: [{ ...admin, role: 'root' }] })).toThrow(
      'admin.role: unknown role',
    );
  });
});

describe('getVersionedConfig', () => {
  it('returns the ETag with the settings', async () => {
    const fetch: typeof globalThis.fetch = () =>
      Promise.resolve(
        new Response(JSON.stringify(body), { headers: { etag: '"7"', 'content-type': 'x' } }),
      );
    const result = await getVersionedConfig({ fetch, baseUrl: 'http://command' });
    expect(result).toMatchObject({ ok: true, data: { etag: '"7"' } });
  });
});
