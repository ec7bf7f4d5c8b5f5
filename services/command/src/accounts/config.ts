// The settings document the command service serves at /api/v1/config: one versioned row,
// so concurrent edits are detected by version (the ETag).
import type { Kysely } from 'kysely';
import type { CommandDatabase } from './schema.ts';

type Db = Kysely<CommandDatabase>;

export interface StoredConfig {
  readonly document: Record<string, unknown>;
  readonly version: number;
}

export async function readConfig(db: Db): Promise<StoredConfig> {
  const row = await db
    .selectFrom('nz_command.config')
    .select(['document', 'version'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return row ? { document: row.document, version: row.version } : { document: {}, version: 0 };
}

/** Writes version `expected + 1`; false when someone else wrote since `expected`. */
export async function writeConfig(
  db: Db,
  document: Record<string, unknown>,
  expected: number,
  by: string,
): Promise<boolean> {
  const values = {
    document: JSON.stringify(document),
    version: expected + 1,
    updated_at: new Date(),
    updated_by: by,
  };
  if (expected === 0) {
    const inserted = await db
      .insertInto('nz_command.config')
      .values({ id: 1, ...values })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const updated = await db
    .updateTable('nz_command.config')
    .set(values)
    .where('id', '=', 1)
    .where('version', '=', expected)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
