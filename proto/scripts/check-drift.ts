// Fails when the committed generated code differs from what the .proto sources produce,
// and when buf lint finds a problem. Regenerates into a temp dir; never touches gen/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const buf = join(root, '..', 'node_modules', '.bin', 'buf');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

execFileSync(buf, ['lint'], { cwd: root, stdio: 'inherit' });

const out = mkdtempSync(join(tmpdir(), 'nezuko-proto-'));
try {
  execFileSync(buf, ['generate', '--output', out], { cwd: root, stdio: 'inherit' });
  const fresh = join(out, 'gen');
  const committed = join(root, 'gen');
  const a = files(fresh)
    .map((f) => relative(fresh, f))
    .sort();
  const b = files(committed)
    .map((f) => relative(committed, f))
    .sort();
  const drift = [
    ...a.filter((f) => !b.includes(f)).map((f) => `missing from gen/: ${f}`),
    ...b.filter((f) => !a.includes(f)).map((f) => `stale in gen/: ${f}`),
    ...a
      .filter((f) => b.includes(f))
      .filter(
        (f) => readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(committed, f), 'utf8'),
      )
      .map((f) => `differs from its .proto: gen/${f}`),
  ];
  if (drift.length > 0) {
    console.error(
      `Generated code has drifted; run \`npm run proto:gen\`:\n  ${drift.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(`proto: buf lint clean, ${a.length} generated files match their sources`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
