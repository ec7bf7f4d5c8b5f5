// The WebSocket protocol, JSON text frames.
//   server -> client on connect: { type: 'hello', seq }   (latest verification seq known)
//   client: { type: 'subscribe', topics: [topic…], since_seq? }
//           topics: 'activity' (every decision, replayable with since_seq), 'models' (every
//           model_changed), 'bot-status' and 'commands' (model_changed of bots / commands),
//           'model:<read model>' (one read model's changes), 'group:<id>' (that group's
//           decisions, live only), 'logs' (application log records, live only)
//           { type: 'unsubscribe', topics }   { type: 'ping' }
//   server: { type: 'verification', seq, item }   (topic 'activity', replay then live)
//           { type: 'subscribed', topics, seq }   (after any replay: live from here)
//           { type: 'resync', seq, reason }       (too far behind to replay: reload the feed)
//           { type: 'model_changed', model, seq } (topic 'models': refresh that view)
//           { type: 'log', item: {seq,time,service,level,entry} } (topic 'logs', the item
//             shape of GET /api/v1/logs)
//           { type: 'log_skipped', count } (topic 'logs': a storm; this many records were
//             left out before the next 'log' frames, see GET /api/v1/logs for them)
//           { type: 'pong' }   { type: 'error', message }
import { readModels } from '@nezuko/analytics-projector/read-model';
import { z } from 'zod';
import type { ActivityItem } from '../domain/activity.ts';
import type { LogItem } from '../domain/logItem.ts';

export const fixedTopics = ['activity', 'models', 'bot-status', 'commands', 'logs'] as const;
export const topics = fixedTopics;
export const topic = z.union([
  z.enum(fixedTopics),
  z.templateLiteral(['model:', z.enum(readModels)]),
  z.string().regex(/^group:-?\d{1,20}$/, 'unknown topic'),
]);
export type Topic = z.infer<typeof topic>;

const topicList = z.array(topic).min(1, 'topics must not be empty');

export const clientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('subscribe'),
    topics: topicList,
    since_seq: z.number().int().min(0).optional(),
  }),
  z.object({ type: z.literal('unsubscribe'), topics: topicList }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export type ServerMessage =
  | { readonly type: 'hello'; readonly seq: number }
  | { readonly type: 'verification'; readonly seq: number; readonly item: ActivityItem }
  | { readonly type: 'subscribed'; readonly topics: readonly Topic[]; readonly seq: number }
  | { readonly type: 'resync'; readonly seq: number; readonly reason: string }
  | { readonly type: 'model_changed'; readonly model: string; readonly seq: number }
  | { readonly type: 'log'; readonly item: LogItem }
  | { readonly type: 'log_skipped'; readonly count: number }
  | { readonly type: 'pong' }
  | { readonly type: 'error'; readonly message: string };

/** Parses one client frame; the error text is safe to send back. */
export function parseClientMessage(
  data: string,
): { ok: true; message: ClientMessage } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, error: 'message is not valid JSON' };
  }
  const result = clientMessage.safeParse(json);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `${where}${issue?.message ?? 'invalid message'}` };
}
