// The infrastructure URLs the root vitest global setup resolved, read inside a test worker.
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    natsUrl: string;
    databaseUrl: string;
    redisUrl: string;
  }
}

export function testEnv(): { natsUrl: string; databaseUrl: string; redisUrl: string } {
  return {
    natsUrl: inject('natsUrl'),
    databaseUrl: inject('databaseUrl'),
    redisUrl: inject('redisUrl'),
  };
}
