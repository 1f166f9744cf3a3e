import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where package.json is. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** One entry of package.json "exports". */
export interface PackageEntry {
  /** What a consumer imports, e.g. `h2flow/report`. */
  readonly specifier: string;
  /** The file its `default` condition names, relative to the root, e.g. `./dist/report.js`. */
  readonly file: string;
  /** Whether that file exists (`make build` has run). */
  readonly built: boolean;
}

type ExportsMap = Readonly<Record<string, string | Readonly<Record<string, string>>>>;

/** The package's code entries from package.json "exports", in its order; `./package.json` is left out. */
export function packageEntries(): PackageEntry[] {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
    readonly name: string;
    readonly exports: ExportsMap;
  };
  return Object.entries(pkg.exports)
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, target]) => {
      const file = typeof target === 'string' ? target : target.default;
      if (file === undefined) throw new Error(`exports["${subpath}"] has no default condition`);
      const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
      return { specifier, file, built: existsSync(join(packageRoot, file)) };
    });
}
