// Who is signed in, from the command API's GET /api/v1/auth/me.
import { getJson, type ApiResult, type ReadApiOptions } from './readApi.ts';
import { ContractError } from './contract.ts';

export type Role = 'owner' | 'admin' | 'viewer';

export interface Me {
  id: string | null;
  email: string;
  role: Role;
  kind: string;
}

const roles: readonly Role[] = ['owner', 'admin', 'viewer'];

export function parseMe(body: unknown): Me {
  if (typeof body !== 'object' || body === null) throw new ContractError('me: not an object');
  const o = body as Record<string, unknown>;
  const { id, email, role, kind } = o;
  if (id !== null && typeof id !== 'string') throw new ContractError('me.id: not a string');
  if (typeof email !== 'string') throw new ContractError('me.email: not a string');
  if (typeof role !== 'string' || !roles.includes(role as Role))
    throw new ContractError('me.role: unknown role');
  return { id, email, role: role as Role, kind: typeof kind === 'string' ? kind : 'session' };
}

export const getMe = (options: ReadApiOptions): Promise<ApiResult<Me>> =>
  getJson('/api/v1/auth/me', parseMe, options);

/** Whether `role` may change things (owner and admin), or only look (viewer). */
export const canWrite = (role: Role | undefined): boolean => role === 'owner' || role === 'admin';
