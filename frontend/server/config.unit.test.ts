import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('defaults to local backends on 127.0.0.1:3000', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1' });
    expect(config.readApiUrl.href).toBe('http://127.0.0.1:3002/');
    expect(config.commandApiUrl.href).toBe('http://127.0.0.1:3001/');
  });

  it('reads every variable', () => {
    const config = parseConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      READ_API_URL: 'http://websocket-push:3002',
      COMMAND_API_URL: 'http://command:3001/',
    });
    expect(config.port).toBe(8080);
    expect(config.host).toBe('0.0.0.0');
    expect(config.readApiUrl.host).toBe('websocket-push:3002');
    expect(config.commandApiUrl.host).toBe('command:3001');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ READ_API_URL: 'websocket-push:3002' }, 'READ_API_URL'],
    [{ COMMAND_API_URL: 'https://command' }, 'COMMAND_API_URL'],
    [{ READ_API_URL: 'http://websocket-push/api' }, 'READ_API_URL'],
  ])('rejects %o, naming %s', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(new RegExp(`^${variable} `));
  });
});
