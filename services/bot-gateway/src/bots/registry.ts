// Which bots the gateways should run, folded from `bot.registered` and
// `bot.lifecycle_changed`. Pure. The two event types arrive through two feeds (nats-server
// 2.9 allows one filter per consumer), so the fold is order-independent: each bot keeps its
// latest registration and its latest lifecycle change by stream sequence, and the verdict
// compares them. A registration after DELETED brings a bot back; DISABLED holds until
// ENABLED, so the env bot re-registering at every start does not undo an operator's choice.
import { BotLifecycle, type BotLifecycleChanged, type BotRegistered } from '@nezuko/proto';

export interface BotRecord {
  readonly botId: string;
  readonly registration?: { readonly event: BotRegistered; readonly sequence: number };
  readonly lifecycle?: { readonly value: BotLifecycle; readonly sequence: number };
}

export type BotFact =
  | { readonly type: 'bot.registered'; readonly event: BotRegistered; readonly sequence: number }
  | {
      readonly type: 'bot.lifecycle_changed';
      readonly event: BotLifecycleChanged;
      readonly sequence: number;
    };

export type BotRegistry = ReadonlyMap<string, BotRecord>;

export function evolveBots(registry: BotRegistry, fact: BotFact): Map<string, BotRecord> {
  const next = new Map(registry);
  const botId = fact.event.botId;
  const record: BotRecord = registry.get(botId) ?? { botId };
  switch (fact.type) {
    case 'bot.registered':
      if ((record.registration?.sequence ?? 0) < fact.sequence)
        next.set(botId, {
          ...record,
          registration: { event: fact.event, sequence: fact.sequence },
        });
      return next;
    case 'bot.lifecycle_changed':
      if ((record.lifecycle?.sequence ?? 0) < fact.sequence)
        next.set(botId, {
          ...record,
          lifecycle: { value: fact.event.lifecycle, sequence: fact.sequence },
        });
      return next;
    default:
      return assertNever(fact);
  }
}

/** Registered with a token, not disabled, not deleted since its last registration. */
export function shouldRun(record: BotRecord): boolean {
  const registration = record.registration;
  if (!registration?.event.token) return false;
  const lifecycle = record.lifecycle;
  if (!lifecycle) return true;
  switch (lifecycle.value) {
    case BotLifecycle.DISABLED:
      return false;
    case BotLifecycle.DELETED:
      return registration.sequence > lifecycle.sequence;
    case BotLifecycle.ENABLED:
    case BotLifecycle.UNSPECIFIED:
      return true;
    default:
      return assertNever(lifecycle.value);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled bot fact ${JSON.stringify(value)}`);
}
