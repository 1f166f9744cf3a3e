/**
 * The npm package a module belongs to, from its file: URL or path: the path
 * segment after the last `node_modules/` (two segments for a scoped
 * `@scope/name`), or `undefined` for a module outside `node_modules/`.
 */
export function npmPackageOf(url: string): string | undefined {
  const marker = '/node_modules/';
  const at = url.lastIndexOf(marker);
  if (at === -1) return undefined;
  const [first, second] = url.slice(at + marker.length).split('/');
  if (first === undefined || first === '') return undefined;
  return first.startsWith('@') && second !== undefined ? `${first}/${second}` : first;
}

/** The distinct npm packages `urls` belong to, sorted. */
export function npmPackagesOf(urls: readonly string[]): string[] {
  const names = new Set<string>();
  for (const url of urls) {
    const name = npmPackageOf(url);
    if (name !== undefined) names.add(name);
  }
  return [...names].sort();
}
