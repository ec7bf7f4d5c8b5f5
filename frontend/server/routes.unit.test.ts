import { describe, expect, it } from 'vitest';
import { normalizeTarget, routeRequest, routeUpgrade } from './routes.ts';

describe('routeRequest', () => {
  it.each([
    ['GET', '/api/v1/dashboard/stats', 'read'],
    ['HEAD', '/api/v1/dashboard/activity?limit=20', 'read'],
    ['GET', '/api/v1/groups?page=1&per_page=20&search=', 'read'],
    ['POST', '/api/v1/groups', 'command'],
    ['PUT', '/api/v1/groups/-1001/settings', 'command'],
    ['PATCH', '/api/v1/bots/7', 'command'],
    ['DELETE', '/api/v1/channels/-100777', 'command'],
    ['GET', '/api/v1/auth/session', 'command'],
    ['GET', '/api/v1/auth', 'command'],
    ['GET', '/api/v1/admins', 'command'],
    ['GET', '/api/v1/admins/12?x=1', 'command'],
    ['GET', '/api/v1/config', 'command'],
    ['GET', '/api/v1/config/limits', 'command'],
    ['get', '/api/v1/dashboard/stats', 'read'],
  ])('%s %s goes to the %s API', (method, url, upstream) => {
    expect(routeRequest(method, url)).toMatchObject({ kind: 'proxy', upstream });
  });

  it('keeps the query string for the backend', () => {
    expect(routeRequest('GET', '/api/v1/dashboard/chart-data?days=30')).toEqual({
      kind: 'proxy',
      upstream: 'read',
      target: '/api/v1/dashboard/chart-data?days=30',
    });
  });

  it('answers /healthz itself', () => {
    expect(routeRequest('GET', '/healthz')).toEqual({ kind: 'health' });
  });

  it.each(['/', '/groups', '/_app/immutable/entry/app.js', '/apiary', '/favicon.svg'])(
    'hands %s to the app',
    (url) => expect(routeRequest('GET', url)).toEqual({ kind: 'app' }),
  );

  it('routes on the resolved path, so dot segments cannot reach the read API with a command path', () => {
    expect(routeRequest('GET', '/api/v1/dashboard/../admins')).toEqual({
      kind: 'proxy',
      upstream: 'command',
      target: '/api/v1/admins',
    });
    expect(routeRequest('GET', '/api/v1/x/%2e%2e/auth/me')).toMatchObject({ upstream: 'command' });
    expect(routeRequest('GET', '/api/../healthz')).toEqual({ kind: 'health' });
  });
});

describe('routeUpgrade', () => {
  it('sends the /ws WebSocket to the read API', () => {
    expect(routeUpgrade('/ws')).toEqual({ upstream: 'read', target: '/ws' });
    expect(routeUpgrade('/ws?token=abc')).toEqual({ upstream: 'read', target: '/ws?token=abc' });
  });

  it('refuses upgrades anywhere else', () => {
    expect(routeUpgrade('/')).toBeNull();
    expect(routeUpgrade('/api/v1/ws')).toBeNull();
  });
});

describe('normalizeTarget', () => {
  it('treats a leading double slash as a path, not a host', () => {
    expect(normalizeTarget('//evil.example/api')).toEqual({
      path: '//evil.example/api',
      target: '//evil.example/api',
    });
  });
});
