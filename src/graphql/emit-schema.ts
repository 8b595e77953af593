import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getSchema, printSchemaFile } from './schema';

// `npm run schema` (after the build) writes schema/schema.graphql from the compiled resolvers.
const projectRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..');
export const SCHEMA_FILE = path.join(projectRoot, 'schema', 'schema.graphql');

async function main(): Promise<void> {
  const text = printSchemaFile(await getSchema());
  mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  writeFileSync(SCHEMA_FILE, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`schema emit failed: ${err.message}\n`);
    process.exit(1);
  });
}
