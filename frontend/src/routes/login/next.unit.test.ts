import { describe, expect, it } from 'vitest';
import { safeNext } from './next.ts';

describe('safeNext', () => {
  it('keeps a path on this origin, with its query', () => {
    expect(safeNext('/groups?page=2')).toBe('/groups?page=2');
  });

  it('refuses other origins, protocol-relative and backslash tricks', () => {
    for (const bad of ['https://evil.example/', '//evil.example', '/\\evil.example', 'groups', ''])
      expect(safeNext(bad)).toBe('/');
    expect(safeNext(null)).toBe('/');
  });

  it('never loops back to /login or into the API', () => {
    expect(safeNext('/login?next=/')).toBe('/');
    expect(safeNext('/api/v1/auth/me')).toBe('/');
  });
});
