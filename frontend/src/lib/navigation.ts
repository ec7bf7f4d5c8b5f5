// The dashboard's pages, in sidebar order. A page is "current" for its own path and every
// path below it (a group's detail page keeps Groups highlighted).
import type { RouteId } from '$app/types';
import type { IconName } from './components/Icon.svelte';

/** Routes without parameters (a sidebar entry never links to one detail page). */
type PlainRoute = Exclude<RouteId, `${string}[${string}`>;

export interface NavItem {
  label: string;
  icon: IconName;
  /** The page's path, for matching the current URL. */
  path: string;
  /** The page's route, for links (`resolve(route)`). */
  route: PlainRoute;
}

export const navItems: readonly NavItem[] = [
  { label: 'Overview', icon: 'overview', path: '/', route: '/(app)' },
  { label: 'Groups', icon: 'groups', path: '/groups', route: '/(app)/groups' },
  { label: 'Channels', icon: 'channels', path: '/channels', route: '/(app)/channels' },
  { label: 'Bots', icon: 'bots', path: '/bots', route: '/(app)/bots' },
  { label: 'Analytics', icon: 'analytics', path: '/analytics', route: '/(app)/analytics' },
  { label: 'Commands', icon: 'commands', path: '/commands', route: '/(app)/commands' },
  { label: 'Logs', icon: 'logs', path: '/logs', route: '/(app)/logs' },
  { label: 'Audit', icon: 'audit', path: '/audit', route: '/(app)/audit' },
  { label: 'Events', icon: 'events', path: '/events', route: '/(app)/events' },
  { label: 'Settings', icon: 'settings', path: '/settings', route: '/(app)/settings' },
];

/** The nav item a pathname belongs to, if any. */
export function navItemFor(pathname: string): NavItem | undefined {
  if (pathname === '/') return navItems[0];
  return navItems.find(
    (item) => item.path !== '/' && (pathname === item.path || pathname.startsWith(`${item.path}/`)),
  );
}

export function titleFor(pathname: string): string {
  return navItemFor(pathname)?.label ?? 'Nezuko';
}
