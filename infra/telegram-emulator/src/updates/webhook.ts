// Webhook delivery for one bot: POSTs each pending update to the bot's URL, one at a
// time and in order, with the X-Telegram-Bot-Api-Secret-Token header. A failure (non-2xx,
// refused connection, timeout) is recorded as last_error_* and retried with exponential
// backoff (or the webhook's Retry-After). A 2xx answer carrying a `method` is executed
// as a Bot API call, as Telegram does with webhook replies.

export interface WebhookConfig {
  url: string;
  secretToken?: string;
  maxConnections: number;
}

export interface WebhookSource {
  /** The oldest unconfirmed update. */
  peek(): { update_id: number } | undefined;
  confirm(updateId: number): void;
}

export interface WebhookOptions {
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  nowSeconds: () => number;
  onReply: (method: string, params: Record<string, unknown>) => void;
}

const METHODS_NOT_ALLOWED_IN_REPLY = new Set(['setwebhook', 'deletewebhook', 'close', 'logout']);

/** The network error codes behind a failed fetch (undici wraps them, sometimes several). */
function errorCodes(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  return [
    ...(typeof code === 'string' ? [code] : []),
    ...errorCodes(cause),
    ...(Array.isArray(errors) ? errors.flatMap(errorCodes) : []),
  ];
}

function describeFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'Read timeout expired';
  const codes = errorCodes(error);
  if (codes.includes('ECONNREFUSED')) return 'Connection refused';
  if (codes.includes('ENOTFOUND')) return 'Failed to resolve host: Name or service not known';
  if (codes.includes('ECONNRESET')) return 'Connection reset by peer';
  return error instanceof Error ? error.message : String(error);
}

export class WebhookSender {
  readonly config: WebhookConfig;
  lastError: { date: number; message: string } | undefined;
  private readonly source: WebhookSource;
  private readonly options: WebhookOptions;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly abort = new AbortController();
  private failures = 0;

  constructor(config: WebhookConfig, source: WebhookSource, options: WebhookOptions) {
    this.config = config;
    this.source = source;
    this.options = options;
  }

  /** Starts delivering if it is not already. */
  kick(): void {
    if (this.stopped || this.running) return;
    this.running = this.deliverAll().finally(() => {
      this.running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.running;
  }

  private async deliverAll(): Promise<void> {
    for (let update = this.source.peek(); update && !this.stopped; update = this.source.peek()) {
      const failure = await this.post(update);
      if (this.stopped) return;
      if (failure === undefined) {
        this.failures = 0;
        this.source.confirm(update.update_id);
        continue;
      }
      this.lastError = { date: this.options.nowSeconds(), message: failure.message };
      this.failures++;
      const backoff = Math.min(
        this.options.retryBaseMs * 2 ** (this.failures - 1),
        this.options.retryMaxMs,
      );
      await this.sleep(failure.retryAfterMs ?? backoff);
    }
  }

  /** Undefined on success, else why it failed. */
  private async post(
    update: object,
  ): Promise<{ message: string; retryAfterMs?: number } | undefined> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.config.secretToken)
      headers['x-telegram-bot-api-secret-token'] = this.config.secretToken;
    try {
      const response = await fetch(this.config.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      const body = await response.text();
      if (!response.ok) {
        const retryAfter = Number(response.headers.get('retry-after'));
        const message = `Wrong response from the webhook: ${response.status} ${response.statusText}`;
        return retryAfter > 0 ? { message, retryAfterMs: retryAfter * 1000 } : { message };
      }
      this.executeReply(response.headers.get('content-type'), body);
      return undefined;
    } catch (error) {
      return { message: describeFailure(error) };
    }
  }

  private executeReply(contentType: string | null, body: string): void {
    if (!contentType?.includes('application/json') || body.length === 0) return;
    let reply: unknown;
    try {
      reply = JSON.parse(body);
    } catch {
      return;
    }
    if (typeof reply !== 'object' || reply === null || !('method' in reply)) return;
    const { method, ...params } = reply as Record<string, unknown>;
    if (typeof method !== 'string') return;
    const name = method.toLowerCase();
    if (METHODS_NOT_ALLOWED_IN_REPLY.has(name) || name.startsWith('get')) return;
    this.options.onReply(method, params);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.abort.signal.addEventListener('abort', wake);
    });
  }
}
