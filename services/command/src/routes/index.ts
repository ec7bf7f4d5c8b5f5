// The route table of the write API: every mutation the command service accepts.
import { setGroupEnabled } from './groups.ts';
import type { AnyCommandRoute } from './route.ts';

export const commandRoutes: readonly AnyCommandRoute[] = [setGroupEnabled];

export type { AnyCommandRoute, AppendResult, CommandContext, CommandRoute } from './route.ts';
