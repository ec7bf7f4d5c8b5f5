// Regenerates openapi.json from the route table (`npm run openapi -w @nezuko/command`).
// The unit tests fail when the committed document drifts from the code.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { openApiDocument } from '../src/openapi.ts';
import { documentedRoutes } from '../src/routes/documented.ts';

const target = fileURLToPath(new URL('../openapi.json', import.meta.url));
const options = await resolveConfig(target);
const text = await format(JSON.stringify(openApiDocument(documentedRoutes())), {
  ...options,
  filepath: target,
});
writeFileSync(target, text);
process.stdout.write(`wrote ${target}\n`);
