// The command API's operator settings (GET/PUT /api/v1/config, with an ETag) and admin
// accounts (/api/v1/admins, owner only), and the checks that turn their untrusted bodies
// into these shapes. Hand-written like contract.ts: this module ships to the browser.
import { ContractError } from './contract.ts';
import { getJson, type ApiResult, type ReadApiOptions } from './readApi.ts';
import type { Role } from './session.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const SERVICES = [
  'bot-gateway',
  'verification',
  'analytics-projector',
  'command',
  'websocket-push',
] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface OperatorConfig {
  membership_cache: { positive_ttl_seconds: number; negative_ttl_seconds: number };
  prompt_defaults: { language: string; delete_after_seconds: number };
  retention: { verification_log_days: number; logs_days: number };
  log_levels: Record<ServiceName, LogLevel>;
  /** The secret is write-only: the server says only whether one is set. */
  webhook: { url: string; secret_set: boolean };
}

export interface VersionedConfig {
  config: OperatorConfig;
  /** The version to send back as If-Match. */
  etag: string;
}

export interface AdminAccount {
  id: string;
  email: string;
  role: Role;
  created_at: string;
  locked_until: string | null;
}

const ROLES: readonly Role[] = ['owner', 'admin', 'viewer'];

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ContractError(`${path}: not an object`);
  return value as Record<string, unknown>;
}

function integer(o: Record<string, unknown>, key: string, path: string): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new ContractError(`${path}.${key}: not an integer`);
  return value;
}

function text(o: Record<string, unknown>, key: string, path: string): string {
  const value = o[key];
  if (typeof value !== 'string') throw new ContractError(`${path}.${key}: not a string`);
  return value;
}

function logLevel(o: Record<string, unknown>, key: ServiceName): LogLevel {
  const value = o[key];
  if (typeof value !== 'string' || !(LOG_LEVELS as readonly string[]).includes(value))
    throw new ContractError(`config.log_levels.${key}: unknown level`);
  return value as LogLevel;
}

export function parseOperatorConfig(body: unknown): OperatorConfig {
  const o = object(body, 'config');
  const cache = object(o['membership_cache'], 'config.membership_cache');
  const prompt = object(o['prompt_defaults'], 'config.prompt_defaults');
  const retention = object(o['retention'], 'config.retention');
  const levels = object(o['log_levels'], 'config.log_levels');
  const webhook = object(o['webhook'], 'config.webhook');
  if (typeof webhook['secret_set'] !== 'boolean')
    throw new ContractError('config.webhook.secret_set: not a boolean');
  return {
    membership_cache: {
      positive_ttl_seconds: integer(cache, 'positive_ttl_seconds', 'config.membership_cache'),
      negative_ttl_seconds: integer(cache, 'negative_ttl_seconds', 'config.membership_cache'),
    },
    prompt_defaults: {
      language: text(prompt, 'language', 'config.prompt_defaults'),
      delete_after_seconds: integer(prompt, 'delete_after_seconds', 'config.prompt_defaults'),
    },
    retention: {
      verification_log_days: integer(retention, 'verification_log_days', 'config.retention'),
      logs_days: integer(retention, 'logs_days', 'config.retention'),
    },
    log_levels: Object.fromEntries(SERVICES.map((s) => [s, logLevel(levels, s)])) as Record<
      ServiceName,
      LogLevel
    >,
    webhook: { url: text(webhook, 'url', 'config.webhook'), secret_set: webhook['secret_set'] },
  };
}

export function parseAdmin(body: unknown): AdminAccount {
  const o = object(body, 'admin');
  const role = o['role'];
  if (typeof role !== 'string' || !ROLES.includes(role as Role))
    throw new ContractError('admin.role: unknown role');
  const locked = o['locked_until'];
  if (locked !== null && typeof locked !== 'string')
    throw new ContractError('admin.locked_until: not a string');
  return {
    id: text(o, 'id', 'admin'),
    email: text(o, 'email', 'admin'),
    role: role as Role,
    created_at: text(o, 'created_at', 'admin'),
    locked_until: locked,
  };
}

export function parseAdmins(body: unknown): AdminAccount[] {
  const list = object(body, 'admins')['admins'];
  if (!Array.isArray(list)) throw new ContractError('admins.admins: not a list');
  return list.map(parseAdmin);
}

export const settingsPaths = {
  config: '/api/v1/config',
  webhookTest: '/api/v1/config/webhook/test',
  admins: '/api/v1/admins',
  admin: (id: string) => `/api/v1/admins/${encodeURIComponent(id)}`,
} as const;

/** The settings with their ETag (read from the response alongside the body). */
export async function getVersionedConfig(
  options: ReadApiOptions,
): Promise<ApiResult<VersionedConfig>> {
  let etag = '';
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await options.fetch(input, init);
    etag = response.headers.get('etag') ?? '';
    return response;
  };
  const result = await getJson(settingsPaths.config, parseOperatorConfig, {
    ...options,
    fetch: recordingFetch,
  });
  return result.ok ? { ok: true, data: { config: result.data, etag } } : result;
}

export const getAdmins = (options: ReadApiOptions): Promise<ApiResult<AdminAccount[]>> =>
  getJson(settingsPaths.admins, parseAdmins, options);
