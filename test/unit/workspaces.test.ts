// Every workspace declares what its code imports, and reaches another workspace only through its package.
import { builtinModules } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[]; devDependencies?: Record<string, string> };

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const at = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sources(at);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [at] : [];
  });
}

/** The packages a file imports (bare specifiers, by package name), Node's own modules left out. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'|import\('([^']+)'\)|require\('([^']+)'\)/g)].map(
    (m) => (m[1] ?? m[2] ?? m[3]) as string,
  );
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s.split('/')[0] as string))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] as string)));
}

describe.each(root.workspaces)('workspace %s', (workspace) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, workspace, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const files = sources(path.join(ROOT, workspace, 'src'));

  it('declares every package its code imports (tests may use the root tooling)', () => {
    const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
    const tooling = new Set(Object.keys(root.devDependencies ?? {}));
    const undeclared = files.flatMap((f) => {
      const test = /\.test\.ts$|[/\\]test[/\\]/.test(f);
      return importsOf(f)
        .filter((p) => !declared.has(p) && !(test && tooling.has(p)))
        .map((p) => `${path.relative(ROOT, f)} imports ${p}`);
    });
    expect(undeclared).toEqual([]);
  });

  it("imports no other workspace's sources", () => {
    const reaching = files.filter((f) =>
      /from '(\.\.\/)+(common|fabric|chaincode|gateway|monitor|console|network)\/src\b|from '@regchain\/[a-z]+\/(src|dist)\b/.test(fs.readFileSync(f, 'utf8')),
    );
    expect(reaching.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
