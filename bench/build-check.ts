import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The bench runs the compiled tree (dist/). Returns a warning when a source file is newer than its
 * compiled file or was never compiled, so a stale build is not benchmarked by mistake; null when fresh.
 */
export function checkBuild(distRoot: string): string | null {
  const projectRoot = path.dirname(distRoot);
  if (!existsSync(path.join(distRoot, 'src/main.js'))) {
    return 'dist/src/main.js is missing: run `npx tsc -p tsconfig.json` first (the bench runs the compiled tree).';
  }
  const stale: string[] = [];
  for (const dir of ['src', 'migrations', 'bench']) {
    const walk = (rel: string) => {
      const abs = path.join(projectRoot, rel);
      if (!existsSync(abs)) return;
      for (const entry of readdirSync(abs, { withFileTypes: true })) {
        const child = path.join(rel, entry.name);
        if (entry.isDirectory()) walk(child);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
          const compiled = path.join(distRoot, child.replace(/\.ts$/, '.js'));
          if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(path.join(projectRoot, child)).mtimeMs)
            stale.push(child);
        }
      }
    };
    walk(dir);
  }
  if (!stale.length) return null;
  const shown = stale.slice(0, 5).join(', ') + (stale.length > 5 ? `, and ${stale.length - 5} more` : '');
  return `warning: the compiled tree is older than ${shown}; run \`npx tsc -p tsconfig.json\` to bench the current code.`;
}
