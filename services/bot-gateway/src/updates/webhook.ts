// Webhook mode: Telegram POSTs each update to `/telegram/webhook/<botId>` with the secret
// token set by setWebhook in `X-Telegram-Bot-Api-Secret-Token`. A wrong or missing secret
// is 401. The request is answered once the update's facts are stored (Telegram then drops
// it; answering earlier could lose it if the process died in between), and before anything
// slower. If storing takes too long (NATS away) the answer is 503 and Telegram retries;
// the deterministic fact ids make the retry harmless. Any replica that knows the bot can
// take its updates, so a load balancer may send them anywhere.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@nezuko/kit';
import type { UpdateIntake } from './intake.ts';

export const webhookPathPrefix = '/telegram/webhook/';

/** The per-bot secret, derived from its token so every replica agrees without config. */
export function webhookSecret(token: string): string {
  return createHmac('sha256', token).update('nezuko-webhook-secret').digest('base64url');
}

export function webhookUrl(baseUrl: string, botId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${webhookPathPrefix}${botId}`;
}

export interface WebhookTarget {
  readonly secret: string;
  readonly intake: UpdateIntake;
}

export interface WebhookDeps {
  /** The bot's secret and intake if this replica knows the bot. */
  readonly targetFor: (botId: string) => WebhookTarget | undefined;
  readonly logger: Logger;
  readonly storeTimeoutMs?: number;
  readonly maxBodyBytes?: number;
}

/** Handles webhook paths; returns false for any other path. */
export function createWebhookHandler(
  deps: WebhookDeps,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const storeTimeoutMs = deps.storeTimeoutMs ?? 10_000;
  const maxBodyBytes = deps.maxBodyBytes ?? 1024 * 1024;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!path.startsWith(webhookPathPrefix)) return false;
    void (async () => {
      if (req.method !== 'POST') return answer(res, 405, { error: 'method_not_allowed' });
      const target = deps.targetFor(path.slice(webhookPathPrefix.length));
      if (!target) return answer(res, 404, { error: 'unknown_bot' });
      const given = Buffer.from(String(req.headers['x-telegram-bot-api-secret-token'] ?? ''));
      const expected = Buffer.from(target.secret);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return answer(res, 401, { error: 'bad_secret_token' });
      let update: unknown;
      try {
        update = JSON.parse(await readBody(req, maxBodyBytes));
      } catch (error) {
        return answer(res, 400, { error: 'bad_body', reason: (error as Error).message });
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stored = await Promise.race([
        target.intake(update).then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), storeTimeoutMs))),
      ]).catch((error: unknown) => {
        deps.logger.error({ err: error }, 'webhook update could not be stored');
        return false;
      });
      clearTimeout(timer);
      answer(res, stored ? 200 : 503, stored ? {} : { error: 'not_stored_yet' });
    })();
    return true;
  };
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
