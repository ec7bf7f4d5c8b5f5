// Bot tokens are sealed with AES-256-GCM before they enter the event stream. Each sealed
// value names its key id, so keys can rotate: new tokens use the active key, old ones
// still open with the key they name.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

export interface Sealed {
  keyId: string;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  authTag: Uint8Array;
}

export interface Keyring {
  readonly activeKeyId: string;
  seal(plaintext: string): Sealed;
  open(sealed: Sealed): string;
}

/**
 * Parses `NZ_TOKEN_KEYS` = `id1:base64key,id2:base64key`; the first is active.
 * Each key must be 32 bytes.
 */
export const tokenKeysSchema = z
  .string()
  .min(1)
  .transform((value, ctx) => {
    const keys = new Map<string, Buffer>();
    for (const part of value.split(',')) {
      const [id, b64] = part.split(':');
      const key = Buffer.from(b64 ?? '', 'base64');
      if (!id || key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'expected "<keyId>:<base64 of 32 bytes>[,...]"' });
        return z.NEVER;
      }
      keys.set(id, key);
    }
    return keys;
  });

export function createKeyring(keys: ReadonlyMap<string, Buffer>): Keyring {
  const activeKeyId = keys.keys().next().value;
  if (activeKeyId === undefined) throw new Error('keyring needs at least one key');
  return {
    activeKeyId,
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys.get(activeKeyId)!, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { keyId: activeKeyId, iv, ciphertext, authTag: cipher.getAuthTag() };
    },
    open(sealed) {
      const key = keys.get(sealed.keyId);
      if (!key)
        throw new Error(`no key with id ${JSON.stringify(sealed.keyId)} to open this secret`);
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
      decipher.setAuthTag(sealed.authTag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    },
  };
}
