// Group configuration: pause or resume enforcement, settings (with If-Match), link and
// unlink channels. A group is a Telegram chat; its owning bot is the one named by its last
// channel link.
import {
  ChannelLinkedSchema,
  ChannelRefSchema,
  ChannelUnlinkedSchema,
  create,
  GroupEnabledChangedSchema,
  GroupSettingsChangedSchema,
} from '@nezuko/proto';
import { z } from 'zod';
import { BadRequestError, ConflictError } from '../errors.ts';
import { actorOf } from './actor.ts';
import type { RouteDeps } from './deps.ts';
import {
  etagOf,
  parseIfMatch,
  settingsPatch,
  settingsView,
  toMessage,
  toView,
  type SettingsView,
} from './groupSettings.ts';
import { botId, telegramChannelId, telegramChatId } from './ids.ts';
import {
  defineRoute,
  noBody,
  noParams,
  type AnyCommandRoute,
  type CommandContext,
} from './route.ts';

export { telegramChatId };

export const groupParams = z.object({ id: telegramChatId });

export const setGroupEnabledBody = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .meta({ description: 'false pauses enforcement in the group; true resumes it' }),
    settings: settingsPatch
      .optional()
      .meta({ description: 'Only the settings that change; the others keep their value' }),
  })
  .refine((body) => body.enabled !== undefined || body.settings !== undefined, {
    message: 'send enabled, settings or both',
    path: ['enabled'],
  });

const groupAccepted = z.strictObject({
  group_id: telegramChatId,
  enabled: z.boolean().optional(),
  settings: settingsView.optional(),
  event_id: z.string().meta({ description: 'Nats-Msg-Id of the first appended event' }),
});

/** Free text shown to members (titles): plain text, no control characters. */
const displayText = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const channelInput = z.strictObject({
  channel_id: telegramChannelId,
  title: displayText(255).default(''),
  username: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'must be a Telegram username without @')
    .optional(),
  invite_link: z
    .url({ protocol: /^https$/, hostname: /^(t\.me|telegram\.me)$/ })
    .optional()
    .meta({ description: 'https://t.me/... link members use to join' }),
  bot_id: botId
    .optional()
    .meta({ description: "The group's bot; defaults to the bot of the group's last link" }),
});

type ChannelInput = z.output<typeof channelInput>;

const linkAccepted = z.strictObject({
  group_id: z.string(),
  channel_id: z.string(),
  bot_id: z.string(),
  event_id: z.string(),
});

/** The bot that runs a group: the one of its last channel link. */
export async function owningBot(deps: RouteDeps, groupId: string): Promise<string | null> {
  const last = await deps.events.last(`nz.evt.group.${groupId}.channel_linked`);
  return last?.event.type === 'group.channel_linked' ? last.event.event.botId : null;
}

async function linkChannel(
  deps: RouteDeps,
  ctx: CommandContext,
  groupId: string,
  input: ChannelInput,
) {
  const bot = input.bot_id ?? (await owningBot(deps, groupId));
  if (bot === null)
    throw new ConflictError(`no bot is known for group ${groupId}; send bot_id`, 'bot_id');
  const { eventId } = await ctx.append(
    'group.channel_linked',
    create(ChannelLinkedSchema, {
      groupId,
      channel: create(ChannelRefSchema, {
        id: input.channel_id,
        title: input.title,
        username: input.username ?? '',
        inviteLink: input.invite_link ?? '',
      }),
      botId: bot,
      actor: actorOf(ctx.principal ?? { email: 'unknown' }),
    }),
  );
  return { group_id: groupId, channel_id: input.channel_id, bot_id: bot, event_id: eventId };
}

