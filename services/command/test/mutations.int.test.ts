import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accounts,
  allowedOrigin,
  appFor,
  browser,
  enabledSubject,
  fixedNow,
  lastStored as lastOn,
  login,
  newGroupId,
  serviceToken,
  startHarness,
  storedCount as countOn,
  type Harness,
} from './support.ts';

let harness: Harness;
let app: ReturnType<typeof appFor>['app'];
let auth: Record<string, string>;

beforeAll(async () => {
  harness = await startHarness();
  app = appFor(harness, { clock: () => fixedNow }).app;
  await app.ready();
  // Sessions expire by the database's clock, so sign in through an app on the real clock.
  const signIn = appFor(harness).app;
  auth = browser(await login(signIn, accounts.admin));
  await signIn.close();
});

const storedCount = (h: Harness, groupId: string) => countOn(h, enabledSubject(groupId));
const lastStored = (h: Harness, groupId: string) => lastOn(h, enabledSubject(groupId));

afterAll(async () => {
  await app.close();
  await harness.close();
});

function put(
  groupId: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<{
  statusCode: number;
  headers: Record<string, unknown>;
  json: () => unknown;
  body: string;
}> {
  const options: InjectOptions = {
    method: 'PUT',
    url: `/api/v1/groups/${groupId}`,
    headers: { ...auth, ...headers },
    payload: payload as InjectOptions['payload'],
  };
  return app.inject(options);
}

describe('PUT /api/v1/groups/:id', () => {
  it('appends exactly one group.enabled_changed event with the admin as actor', async () => {
    const groupId = newGroupId();
    const res = await put(groupId, { enabled: false }, { 'x-request-id': 'req-from-ingress-1' });
    expect(res.statusCode).toBe(202);
    const body = res.json() as { group_id: string; enabled: boolean; event_id: string };
    expect(body).toEqual({
      group_id: groupId,
      enabled: false,
      event_id: expect.any(String) as string,
    });
    expect(res.headers['x-request-id']).toBe('req-from-ingress-1');

    expect(await storedCount(harness, groupId)).toBe(1);
    const { envelope, event } = await lastStored(harness, groupId);
    expect(envelope).toMatchObject({
      id: body.event_id,
      type: 'group.enabled_changed',
      correlationId: 'req-from-ingress-1',
      occurredAt: fixedNow,
    });
    if (event.type !== 'group.enabled_changed') throw new Error(`unexpected ${event.type}`);
    expect(event.event.groupId).toBe(groupId);
    expect(event.event.enabled).toBe(false);
    expect(event.event.actor?.who).toEqual({ case: 'adminEmail', value: accounts.admin });
  });

  it('stores a request repeated with the same Idempotency-Key once', async () => {
    const groupId = newGroupId();
    const key = { 'idempotency-key': 'retry-me-7f3a' };
    const first = await put(groupId, { enabled: true }, key);
    const second = await put(groupId, { enabled: true }, key);
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(second.json()).toEqual(first.json());
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await storedCount(harness, groupId)).toBe(1);
  });

  it('does not let a reused key swallow a different request', async () => {
    const groupId = newGroupId();
    const key = { 'idempotency-key': 'reused-key' };
    await put(groupId, { enabled: true }, key);
    const other = await put(groupId, { enabled: false }, key);
    expect(other.statusCode).toBe(202);
    expect(await storedCount(harness, groupId)).toBe(2);
    const { event } = await lastStored(harness, groupId);
    expect(event.type === 'group.enabled_changed' && event.event.enabled).toBe(false);
  });

  it('stores every request without a key', async () => {
    const groupId = newGroupId();
    await put(groupId, { enabled: true });
    await put(groupId, { enabled: true });
    expect(await storedCount(harness, groupId)).toBe(2);
  });

  it('accepts a browser request from an allowed origin', async () => {
    const groupId = newGroupId();
    const res = await put(groupId, { enabled: true }, { origin: allowedOrigin });
    expect(res.statusCode).toBe(202);
  });
});

