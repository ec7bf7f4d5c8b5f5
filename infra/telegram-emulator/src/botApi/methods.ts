// The Bot API methods the emulator implements. Telegram's method names are
// case-insensitive, so they are looked up in lower case.

import { botMethods } from './botMethods.ts';
import { chatMethods } from './chatMethods.ts';
import { inviteMethods } from './inviteMethods.ts';
import { memberMethods } from './memberMethods.ts';
import { messageMethods } from './messageMethods.ts';
import { updateMethods } from './updateMethods.ts';
import type { MethodHandler } from './context.ts';

const methods = new Map<string, { name: string; handler: MethodHandler }>(
  Object.entries({
    ...botMethods,
    ...updateMethods,
    ...messageMethods,
    ...chatMethods,
    ...memberMethods,
    ...inviteMethods,
  }).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
);

export function findMethod(name: string): { name: string; handler: MethodHandler } | undefined {
  return methods.get(name.toLowerCase());
}

export const implementedMethods: readonly string[] = [...methods.values()].map(
  (method) => method.name,
);
