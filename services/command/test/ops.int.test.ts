import { startTelemetry, type Telemetry } from '@nezuko/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceToken, appFor, newGroupId, startHarness, type Harness } from './support.ts';

let harness: Harness;
let telemetry: Telemetry;

beforeAll(async () => {
  harness = await startHarness();
  telemetry = startTelemetry('command-test');
});

afterAll(async () => {
  await telemetry.shutdown();
  await harness.close();
});

describe('ops endpoints', () => {
  it('reports alive, ready with NATS, and not ready while draining', async () => {
    const { app, probes } = appFor(harness);
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { nats: true } });
    probes.draining = true;
    const draining = await app.inject({ url: '/readyz' });
    expect(draining.statusCode).toBe(503);
    expect(draining.json()).toMatchObject({ draining: true });
    await app.close();
  });

  it('is not ready when NATS is gone', async () => {
    const { connect } = await import('@nats-io/transport-node');
    const { testEnv } = await import('@nezuko/kit/testing');
    const nc = await connect({ servers: testEnv().natsUrl });
    const { app } = appFor(harness, { nc });
    await nc.close();
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ checks: { nats: false } });
    await app.close();
  });

  it('counts requests by route and status, and appended events, on /metrics', async () => {
    const { app } = appFor(harness, {
      meter: telemetry.meter,
      serveMetrics: (req, res) => telemetry.serveMetrics(req, res),
    });
    const groupId = newGroupId();
    const headers = { authorization: `Bearer ${serviceToken}`, 'idempotency-key': 'metrics-1' };
    for (let i = 0; i < 2; i++) {
      await app.inject({
        method: 'PUT',
        url: `/api/v1/groups/${groupId}`,
        headers,
        payload: { enabled: true },
      });
    }
    await app.inject({
      method: 'PUT',
      url: `/api/v1/groups/${groupId}`,
      payload: { enabled: true },
    });
    await app.inject({ url: `/probe/${groupId}` });

    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(text).toMatch(
      /nezuko_http_requests_total\{[^}]*route="\/api\/v1\/groups\/:id"[^}]*status="202"[^}]*\} 2/,
    );
    expect(text).toMatch(
      /nezuko_http_requests_total\{[^}]*route="\/api\/v1\/groups\/:id"[^}]*status="401"[^}]*\} 1/,
    );
    expect(text).toMatch(/nezuko_command_events_appended_total\{[^}]*duplicate="false"[^}]*\} 1/);
    expect(text).toMatch(/nezuko_command_events_appended_total\{[^}]*duplicate="true"[^}]*\} 1/);
    // Unknown paths share one label, so scanners cannot blow up the series count.
    expect(text).toMatch(
      /nezuko_http_requests_total\{[^}]*route="unmatched"[^}]*status="404"[^}]*\} 1/,
    );
    expect(text).not.toContain(`/probe/${groupId}`);
    expect(text).toContain('nezuko_http_request_duration_seconds');
    await app.close();
  });

  it('serves the OpenAPI document without credentials', async () => {
    const { app } = appFor(harness);
    const res = await app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      openapi: '3.1.0',
      paths: { '/api/v1/groups/{id}': { put: {} } },
    });
    await app.close();
  });
});
