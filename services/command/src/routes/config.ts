// Operator settings: cache TTLs, prompt defaults, retention, log level per service and
// the outgoing webhook. Sensitive values are write-only: GET says whether they are set,
// never what they are (viewers may read them). Edits use If-Match (the ETag is the
// version): a write based on an older version answers 409. Every change leaves an audit
// entry with the secret redacted and is published to the services that apply it.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { writeConfig } from '../accounts/config.ts';
import { BadRequestError, ConflictError, UpstreamError } from '../errors.ts';
import {
  currentSettings,
  settingsSchema,
  settingsSections,
  sharedPart,
  type Settings,
} from '../settings.ts';
import type { RouteDeps } from './deps.ts';
import { etagOf, parseIfMatch } from './groupSettings.ts';
import { defineRoute, noBody, noParams, type AnyCommandRoute } from './route.ts';

const view = settingsSchema.extend({
  webhook: z.strictObject({ url: z.string(), secret_set: z.boolean() }),
});

function toView(s: Settings): z.input<typeof view> {
  return { ...s, webhook: { url: s.webhook.url, secret_set: s.webhook.secret !== '' } };
}

const shape = settingsSchema.shape;
const patch = z.strictObject({
  membership_cache: shape.membership_cache.partial().optional(),
  prompt_defaults: shape.prompt_defaults.partial().optional(),
  retention: shape.retention.partial().optional(),
  log_levels: shape.log_levels.partial().optional(),
  webhook: shape.webhook.partial().optional(),
});

export function configRoutes(deps: RouteDeps): AnyCommandRoute[] {
  const current = () => currentSettings(deps.db);
  return [
    defineRoute({
      method: 'GET',
      path: '/config',
      operationId: 'getConfig',
      summary: 'Operator settings (secrets only say whether they are set); ETag = version',
      access: 'viewer',
      resource: 'config',
      params: noParams,
      body: noBody,
      status: 200,
      response: view,
      async handle(_input, ctx) {
        const { settings: s, version } = await current();
        ctx.setHeader('etag', etagOf(version));
        return toView(s);
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/config',
      operationId: 'updateConfig',
      summary: 'Change operator settings (only the fields sent); If-Match against lost updates',
      access: 'owner',
      resource: 'config',
      params: noParams,
      body: patch,
      status: 200,
      response: view,
      errors: { 409: 'If-Match names an older version' },
      async handle({ body }, ctx) {
        const ifMatch = parseIfMatch(ctx.ifMatch);
        if (ifMatch === null) throw new BadRequestError('If-Match must be an ETag', 'If-Match');
        const before = await current();
        if (ifMatch !== undefined && ifMatch !== before.version)
          throw new ConflictError(
            'the settings changed since you read them; reload',
            'If-Match',
            etagOf(before.version),
          );
        const merged = Object.fromEntries(
          settingsSections.map((k) => [
            k,
            { ...before.settings[k], ...definedOnly(body[k] ?? {}) },
          ]),
        );
        const next = settingsSchema.parse(merged);
        if (!(await writeConfig(deps.db, next, before.version, ctx.principal?.email ?? 'unknown')))
          throw new ConflictError('the settings changed since you read them; reload', 'If-Match');
        await deps.publishSettings(sharedPart(next));
        ctx.setHeader('etag', etagOf(before.version + 1));
        ctx.audit({ resourceId: 'settings', oldValue: before.settings, newValue: next });
        return toView(next);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/config/webhook/test',
      operationId: 'testWebhook',
      summary: 'Send a signed test event to the configured webhook and report how it answered',
      access: 'admin',
      resource: 'config',
      params: noParams,
      body: noBody,
      status: 200,
      response: z.strictObject({
        delivered: z.boolean(),
        status: z.number().int(),
        latency_ms: z.number().int(),
      }),
      errors: { 409: 'No webhook URL is configured', 502: 'The webhook did not answer' },
      async handle(_input, ctx) {
        const { webhook } = (await current()).settings;
        if (webhook.url === '')
          throw new ConflictError('no webhook URL is configured', 'webhook.url');
        if (!deps.allowInsecureWebhooks && !webhook.url.startsWith('https://'))
          throw new ConflictError('the webhook URL must use https', 'webhook.url');
        const body = JSON.stringify({ type: 'webhook.test', sent_at: ctx.now.toISOString() });
        const signature = createHmac('sha256', webhook.secret).update(body).digest('hex');
        const started = Date.now();
        let status: number;
        try {
          const res = await fetch(webhook.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-nezuko-signature': `sha256=${signature}`,
            },
            body,
            redirect: 'manual',
            signal: AbortSignal.timeout(5000),
          });
          status = res.status;
        } catch {
          throw new UpstreamError('the webhook did not answer within 5 s');
        }
        ctx.audit({ resourceId: 'webhook', newValue: { url: webhook.url, status } });
        return {
          delivered: status >= 200 && status < 300,
          status,
          latency_ms: Date.now() - started,
        };
      },
    }),
  ];
}

function definedOnly(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
