import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';

/**
 * Many rows in one statement: the server unpacks a JSON array into the table's row type, so the
 * statement has one parameter whatever the number of rows. Keys are column names; absent columns
 * take their defaults. Row-level security and triggers apply as to any INSERT.
 */
export async function insertRows(
  db: { query(sql: string, parameters?: unknown[]): Promise<unknown> },
  table: string,
  rows: ReadonlyArray<Record<string, unknown>>,
  skipExisting = false,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]).join(', ');
  await db.query(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM json_populate_recordset(null::${table}, $1)${skipExisting ? ' ON CONFLICT DO NOTHING' : ''}`, [JSON.stringify(rows)]);
}

/** insertRows for entities: property names become column names, values pass the columns' transformers; every row has the first row's properties. */
export async function insertEntities<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: ReadonlyArray<Partial<T>>): Promise<void> {
  const metadata = manager.connection.getMetadata(entity);
  await insertRows(
    manager,
    metadata.tableName,
    rows.map((row) => entityRow(manager, entity, row)),
  );
}

/** An entity as its table's row: column names, values as the columns' transformers store them; absent properties left out. */
export function entityRow<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, row: Partial<T>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of manager.connection.getMetadata(entity).columns) {
    const value = (row as Record<string, unknown>)[column.propertyName];
    if (value !== undefined) out[column.databaseName] = column.transformer ? ApplyValueTransformers.transformTo(column.transformer, value) : value;
  }
  return out;
}

/**
 * An entity's columns and values for one INSERT, as TypeORM's insert would write them (each value
 * through the driver: transformers, JSON); properties left undefined are left out, to their
 * defaults. Written by hand because the hot inserts need a shape TypeORM's builder does not make
 * (a row taking its number from a CTE) and its query building was a visible share of a create.
 * Plain columns only: no relations, no raw SQL values (functions), as the builder would allow.
 */
export function insertColumns<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, row: Partial<T>): { columns: string[]; parameters: unknown[] } {
  const driver = manager.connection.driver;
  const columns: string[] = [];
  const parameters: unknown[] = [];
  for (const column of manager.connection.getMetadata(entity).columns) {
    const value = (row as Record<string, unknown>)[column.propertyName];
    if (value === undefined || !column.isInsert) continue;
    columns.push(column.databaseName);
    parameters.push(driver.preparePersistentValue(value, column));
  }
  return { columns, parameters };
}
