import { describe, expect, it } from 'vitest';
import {
  clearedSessionCookie,
  newSessionId,
  roleAllows,
  sessionCookie,
  sessionIdFromCookieHeader,
} from '../src/index.ts';

describe('session cookie', () => {
  it('finds the session among other cookies and ignores a malformed one', () => {
    const id = newSessionId();
    expect(sessionIdFromCookieHeader(`theme=dark; nz_session=${id}; x=1`)).toBe(id);
    expect(sessionIdFromCookieHeader("nz_session=' or 1=1 --")).toBeUndefined();
    expect(sessionIdFromCookieHeader(`nz_session=${id}x`)).toBeUndefined();
    expect(sessionIdFromCookieHeader(undefined)).toBeUndefined();
  });

  it('is HttpOnly and SameSite=Strict, Secure only when asked', () => {
    const local = sessionCookie('abc', { secure: false, maxAgeSeconds: 60 });
    expect(local).toContain('HttpOnly');
    expect(local).toContain('SameSite=Strict');
    expect(local).not.toContain('Secure');
    expect(sessionCookie('abc', { secure: true, maxAgeSeconds: 60 })).toContain('; Secure');
    expect(clearedSessionCookie(false)).toContain('Max-Age=0');
  });

  it('orders roles viewer < admin < owner', () => {
    expect(roleAllows('owner', 'admin')).toBe(true);
    expect(roleAllows('admin', 'owner')).toBe(false);
    expect(roleAllows('viewer', 'admin')).toBe(false);
    expect(roleAllows('viewer', 'viewer')).toBe(true);
  });
});
