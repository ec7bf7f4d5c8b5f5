import type { TestProject } from 'vitest/node';
import { startTestInfra } from '@nezuko/kit/testing';

export default async function setup(project: TestProject) {
  const infra = await startTestInfra();
  project.provide('natsUrl', infra.natsUrl);
  project.provide('databaseUrl', infra.databaseUrl);
  project.provide('redisUrl', infra.redisUrl);
  return () => infra.stop();
}
