import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { jetstream } from '@nats-io/jetstream';
import { applyLogLevel, createLogger, watchGlobalSettings, type GlobalSettings } from '@nezuko/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accounts,
  appFor,
  browser,
  lastStored,
  login,
  startHarness,
  type Harness,
} from './support.ts';

let harness: Harness;
let app: FastifyInstance;
let owner: Record<string, string>;
let receiver: Server;
let receiverUrl: string;
const received: { body: string; signature: string }[] = [];

beforeAll(async () => {
  harness = await startHarness();
  app = appFor(harness).app;
  await app.ready();
  owner = browser(await login(app, accounts.owner));
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers['x-nezuko-signature']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address() as { port: number };
  receiverUrl = `http://127.0.0.1:${address.port}/hook`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await app.close();
  await harness.close();
});

const get = (headers = owner) => app.inject({ method: 'GET', url: '/api/v1/config', headers });
const put = (payload: unknown, ifMatch?: string, headers = owner) =>
  app.inject({
    method: 'PUT',
    url: '/api/v1/config',
    headers: { ...headers, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
    payload: payload as object,
  });

describe('operator settings', () => {
  it('serves defaults, applies a partial change, and never shows the webhook secret', async () => {
    const first = await get();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      membership_cache: { positive_ttl_seconds: 600, negative_ttl_seconds: 60 },
      webhook: { url: '', secret_set: false },
    });
    const etag = String(first.headers.etag);
    const res = await put(
      {
        membership_cache: { negative_ttl_seconds: 30 },
        log_levels: { verification: 'debug' },
        webhook: { url: receiverUrl, secret: 'hook-secret-value' },
      },
      etag,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      membership_cache: { positive_ttl_seconds: 600, negative_ttl_seconds: 30 },
      log_levels: { verification: 'debug', command: 'info' },
      webhook: { url: receiverUrl, secret_set: true },
    });
    expect(res.body).not.toContain('hook-secret-value');
    expect((await get()).body).not.toContain('hook-secret-value');
    const audit = await lastStored(harness, 'nz.evt.audit.config.recorded');
    if (audit.event.type !== 'audit.recorded') throw new Error('no audit entry');
    expect(audit.event.event.newValue).toContain('"negative_ttl_seconds":30');
    expect(audit.event.event.newValue).not.toContain('hook-secret-value');
  });

  it('answers 409 with the current ETag to a write based on an older version', async () => {
    const seen = String((await get()).headers.etag);
    const alice = await put({ retention: { logs_days: 7 } }, seen);
    const bob = await put({ retention: { logs_days: 1 } }, seen);
    expect([alice.statusCode, bob.statusCode]).toEqual([200, 409]);
    expect(bob.headers.etag).toBe(alice.headers.etag);
    expect((await get()).json()).toMatchObject({ retention: { logs_days: 7 } });
  });

  it('is owner-only to change and readable by every role', async () => {
    const admin = browser(await login(app, accounts.admin));
    const viewer = browser(await login(app, accounts.viewer));
    expect((await get(admin)).statusCode).toBe(200);
    expect((await get(viewer)).statusCode).toBe(200);
    expect((await get(viewer)).body).not.toContain('hook-secret-value');
    expect((await put({ retention: { logs_days: 2 } }, undefined, admin)).statusCode).toBe(403);
    expect((await put({ retention: { logs_days: 2 } }, undefined, viewer)).statusCode).toBe(403);
  });

  it('reaches a running service: its log level flips without a restart', async () => {
    const logger = createLogger('verification', 'info', { write: () => undefined });
    const watch = await watchGlobalSettings(jetstream(harness.nc), harness.names, logger);
    try {
      const seen: GlobalSettings[] = [];
      watch.onChange((settings) => {
        seen.push(settings);
        applyLogLevel(logger, 'verification', settings);
      });
      // The latest value arrives first: the earlier test left verification on debug.
      await until(() => logger.level === 'debug');
      const etag = String((await get()).headers.etag);
      const res = await put(
        { log_levels: { verification: 'warn' }, membership_cache: { positive_ttl_seconds: 900 } },
        etag,
      );
      expect(res.statusCode).toBe(200);
      await until(() => logger.level === 'warn');
      expect(watch.current()?.membership_cache.positive_ttl_seconds).toBe(900);
      expect(JSON.stringify(seen)).not.toContain('hook-secret-value');
      expect(JSON.stringify(seen)).not.toContain('webhook');
    } finally {
      await watch.stop();
    }
  });

  it.each([
    [{ retention: { logs_days: 0 } }, 'retention.logs_days'],
    [{ log_levels: { verification: 'loud' } }, 'log_levels.verification'],
    [{ webhook: { url: 'javascript:alert(1)' } }, 'webhook.url'],
  ])('rejects %j naming %s', async (payload, field) => {
    const res = await put(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field });
  });

  it('sends a signed test event to the webhook and reports its answer', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/config/webhook/test',
      headers: owner,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ delivered: true, status: 204 });
    const last = received.at(-1);
    expect(last?.signature).toBe(
      `sha256=${createHmac('sha256', 'hook-secret-value')
        .update(last?.body ?? '')
        .digest('hex')}`,
    );
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