export function groupRoutes(deps: RouteDeps): AnyCommandRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/groups/:id/settings',
      operationId: 'getGroupSettings',
      summary: "A group's current settings; ETag = the version PUT checks If-Match against",
      description:
        'Read from the event store, not the read model, so the ETag is never older than what ' +
        'PUT /groups/{id} compares If-Match with (a group never configured answers the ' +
        'defaults and ETag "0").',
      access: 'viewer',
      resource: 'group',
      params: groupParams,
      body: noBody,
      status: 200,
      response: settingsView,
      async handle({ params }, ctx) {
        const last = await deps.events.last(`nz.evt.group.${params.id}.settings_changed`);
        ctx.setHeader('etag', etagOf(last?.seq ?? 0));
        return toView(
          last?.event.type === 'group.settings_changed' ? last.event.event.settings : undefined,
        );
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/groups/:id',
      operationId: 'setGroup',
      summary: 'Pause or resume enforcement in a group, or change its settings',
      description:
        'Appends group.enabled_changed and/or group.settings_changed. Settings use optimistic ' +
        'concurrency: the response carries an ETag; send it back as If-Match and a write based ' +
        'on an older version answers 409 (with the current ETag) instead of overwriting. ' +
        'Accepted (202) means the events are stored; read models and verification follow within ' +
        'moments. Send an Idempotency-Key to make retries safe.',
      access: 'admin',
      resource: 'group',
      params: groupParams,
      body: setGroupEnabledBody,
      status: 202,
      response: groupAccepted,
      errors: { 409: 'If-Match names an older version of the settings' },
      async handle({ params, body }, ctx) {
        const actor = actorOf(ctx.principal ?? { email: 'unknown' });
        let firstEventId: string | undefined;
        let settings: SettingsView | undefined;
        let oldSettings: SettingsView | undefined;
        if (body.settings !== undefined) {
          const ifMatch = parseIfMatch(ctx.ifMatch);
          if (ifMatch === null) throw new BadRequestError('If-Match must be an ETag', 'If-Match');
          const last = await deps.events.last(`nz.evt.group.${params.id}.settings_changed`);
          const currentSeq = last?.seq ?? 0;
          if (ifMatch !== undefined && ifMatch !== currentSeq)
            throw new ConflictError(
              'the settings changed since you read them; reload and apply your change again',
              'If-Match',
              etagOf(currentSeq),
            );
          oldSettings = toView(
            last?.event.type === 'group.settings_changed' ? last.event.event.settings : undefined,
          );
          settings = settingsView.parse({ ...oldSettings, ...definedOnly(body.settings) });
          const appended = await ctx.append(
            'group.settings_changed',
            create(GroupSettingsChangedSchema, {
              groupId: params.id,
              settings: toMessage(settings),
              actor,
            }),
            { expectedLastSubjectSequence: currentSeq },
          );
          firstEventId = appended.eventId;
          ctx.setHeader('etag', etagOf(appended.seq));
        }
        if (body.enabled !== undefined) {
          const appended = await ctx.append(
            'group.enabled_changed',
            create(GroupEnabledChangedSchema, { groupId: params.id, enabled: body.enabled, actor }),
          );
          firstEventId ??= appended.eventId;
        }
        ctx.audit({
          resourceId: params.id,
          ...(oldSettings ? { oldValue: { settings: oldSettings } } : {}),
          newValue: {
            ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
            ...(settings ? { settings } : {}),
          },
        });
        return {
          group_id: params.id,
          ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
          ...(settings ? { settings } : {}),
          event_id: firstEventId ?? '',
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/groups/:id/channels',
      operationId: 'linkChannel',
      summary: 'Link a channel to a group: members must join it',
      access: 'admin',
      resource: 'group',
      params: groupParams,
      body: channelInput,
      status: 202,
      response: linkAccepted,
      errors: { 409: 'No bot is known for the group and none was given' },
      async handle({ params, body }, ctx) {
        const result = await linkChannel(deps, ctx, params.id, body);
        ctx.audit({ resourceId: params.id, newValue: { linked_channel: body } });
        return result;
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/groups/:id/channels/:channel_id',
      operationId: 'unlinkChannel',
      summary: 'Unlink a channel from a group',
      access: 'admin',
      resource: 'group',
      params: z.object({ id: telegramChatId, channel_id: telegramChannelId }),
      body: noBody,
      status: 202,
      response: linkAccepted,
      async handle({ params }, ctx) {
        const bot = (await owningBot(deps, params.id)) ?? '0';
        const { eventId } = await ctx.append(
          'group.channel_unlinked',
          create(ChannelUnlinkedSchema, {
            groupId: params.id,
            channelId: params.channel_id,
            botId: bot,
            actor: actorOf(ctx.principal ?? { email: 'unknown' }),
          }),
        );
        ctx.audit({ resourceId: params.id, oldValue: { linked_channel: params.channel_id } });
        return {
          group_id: params.id,
          channel_id: params.channel_id,
          bot_id: bot,
          event_id: eventId,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/channels',
      operationId: 'addChannel',
      summary: 'Add a channel and link it to one or more groups',
      access: 'admin',
      resource: 'channel',
      params: noParams,
      body: channelInput.extend({
        group_ids: z.array(telegramChatId).min(1).max(50),
      }),
      status: 202,
      response: z.strictObject({ channel_id: z.string(), links: z.array(linkAccepted) }),
      errors: { 409: 'No bot is known for one of the groups and none was given' },
      async handle({ body }, ctx) {
        const { group_ids: groupIds, ...channel } = body;
        const links = [];
        for (const groupId of groupIds) links.push(await linkChannel(deps, ctx, groupId, channel));
        ctx.audit({ resourceId: body.channel_id, newValue: body });
        return { channel_id: body.channel_id, links };
      },
    }),
  ];
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
