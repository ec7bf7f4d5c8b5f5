// Dashboard roles, ordered: a viewer reads, an admin also changes groups, bots and
// commands, an owner also manages admin accounts.
export const roles = ['viewer', 'admin', 'owner'] as const;

export type Role = (typeof roles)[number];

const rank: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 };

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** True when `role` may do what `required` may. */
export function roleAllows(role: Role, required: Role): boolean {
  return rank[role] >= rank[required];
}
