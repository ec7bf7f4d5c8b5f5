// Bot management. A token is checked with Telegram (getMe), sealed with the token keyring
// (AES-256-GCM, NZ_TOKEN_KEYS) and appended as bot.registered, which the gateways follow;
// activation and soft delete are bot.lifecycle_changed. The token is never stored in
// clear, never returned, and never logged.
import {
  BotLifecycle,
  BotLifecycleChangedSchema,
  BotRegisteredSchema,
  create,
  EncryptedSecretSchema,
} from '@nezuko/proto';
import { z } from 'zod';
import { ApiError, NotFoundError } from '../errors.ts';
import { actorOf } from './actor.ts';
import type { RouteDeps } from './deps.ts';
import { botId } from './ids.ts';
import {
  defineRoute,
  noBody,
  noParams,
  type AnyCommandRoute,
  type CommandContext,
} from './route.ts';

const token = z
  .string()
  .regex(/^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/, 'must be a bot token from @BotFather')
  .meta({ description: 'Write-only: the bot token; never stored in clear or returned' });

const tokenBody = z.strictObject({ token });

const identity = z.strictObject({
  bot_id: z.string(),
  username: z.string(),
  first_name: z.string(),
  can_join_groups: z.boolean(),
});

const botParams = z.object({ id: botId });

class KeyringMissingError extends ApiError {
  override readonly name = 'KeyringMissingError';
  constructor() {
    super(503, 'not_configured', 'bots cannot be added: NZ_TOKEN_KEYS is not configured');
  }
}

const lifecycleNames: Record<BotLifecycle, string> = {
  [BotLifecycle.UNSPECIFIED]: 'enabled',
  [BotLifecycle.ENABLED]: 'enabled',
  [BotLifecycle.DISABLED]: 'disabled',
  [BotLifecycle.DELETED]: 'deleted',
};

export function botRoutes(deps: RouteDeps): AnyCommandRoute[] {
  /** The bot's current lifecycle; 404 when it was never registered or is deleted. */
  const currentLifecycle = async (id: string): Promise<BotLifecycle> => {
    const registered = await deps.events.last(`nz.evt.bot.${id}.registered`);
    if (!registered) throw new NotFoundError(`no bot ${id}`);
    const last = await deps.events.last(`nz.evt.bot.${id}.lifecycle_changed`);
    const lifecycle =
      last?.event.type === 'bot.lifecycle_changed' && last.seq > registered.seq
        ? last.event.event.lifecycle
        : BotLifecycle.ENABLED;
    if (lifecycle === BotLifecycle.DELETED) throw new NotFoundError(`no bot ${id}`);
    return lifecycle;
  };
  const changeLifecycle = async (ctx: CommandContext, id: string, lifecycle: BotLifecycle) => {
    const before = await currentLifecycle(id);
    const { eventId } = await ctx.append(
      'bot.lifecycle_changed',
      create(BotLifecycleChangedSchema, {
        botId: id,
        lifecycle,
        reason: `by ${ctx.principal?.email ?? 'unknown'}`,
        changedBy: actorOf(ctx.principal ?? { email: 'unknown' }),
      }),
    );
    ctx.audit({
      resourceId: id,
      oldValue: { state: lifecycleNames[before] },
      newValue: { state: lifecycleNames[lifecycle] },
    });
    return eventId;
  };

  return [
    defineRoute({
      method: 'POST',
      path: '/bots/verify',
      operationId: 'verifyBotToken',
      summary: "Check a bot token with Telegram and show the bot's identity (nothing is stored)",
      access: 'admin',
      resource: 'bot',
      params: noParams,
      body: tokenBody,
      status: 200,
      response: identity,
      errors: { 502: 'Telegram did not answer' },
      async handle({ body }, ctx) {
        const bot = await deps.telegram.getMe(body.token);
        ctx.audit({ resourceId: bot.id, newValue: { username: bot.username } });
        return {
          bot_id: bot.id,
          username: bot.username,
          first_name: bot.firstName,
          can_join_groups: bot.canJoinGroups,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/bots',
      operationId: 'registerBot',
      summary: 'Add a bot: verify the token, store it sealed, and have the gateways run it',
      access: 'admin',
      resource: 'bot',
      params: noParams,
      body: tokenBody,
      status: 201,
      response: identity.extend({ event_id: z.string() }),
      errors: { 502: 'Telegram did not answer', 503: 'No token keys configured' },
      async handle({ body }, ctx) {
        if (!deps.keyring) throw new KeyringMissingError();
        const bot = await deps.telegram.getMe(body.token);
        const sealed = deps.keyring.seal(body.token);
        const { eventId } = await ctx.append(
          'bot.registered',
          create(BotRegisteredSchema, {
            botId: bot.id,
            username: bot.username,
            firstName: bot.firstName,
            token: create(EncryptedSecretSchema, sealed),
            registeredBy: actorOf(ctx.principal ?? { email: 'unknown' }),
          }),
        );
        ctx.audit({
          resourceId: bot.id,
          newValue: { bot_id: bot.id, username: bot.username, first_name: bot.firstName },
        });
        return {
          bot_id: bot.id,
          username: bot.username,
          first_name: bot.firstName,
          can_join_groups: bot.canJoinGroups,
          event_id: eventId,
        };
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/bots/:id',
      operationId: 'setBotActive',
      summary: 'Activate or deactivate a bot (gateways start or stop it without a restart)',
      access: 'admin',
      resource: 'bot',
      params: botParams,
      body: z.strictObject({ active: z.boolean() }),
      status: 202,
      response: z.strictObject({ bot_id: z.string(), active: z.boolean(), event_id: z.string() }),
      async handle({ params, body }, ctx) {
        const lifecycle = body.active ? BotLifecycle.ENABLED : BotLifecycle.DISABLED;
        const eventId = await changeLifecycle(ctx, params.id, lifecycle);
        return { bot_id: params.id, active: body.active, event_id: eventId };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/bots/:id',
      operationId: 'deleteBot',
      summary: 'Remove a bot (soft delete: gateways stop it; registering it again brings it back)',
      access: 'admin',
      resource: 'bot',
      params: botParams,
      body: noBody,
      status: 202,
      response: z.strictObject({
        bot_id: z.string(),
        deleted: z.literal(true),
        event_id: z.string(),
      }),
      async handle({ params }, ctx) {
        const eventId = await changeLifecycle(ctx, params.id, BotLifecycle.DELETED);
        return { bot_id: params.id, deleted: true as const, event_id: eventId };
      },
    }),
  ];
}
