import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

/** Sources newer than their compiled file (or never compiled): the spawned CLI and server would run old code. */
function staleSources(): string[] {
  const stale: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const compiled = path.join(root, 'dist', child.replace(/\.ts$/, '.js'));
        if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(path.join(root, child)).mtimeMs)
          stale.push(child);
      }
    }
  };
  for (const dir of ['src', 'migrations']) if (existsSync(path.join(root, dir))) walk(dir);
  return stale;
}

/**
 * The CLI, server and crash tests spawn the compiled tree (bin/orgctl.js -> dist/), as users run it.
 * Build it once per jest run, and only when a source changed since the last build.
 */
export default function globalSetup(): void {
  if (!staleSources().length) return;
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'pipe',
    });
  } catch (err) {
    // tsc still emits on type errors (work in progress elsewhere in the tree); only a missing CLI is fatal.
    const output = String((err as { stdout?: Buffer }).stdout ?? '')
      .trim()
      .split('\n')
      .slice(0, 5)
      .join('\n');
    if (!existsSync(path.join(root, 'dist/src/cli/main.js')))
      throw new Error(`build failed:\n${output}`, { cause: err });
    process.stderr.write(`\nwarning: tsc reported errors; the spawned processes run what it emitted:\n${output}\n`);
  }
}
