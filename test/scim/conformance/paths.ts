import fs from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest directory above this file with a package.json. */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the test directory');
    dir = parent;
  }
  return dir;
}

/**
 * `../shared/conformance` beside the repository clone (as CI lays it out), or SCIM_CONFORMANCE_DIR. Null when the
 * file is absent: the conformance tests then skip with a message instead of failing.
 */
export function conformanceFile(name: string): string | null {
  const dir = process.env.SCIM_CONFORMANCE_DIR ?? path.resolve(repoRoot(), '..', 'shared', 'conformance');
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return file;
  console.warn(
    `[scim conformance] ${file} is absent: skipping (clone the shared directory beside the repository, or set SCIM_CONFORMANCE_DIR)`,
  );
  return null;
}
