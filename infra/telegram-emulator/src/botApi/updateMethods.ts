// Getting updates: long polling and webhooks.

import { isIP } from 'node:net';
import { botApiErrors } from '../errors.ts';
import { DEFAULT_ALLOWED_UPDATES } from '../state/routing.ts';
import { answer } from './context.ts';
import { allowedUpdatesParam, boolParam, intParam, stringParam } from './params.ts';
import type { MethodHandler } from './context.ts';

const LONG_POLL_MAX_TIMEOUT = 50;
const DEFAULT_MAX_CONNECTIONS = 40;
const SECRET_TOKEN = /^[A-Za-z0-9_-]*$/;

const clamp = (value: number, min: number, max: number): number =>
  Math.min(max, Math.max(min, value));

function webhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw botApiErrors.invalidWebhookUrl();
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw botApiErrors.invalidWebhookUrl();
  return url.toString();
}

const deleteWebhook: MethodHandler = async ({ hub, bot, params }) => {
  const outcome = await hub
    .inbox(bot.user.id)
    .deleteWebhook(boolParam(params, 'drop_pending_updates'));
  return answer(true, outcome);
};

export const updateMethods: Record<string, MethodHandler> = {
  getUpdates: async ({ hub, bot, params, signal }) => {
    const updates = await hub.inbox(bot.user.id).poll(
      {
        offset: intParam(params, 'offset') ?? 0,
        limit: clamp(intParam(params, 'limit') ?? 100, 1, 100),
        timeoutSeconds: clamp(intParam(params, 'timeout') ?? 0, 0, LONG_POLL_MAX_TIMEOUT),
        allowedUpdates: allowedUpdatesParam(params),
      },
      signal,
    );
    return answer(updates);
  },

  setWebhook: async (ctx) => {
    const url = stringParam(ctx.params, 'url') ?? '';
    if (url === '') return deleteWebhook(ctx);
    const secretToken = stringParam(ctx.params, 'secret_token') ?? '';
    if (secretToken.length > 256) throw botApiErrors.secretTokenTooLong();
    if (!SECRET_TOKEN.test(secretToken)) throw botApiErrors.secretTokenUnallowedCharacters();
    const config = {
      url: webhookUrl(url),
      ...(secretToken !== '' ? { secretToken } : {}),
      maxConnections: clamp(
        intParam(ctx.params, 'max_connections') ?? DEFAULT_MAX_CONNECTIONS,
        1,
        100,
      ),
    };
    const outcome = await ctx.hub
      .inbox(ctx.bot.user.id)
      .setWebhook(
        config,
        boolParam(ctx.params, 'drop_pending_updates'),
        allowedUpdatesParam(ctx.params),
      );
    return answer(true, outcome);
  },

  deleteWebhook,

  getWebhookInfo: ({ hub, bot }) => {
    const inbox = hub.inbox(bot.user.id);
    const webhook = inbox.webhook;
    const info: Record<string, unknown> = {
      url: webhook?.config.url ?? '',
      has_custom_certificate: false,
      pending_update_count: inbox.pendingCount,
    };
    if (webhook?.lastError) {
      info.last_error_date = webhook.lastError.date;
      info.last_error_message = webhook.lastError.message;
    }
    if (webhook) {
      info.max_connections = webhook.config.maxConnections;
      const host = new URL(webhook.config.url).hostname.replace(/^\[|\]$/g, '');
      info.ip_address = isIP(host) ? host : '<unknown>';
    }
    const allowed = inbox.allowedUpdates;
    const isDefault =
      allowed.size === DEFAULT_ALLOWED_UPDATES.size &&
      [...allowed].every((type) => DEFAULT_ALLOWED_UPDATES.has(type));
    if (!isDefault) info.allowed_updates = [...allowed];
    return answer(info);
  },
};
