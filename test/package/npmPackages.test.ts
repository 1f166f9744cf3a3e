import { npmPackageOf, npmPackagesOf } from './npmPackages.js';

describe('npmPackageOf', () => {
  it.each([
    ['file:///repo/node_modules/rxjs/dist/cjs/index.js', 'rxjs'],
    ['file:///repo/node_modules/@opentelemetry/api/build/src/index.js', '@opentelemetry/api'],
    ['/repo/node_modules/a/node_modules/b/index.js', 'b'],
    ['/repo/node_modules/a/node_modules/@s/c/index.js', '@s/c'],
  ])('finds the package of %s', (url, name) => {
    expect(npmPackageOf(url)).toBe(name);
  });

  it.each(['file:///repo/dist/index.js', 'node:fs', '/repo/node_modules/'])(
    'finds none for %s',
    (url) => {
      expect(npmPackageOf(url)).toBeUndefined();
    },
  );
});

describe('npmPackagesOf', () => {
  it('lists each package once, sorted, and skips modules of no package', () => {
    expect(
      npmPackagesOf([
        'file:///r/node_modules/rxjs/a.js',
        'file:///r/dist/index.js',
        'file:///r/node_modules/@scope/x/b.js',
        'file:///r/node_modules/rxjs/b.js',
        'file:///r/node_modules/pako/index.js',
      ]),
    ).toEqual(['@scope/x', 'pako', 'rxjs']);
  });
});
