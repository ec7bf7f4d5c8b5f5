// The route table of the command API: every route the command service serves under
// /api/v1, built from the handlers' dependencies.
import { adminRoutes } from './admins.ts';
import { botRoutes } from './bots.ts';
import { commandRoutes } from './commands.ts';
import { configRoutes } from './config.ts';
import type { RouteDeps } from './deps.ts';
import { groupRoutes } from './groups.ts';
import type { AnyCommandRoute } from './route.ts';
import { sessionRoutes } from './session.ts';

export function apiRoutes(deps: RouteDeps): AnyCommandRoute[] {
  return [
    ...sessionRoutes(deps),
    ...adminRoutes(deps),
    ...botRoutes(deps),
    ...groupRoutes(deps),
    ...commandRoutes(deps),
    ...configRoutes(deps),
  ];
}

export type { RouteDeps, LoginPolicy } from './deps.ts';
export type {
  AnyCommandRoute,
  AppendOptions,
  AppendResult,
  AuditDetails,
  CommandContext,
  CommandRoute,
} from './route.ts';
