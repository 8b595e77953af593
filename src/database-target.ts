// Kept apart from mikro-orm.config.ts so that orgctl can pick its path (control socket or direct)
// without loading the ORM and PGlite.
export type DatabaseKind = 'postgres' | 'pglite-file' | 'pglite-memory';

export interface DatabaseTarget {
  kind: DatabaseKind;
  url?: string;
  dataDir: string;
}

/** DATABASE_URL unset -> PGlite under DATA_DIR; pglite://memory -> throwaway; postgres:// -> PostgreSQL. */
export function databaseTarget(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  if (!databaseUrl) return { kind: 'pglite-file', dataDir };
  if (databaseUrl.startsWith('pglite://')) {
    const rest = databaseUrl.slice('pglite://'.length);
    if (rest === 'memory' || rest === '') return { kind: 'pglite-memory', dataDir };
    return { kind: 'pglite-file', dataDir: rest };
  }
  return { kind: 'postgres', url: databaseUrl, dataDir };
}
