// The process table of a whole Nezuko installation on one machine: which script each
// service runs and the environment that wires it to the others.
import { fileURLToPath } from 'node:url';
import type { ServiceSpec } from './supervisor.ts';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface Ports {
  readonly dashboard: number;
  readonly command: number;
  readonly readApi: number;
  readonly gateway: number;
  readonly verification: number;
  readonly projector: number;
  readonly emulator: number;
}

export const defaultPorts: Ports = {
  dashboard: 3000,
  command: 3001,
  readApi: 3002,
  gateway: 3003,
  verification: 3004,
  projector: 3005,
  emulator: 8081,
};

export function portsFromEnv(env: NodeJS.ProcessEnv, base: Ports = defaultPorts): Ports {
  const read = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${name} must be a port number (1-65535), got ${JSON.stringify(value)}`);
    }
    return port;
  };
  return {
    dashboard: read('DASHBOARD_PORT', base.dashboard),
    command: read('COMMAND_PORT', base.command),
    readApi: read('READ_API_PORT', base.readApi),
    gateway: read('GATEWAY_PORT', base.gateway),
    verification: read('VERIFICATION_PORT', base.verification),
    projector: read('PROJECTOR_PORT', base.projector),
    emulator: read('EMULATOR_PORT', base.emulator),
  };
}

export interface Wiring {
  readonly ports: Ports;
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly namespace: string;
  readonly botToken: string;
  readonly telegramApiRoot: string;
  readonly adminApiToken: string;
  /** NZ_TOKEN_KEYS for sealing bot tokens added through the API; '' = adding bots is off. */
  readonly tokenKeys?: string;
  /**
   * READ_API_AUTH of websocket-push: `session` requires the dashboard session for reads and
   * /ws; `off` (the default here, for the demo and tests written before sessions) leaves
   * them open until the dashboard has its login page (issue 6).
   */
  readonly readApiAuth?: 'session' | 'off';
  readonly logLevel: string;
}

const service = (
  name: string,
  dir: string,
  port: number,
  env: Record<string, string>,
): ServiceSpec => ({
  name,
  script: 'src/main.ts',
  cwd: `${repoRoot}services/${dir}`,
  env: { HTTP_PORT: String(port), ...env },
  readyPort: port,
});

/** The five services, in start order (consumers of events before their producers). */
export function serviceSpecs(w: Wiring): ServiceSpec[] {
  const base = {
    NATS_URL: w.natsUrl,
    NZ_NAMESPACE: w.namespace,
    LOG_LEVEL: w.logLevel,
    HOST: '127.0.0.1',
  };
  return [
    service('analytics-projector', 'analytics-projector', w.ports.projector, {
      ...base,
      DATABASE_URL: w.databaseUrl,
    }),
    service('websocket-push', 'websocket-push', w.ports.readApi, {
      ...base,
      DATABASE_URL: w.databaseUrl,
      READ_API_AUTH: w.readApiAuth ?? 'off',
    }),
    service('verification', 'verification', w.ports.verification, {
      ...base,
      REDIS_URL: w.redisUrl,
    }),
    service('command', 'command', w.ports.command, {
      ...base,
      DATABASE_URL: w.databaseUrl,
      ADMIN_API_TOKEN: w.adminApiToken,
      TELEGRAM_API_ROOT: w.telegramApiRoot,
      ...(w.tokenKeys ? { NZ_TOKEN_KEYS: w.tokenKeys } : {}),
      ALLOWED_ORIGINS: `http://localhost:${w.ports.dashboard},http://127.0.0.1:${w.ports.dashboard}`,
    }),
    service('bot-gateway', 'bot-gateway', w.ports.gateway, {
      ...base,
      // No env bot ('') = only bots registered by events (the dashboard, the CLI).
      ...(w.botToken ? { BOT_TOKEN: w.botToken } : {}),
      TELEGRAM_API_ROOT: w.telegramApiRoot,
      // The same keys as the command service, so bots added on the dashboard open here.
      ...(w.tokenKeys ? { NZ_TOKEN_KEYS: w.tokenKeys } : {}),
    }),
  ];
}

export function emulatorSpec(port: number): ServiceSpec {
  return {
    name: 'telegram-emulator',
    script: 'src/main.ts',
    cwd: `${repoRoot}infra/telegram-emulator`,
    env: { PORT: String(port), HOST: '127.0.0.1' },
  };
}

export function dashboardSpec(w: Wiring): ServiceSpec {
  return {
    name: 'dashboard',
    script: 'server/main.ts',
    cwd: `${repoRoot}frontend`,
    env: {
      PORT: String(w.ports.dashboard),
      HOST: '127.0.0.1',
      READ_API_URL: `http://127.0.0.1:${w.ports.readApi}`,
      COMMAND_API_URL: `http://127.0.0.1:${w.ports.command}`,
      ORIGIN: `http://localhost:${w.ports.dashboard}`,
    },
  };
}
