// What a Bot API method handler receives and returns.

import type { Fact } from '../state/facts.ts';
import type { EmulatorState } from '../state/store.ts';
import type { BotRecord } from '../state/types.ts';
import type { UpdateHub } from '../updates/updateHub.ts';
import type { Params } from './params.ts';

export interface MethodContext {
  state: EmulatorState;
  hub: UpdateHub;
  bot: BotRecord;
  params: Params;
  /** Unix seconds. */
  now: number;
  /** Aborted when the client goes away (ends a held getUpdates). */
  signal: AbortSignal;
  /** Turns facts into updates for the bots entitled to them. */
  publish: (facts: readonly Fact[]) => void;
}

export interface MethodOutcome {
  result: unknown;
  /** Some methods answer with a description next to the result ("Webhook was set"). */
  description?: string;
}

export type MethodHandler = (ctx: MethodContext) => MethodOutcome | Promise<MethodOutcome>;

export function answer(result: unknown, description?: string): MethodOutcome {
  return description === undefined ? { result } : { result, description };
}
