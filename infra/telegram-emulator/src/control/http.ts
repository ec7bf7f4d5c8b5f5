// Plumbing shared by the control routes: what they depend on, reading validated input,
// resolving a chat from the URL, and the error type for bad input.

import { ActionRefused } from '../state/userActions.ts';
import type { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { FaultInjector, RateLimiter } from '../faults.ts';
import type { RequestLog } from '../requestLog.ts';
import type { Fact } from '../state/facts.ts';
import type { EmulatorState } from '../state/store.ts';
import type { ChatRecord } from '../state/types.ts';
import type { UpdateHub } from '../updates/updateHub.ts';

export interface ControlDeps {
  state: EmulatorState;
  hub: UpdateHub;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  requestLog: RequestLog;
  clock: Clock;
  publish: (facts: readonly Fact[]) => void;
  reset: () => Promise<void>;
}

/** Input the control API cannot accept; names the field at fault. */
export class ControlInputError extends Error {
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(message);
    this.name = 'ControlInputError';
    this.field = field;
  }
}

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  throw new ControlInputError(issue?.message ?? 'invalid input', field);
}

/** A chat from a URL segment: a chat id, or `private:<botId>:<userId>` for a private chat. */
export function chatFromParam(state: EmulatorState, raw: string | number): ChatRecord {
  const text = String(raw);
  const chat = /^-?\d+$/.test(text)
    ? (state.sharedChat(Number(text)) ?? singlePrivateChatOf(state, Number(text)))
    : state.chats.get(text);
  if (chat === undefined) throw new ActionRefused(404, `chat ${text} not found`);
  return chat;
}

/** A user's id also names their private chat when only one bot talks to them. */
function singlePrivateChatOf(state: EmulatorState, userId: number): ChatRecord | undefined {
  const chats = [...state.chats.values()].filter((chat) => chat.privateOf?.userId === userId);
  return chats.length === 1 ? chats[0] : undefined;
}

export function requireNumber(raw: string, name: string): number {
  if (!/^-?\d+$/.test(raw)) throw new ControlInputError(`${name} must be an integer`, name);
  return Number(raw);
}
