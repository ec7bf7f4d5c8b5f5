// Subject builders. Hierarchical by aggregate so consumers can filter with wildcards:
//   nz.evt.<aggregate>.<id>.<name>   domain events (stream NZ_EVENTS)
//   nz.act.<botId>.<kind>            Telegram actions (stream NZ_ACTIONS, work queue)
//   nz.log.<service>.<level>         application logs (stream NZ_LOGS)
//   nz.dlq.<consumer>                dead letters (stream NZ_DEADLETTER)
//   nz.rpc.tg.<botId>.<method>       request-reply look-ups served by the bot-gateway
//   nz.notice.model.<name>           core NATS "read model changed" notices
import { eventCatalogue, type EventOf, type EventType } from './events.ts';

export type RpcMethod =
  'get_chat_member' | 'get_chat' | 'get_chat_administrators' | 'create_chat_invite_link';

export const subjects = {
  eventsAll: 'nz.evt.>',
  actionsAll: 'nz.act.>',
  logsAll: 'nz.log.>',
  deadLettersAll: 'nz.dlq.>',

  event<T extends EventType>(type: T, event: EventOf<T>): string {
    const spec = eventCatalogue[type];
    const id = (spec.aggregateId as (e: EventOf<T>) => string)(event);
    const name = type.slice(type.indexOf('.') + 1);
    return `nz.evt.${spec.aggregate}.${token(id)}.${name}`;
  },
  eventsOfAggregate(aggregate: string, id = '*'): string {
    return `nz.evt.${aggregate}.${id === '*' ? '*' : token(id)}.>`;
  },
  actions(botId: string, kind = '>'): string {
    return `nz.act.${token(botId)}.${kind === '>' ? '>' : token(kind)}`;
  },
  log(service: string, level: string): string {
    return `nz.log.${token(service)}.${token(level)}`;
  },
  deadLetter(consumer: string): string {
    return `nz.dlq.${token(consumer)}`;
  },
  rpc(botId: string, method: RpcMethod): string {
    return `nz.rpc.tg.${token(botId)}.${method}`;
  },
  rpcAll: 'nz.rpc.tg.>',
  modelChanged(model: string): string {
    return `nz.notice.model.${token(model)}`;
  },
  modelChangedAll: 'nz.notice.model.>',
} as const;

/** A subject token may not be empty or contain separators or wildcards. */
export function token(value: string): string {
  if (value === '' || /[\s.*>]/.test(value)) {
    throw new Error(`invalid subject token: ${JSON.stringify(value)}`);
  }
  return value;
}

/** Applies a stream's subject prefix so test runs can isolate themselves. */
export function prefixed(prefix: string, subject: string): string {
  return prefix === '' ? subject : `${prefix}.${subject}`;
}
