// The session cookie: an opaque random id the browser holds; the server stores only its
// SHA-256, so a leaked sessions table cannot be replayed as cookies.
import { createHash, randomBytes } from 'node:crypto';

export const sessionCookieName = 'nz_session';

/** 32 random bytes, base64url: the value of the cookie. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedSessionId(value: string): boolean {
  return sessionIdPattern.test(value);
}

export function hashSessionId(sessionId: string): Buffer {
  return createHash('sha256').update(sessionId).digest();
}

/** The session id in a Cookie header, or undefined (absent or malformed). */
export function sessionIdFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== sessionCookieName) continue;
    const value = part.slice(eq + 1).trim();
    return isWellFormedSessionId(value) ? value : undefined;
  }
  return undefined;
}

export interface CookieOptions {
  /** Secure outside localhost: browsers drop Secure cookies over plain http. */
  readonly secure: boolean;
  readonly maxAgeSeconds: number;
}

/** Set-Cookie for a new session: HttpOnly, SameSite=Strict, whole site. */
export function sessionCookie(sessionId: string, options: CookieOptions): string {
  return [
    `${sessionCookieName}=${sessionId}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** Set-Cookie that makes the browser forget the session. */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', { secure, maxAgeSeconds: 0 });
}
