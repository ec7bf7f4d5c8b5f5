// Where to go after signing in: only a path on this origin ("/groups?page=2"), never
// another site ("//evil.example", "https://…") or a backend path.
export function safeNext(raw: string | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (raw === '/login' || raw.startsWith('/login?') || raw.startsWith('/api/')) return '/';
  return raw;
}

export const reasonMessages: Record<string, string> = {
  expired: 'Your session has ended. Sign in again to continue.',
  'signed-out': 'You are signed out.',
};
