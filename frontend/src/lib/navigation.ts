// The dashboard's pages, in sidebar order. Pages not built yet have no route: the sidebar
// shows them as coming soon, never as dead links.
import type { RouteId } from '$app/types';
import type { IconName } from './components/Icon.svelte';

export interface NavItem {
  label: string;
  icon: IconName;
  route: RouteId | null;
}

export const navItems: readonly NavItem[] = [
  { label: 'Overview', icon: 'overview', route: '/' },
  { label: 'Groups', icon: 'groups', route: null },
  { label: 'Channels', icon: 'channels', route: null },
  { label: 'Bots', icon: 'bots', route: null },
  { label: 'Analytics', icon: 'analytics', route: null },
  { label: 'Commands', icon: 'commands', route: null },
  { label: 'Logs', icon: 'logs', route: null },
  { label: 'Audit', icon: 'audit', route: null },
  { label: 'Events', icon: 'events', route: null },
  { label: 'Settings', icon: 'settings', route: null },
];

export function titleFor(route: RouteId | null): string {
  return navItems.find((item) => item.route !== null && item.route === route)?.label ?? 'Nezuko';
}
