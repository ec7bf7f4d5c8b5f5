import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  baseConfigSchema,
  ConfigError,
  createKeyring,
  createLogger,
  parseConfig,
  tokenKeysSchema,
} from '../src/index.ts';

describe('config', () => {
  it('names the variable at fault and what it got', () => {
    const schema = baseConfigSchema.extend({ HTTP_PORT: z.coerce.number().int().max(65535) });
    expect(() => parseConfig(schema, { HTTP_PORT: 'abc', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      parseConfig(schema, { HTTP_PORT: 'abc', LOG_LEVEL: 'loud' });
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toMatch(/HTTP_PORT: .*got "abc"/);
      expect(message).toMatch(/LOG_LEVEL: .*got "loud"/);
    }
  });

  it('never echoes a secret value in the error', () => {
    const schema = z.object({ BOT_TOKEN: z.string().regex(/^\d+:/) });
    expect(() => parseConfig(schema, { BOT_TOKEN: 'supersecret' })).toThrow(
      /BOT_TOKEN: .*\[redacted\]/,
    );
  });
});

describe('logger', () => {
  it('redacts secret fields and masks bot tokens anywhere in a line', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const logger = createLogger('test', 'info', sink);
    const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_';
    logger.info(
      { token, nested: { url: `https://api.telegram.org/bot${token}/getMe` } },
      `using ${token}`,
    );
    logger.error({ err: new Error(`401 for ${token}`) }, 'failed');
    await new Promise((r) => setImmediate(r));
    const out = lines.join('');
    expect(out).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_');
    expect(out).toContain('[redacted]');
    expect(out).toContain('[redacted-bot-token]');
    expect(out).toContain('"type":"Error"');
  });
});

describe('secrets', () => {
  const keys = tokenKeysSchema.parse(
    `k2:${Buffer.alloc(32, 2).toString('base64')},k1:${Buffer.alloc(32, 1).toString('base64')}`,
  );

  it('seals with the active key and opens with the key the value names', () => {
    const ring = createKeyring(keys);
    const sealed = ring.seal('123:secret');
    expect(sealed.keyId).toBe('k2');
    expect(Buffer.from(sealed.ciphertext).toString()).not.toContain('secret');
    expect(ring.open(sealed)).toBe('123:secret');
    const old = createKeyring(new Map([['k1', keys.get('k1')!]])).seal('old-token');
    expect(ring.open(old)).toBe('old-token');
  });

  it('rejects a tampered ciphertext', () => {
    const ring = createKeyring(keys);
    const sealed = ring.seal('123:secret');
    sealed.ciphertext[0] = (sealed.ciphertext[0] ?? 0) ^ 1;
    expect(() => ring.open(sealed)).toThrow();
  });

  it('rejects keys of the wrong size', () => {
    expect(tokenKeysSchema.safeParse('k1:c2hvcnQ=').success).toBe(false);
  });
});
