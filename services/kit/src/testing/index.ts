// Test support shared by every workspace: real infrastructure and per-run isolation.
export { startTestInfra, type TestInfra } from './infra.ts';
export { createTestDatabase, uniqueNamespace, type TestDatabase } from './isolation.ts';
export { testEnv } from './env.ts';
