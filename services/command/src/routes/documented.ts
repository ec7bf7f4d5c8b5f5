// The route table with inert dependencies: enough to describe every route (OpenAPI),
// never to run one.
import type { RouteDeps } from './deps.ts';
import { apiRoutes } from './index.ts';
import type { AnyCommandRoute } from './route.ts';

const unused = (): never => {
  throw new Error('documentation only');
};

export function documentedRoutes(): AnyCommandRoute[] {
  const deps = {
    db: {} as RouteDeps['db'],
    loginThrottle: { attempt: unused },
    loginPolicy: { maxFailures: 5, lockMinutes: 15, sessionTtlHours: 12 },
    telegram: { getMe: unused },
    keyring: null,
    events: { last: unused, all: unused },
    publishSettings: unused,
  } satisfies RouteDeps;
  return apiRoutes(deps);
}
