// Changes from the browser to the command API, through the one origin (the session
// cookie rides along; the command API checks the Origin header). Failures come back as
// values: the server's message, and the field it names so a form can show it in place.
export interface MutationProblem {
  status: number;
  /** Safe to show: the server's own message, or a plain description of what went wrong. */
  message: string;
  /** The request field the server blamed (400/409), e.g. "settings.prompt_template". */
  field?: string;
  /** The current ETag the server sent with a 409, to reload and retry against. */
  etag?: string;
}

export type MutationResult<T> =
  | { ok: true; status: number; data: T; etag: string | null }
  | { ok: false; problem: MutationProblem };

export interface MutationOptions {
  /** Sent as If-Match (optimistic concurrency on settings and config). */
  ifMatch?: string;
  /** Sent as Idempotency-Key (commands): a retried submit never runs twice. */
  idempotencyKey?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export async function mutate<T = unknown>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: MutationOptions = {},
): Promise<MutationResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch {
    return {
      ok: false,
      problem: { status: 0, message: 'The server is not answering; try again in a moment.' },
    };
  }
  const parsed: unknown = await response.json().catch(() => null);
  if (response.ok) {
    return {
      ok: true,
      status: response.status,
      data: parsed as T,
      etag: response.headers.get('etag'),
    };
  }
  const o =
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const problem: MutationProblem = {
    status: response.status,
    message:
      typeof o['message'] === 'string' && o['message']
        ? o['message']
        : `The server answered ${response.status}.`,
  };
  if (typeof o['field'] === 'string') problem.field = o['field'];
  const etag = response.headers.get('etag') ?? (typeof o['etag'] === 'string' ? o['etag'] : null);
  if (etag) problem.etag = etag;
  if (response.status === 401) {
    // The session ended while the page was open: sign in again and come back.
    const next = window.location.pathname + window.location.search;
    window.location.assign(`/login?${new URLSearchParams({ next, reason: 'expired' }).toString()}`);
  }
  return { ok: false, problem };
}

/** A fresh Idempotency-Key for one user intent (reuse it when retrying that intent). */
export const newIdempotencyKey = (): string => crypto.randomUUID();