describe('bad input gets a 400 naming the field, and nothing is appended', () => {
  it.each([
    ['a non-boolean', { enabled: 'yes' }, 'enabled'],
    ['an empty object', {}, 'enabled'],
    ['an extra key', { enabled: true, group_title: 'x' }, 'group_title'],
  ])('%s in the body', async (_case, payload, field) => {
    const groupId = newGroupId();
    const res = await put(groupId, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'bad_request',
      field,
      message: expect.stringContaining(field) as string,
    });
    expect(await storedCount(harness, groupId)).toBe(0);
  });

  it.each(['123', 'abc', '-0', '-99999999999999999999'])('the group id %j', async (id) => {
    const res = await put(id, { enabled: true });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request', field: 'id' });
  });

  it('a malformed Idempotency-Key', async () => {
    const res = await put(newGroupId(), { enabled: true }, { 'idempotency-key': 'x'.repeat(300) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'Idempotency-Key' });
  });

  it('a body that is not JSON', async () => {
    const res = await put(newGroupId(), '{"enabled": tru', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request' });
  });

  it('no body at all', async () => {
    const res = await put(newGroupId(), undefined);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request' });
  });
});

describe('authentication and CSRF', () => {
  it.each([
    ['no credentials', {}],
    ['a wrong service token', { authorization: `Bearer ${serviceToken}x` }],
    ['another scheme', { authorization: `Basic ${serviceToken}` }],
  ])('rejects %s with 401', async (_case, headers: Record<string, string>) => {
    const groupId = newGroupId();
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v1/groups/${groupId}`,
      headers,
      payload: { enabled: true },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(await storedCount(harness, groupId)).toBe(0);
  });

  it('rejects a mutation from a foreign origin with 403, even with a valid session', async () => {
    const groupId = newGroupId();
    const res = await put(groupId, { enabled: true }, { origin: 'https://evil.example' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden_origin' });
    expect(await storedCount(harness, groupId)).toBe(0);
  });

  it('rejects a cookie-authenticated mutation that names no Origin (CSRF defence)', async () => {
    const groupId = newGroupId();
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v1/groups/${groupId}`,
      headers: { cookie: auth.cookie ?? '' },
      payload: { enabled: true },
    });
    expect(res.statusCode).toBe(403);
    expect(await storedCount(harness, groupId)).toBe(0);
  });

  it('accepts the service token without an Origin and attributes the event to automation', async () => {
    const groupId = newGroupId();
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v1/groups/${groupId}`,
      headers: { authorization: `Bearer ${serviceToken}` },
      payload: { enabled: false },
    });
    expect(res.statusCode).toBe(202);
    const { event } = await lastStored(harness, groupId);
    expect(event.type === 'group.enabled_changed' && event.event.actor?.who.value).toBe(
      'automation@example.com',
    );
  });
});

describe('transport errors', () => {
  it('answers 415 for a body that is not JSON-typed', async () => {
    const res = await put(newGroupId(), 'enabled=true', { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: 'unsupported_media_type' });
    const form = await put(newGroupId(), 'enabled=true', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.statusCode).toBe(415);
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const payload = JSON.stringify({ enabled: true, padding: 'x'.repeat(70 * 1024) });
    const res = await put(newGroupId(), payload, { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('when the event store is unreachable', () => {
  it('answers 500 without internals while the log keeps the details', async () => {
    const { connect } = await import('@nats-io/transport-node');
    const { testEnv } = await import('@nezuko/kit/testing');
    const doomed = await connect({ servers: testEnv().natsUrl });
    const logLines: string[] = [];
    const broken = appFor(harness, { nc: doomed, logLines }).app;
    await doomed.close();

    const res = await broken.inject({
      method: 'PUT',
      url: `/api/v1/groups/${newGroupId()}`,
      headers: auth,
      payload: { enabled: true },
    });
    expect(res.statusCode).toBe(500);
    const requestId = res.headers['x-request-id'];
    expect(res.json()).toEqual({
      error: 'internal',
      message: 'internal error',
      request_id: requestId,
    });
    expect(res.body).not.toMatch(/nats|closed|connection|stack/i);

    const failure = logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'request failed');
    expect(failure).toMatchObject({ level: 'error', request_id: requestId });
    expect(JSON.stringify(failure?.err)).toMatch(/closed/i);
    expect(logLines.join('\n')).not.toContain(auth.cookie?.split('=')[1]);
    await broken.close();
  });
});

describe('group settings with optimistic concurrency', () => {
  const putSettings = (groupId: string, settings: unknown, ifMatch?: string) =>
    put(groupId, { settings }, ifMatch === undefined ? {} : { 'if-match': ifMatch });

  it('merges a change into the current settings and answers the new ETag', async () => {
    const groupId = newGroupId();
    const first = await putSettings(groupId, { failure_action: 'kick', mute_minutes: 30 }, '"0"');
    expect(first.statusCode).toBe(202);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"\d+"$/);
    const second = await putSettings(groupId, { under_attack: true }, etag);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toMatchObject({
      settings: { failure_action: 'kick', mute_minutes: 30, under_attack: true, language: 'en' },
    });
    const { event } = await lastOn(harness, `nz.evt.group.${groupId}.settings_changed`);
    expect(event).toMatchObject({
      type: 'group.settings_changed',
      event: { groupId, settings: { muteMinutes: 30, underAttack: true } },
    });
  });

  it('answers 409 with the current ETag to the second of two admins editing at once', async () => {
    const groupId = newGroupId();
    const start = await putSettings(groupId, { language: 'de' });
    const seen = String(start.headers.etag);
    const alice = await putSettings(groupId, { mute_minutes: 10 }, seen);
    const bob = await putSettings(groupId, { mute_minutes: 99 }, seen);
    expect(alice.statusCode).toBe(202);
    expect(bob.statusCode).toBe(409);
    expect(bob.json()).toMatchObject({ error: 'conflict', field: 'If-Match' });
    expect(bob.headers.etag).toBe(alice.headers.etag);
    const { event } = await lastOn(harness, `nz.evt.group.${groupId}.settings_changed`);
    expect(event.type === 'group.settings_changed' && event.event.settings?.muteMinutes).toBe(10);
  });

  it('reads the current settings with the ETag a PUT must send back', async () => {
    const groupId = newGroupId();
    const read = () =>
      app.inject({ method: 'GET', url: `/api/v1/groups/${groupId}/settings`, headers: auth });
    const fresh = await read();
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers.etag).toBe('"0"');
    expect(fresh.json()).toMatchObject({ failure_action: 'mute_until_verified', language: 'en' });
    const saved = await putSettings(groupId, { failure_action: 'ban' }, String(fresh.headers.etag));
    const after = await read();
    expect(after.headers.etag).toBe(saved.headers.etag);
    expect(after.json()).toMatchObject({ failure_action: 'ban' });
    const stale = await putSettings(groupId, { language: 'fr' }, String(fresh.headers.etag));
    expect(stale.statusCode).toBe(409);
  });

  it.each([
    [{ failure_action: 'explode' }, 'settings.failure_action'],
    [{ whitelist_user_ids: ['1 OR 1=1'] }, 'settings.whitelist_user_ids.0'],
    [{ prompt_template: 'x'.repeat(3000) }, 'settings.prompt_template'],
  ])('rejects %j naming %s', async (settings, field) => {
    const res = await putSettings(newGroupId(), settings);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field });
  });

  it('keeps a script-looking prompt template as inert text', async () => {
    const groupId = newGroupId();
    const template = '<img src=x onerror=alert(1)> Hi {name}, join {channels}';
    const res = await putSettings(groupId, { prompt_template: template });
    expect(res.statusCode).toBe(202);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ settings: { prompt_template: template } });
  });
});
