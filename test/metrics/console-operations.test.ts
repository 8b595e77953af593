import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CONSOLE_OPERATIONS } from '../../src/http/console-operations';

const WEB_SRC = path.resolve(__dirname, '../../web/src');

/** The console's source files, its generated client (web/src/gql) excepted. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(WEB_SRC, 'gql') ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The names of the operations in the console's graphql(`…`) documents. */
function consoleOperationNames(): Set<string> {
  const names = new Set<string>();
  for (const file of sources(WEB_SRC)) {
    for (const [, document] of readFileSync(file, 'utf8').matchAll(/graphql\(\s*`([^`]*)`/g)) {
      for (const [, name] of document.matchAll(/(?:^|[\s}])(?:query|mutation|subscription)\s+([A-Za-z_]\w*)/g))
        names.add(name);
    }
  }
  return names;
}

describe('the metrics allow-list of GraphQL operation names', () => {
  it("lists exactly the console's operations", () => {
    const used = consoleOperationNames();
    expect(used.size).toBeGreaterThan(10); // the scan really found the console's documents
    expect([...used].sort()).toEqual([...CONSOLE_OPERATIONS].sort());
  });
});
