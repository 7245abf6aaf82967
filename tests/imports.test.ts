import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { PROJECT_ROOT } from './support/environments';

/** Folders of the platform's own code, in the one direction data flows. */
const SOURCE_DIRS = ['environments', 'stacks', 'constructs', 'charts-ts', 'policy', 'tests'];

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__snapshots__' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

interface ImportEdge {
  readonly file: string;
  readonly specifier: string;
  /** The project folder a relative import lands in (`./constructs`), or the package name (`constructs`). */
  readonly target: string;
}

/** Every import, export-from, dynamic import and require of a file, as TypeScript reads them. */
function importsOf(file: string): ImportEdge[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  const relativeFile = path.relative(PROJECT_ROOT, file);
  return info.importedFiles.map(({ fileName: specifier }) => {
    if (specifier.startsWith('.')) {
      const resolved = path.relative(PROJECT_ROOT, path.resolve(path.dirname(file), specifier));
      return { file: relativeFile, specifier, target: `./${resolved.split(path.sep)[0]}` };
    }
    const parts = specifier.split('/');
    return { file: relativeFile, specifier, target: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
  });
}

const EDGES = SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(PROJECT_ROOT, dir))).flatMap(importsOf);
const from = (dir: string) => EDGES.filter((edge) => edge.file.split(path.sep)[0] === dir);
const show = (edges: ImportEdge[]) => edges.map((edge) => `${edge.file} -> ${edge.specifier}`);

describe('imports', () => {
  test('the import reader sees every kind of import', () => {
    expect(EDGES.length).toBeGreaterThan(50);
    const sample = path.join(PROJECT_ROOT, 'tests', 'imports.test.ts');
    expect(importsOf(sample).map((edge) => edge.target)).toEqual(['fs', 'path', 'typescript', './tests']);
  });

  test('provider classes are imported by deep path, never through the package barrel (about 1 s and 250 MB per process)', () => {
    expect(show(EDGES.filter((edge) => /^@cdktf\/provider-[a-z]+$/.test(edge.specifier)))).toEqual([]);
  });

  test('only stacks/ (and tests) know cdktf and the providers', () => {
    const cdktf = (edge: ImportEdge) => edge.target === 'cdktf' || edge.target.startsWith('@cdktf/');
    expect(show(['environments', 'constructs', 'charts-ts', 'policy'].flatMap(from).filter(cdktf))).toEqual([]);
  });

  test('data flows one way: environments -> stacks -> constructs -> charts-ts', () => {
    const into = (folders: string[]) => (edge: ImportEdge) => folders.some((folder) => edge.target === `./${folder}`);
    expect(show(['constructs', 'charts-ts', 'environments', 'policy'].flatMap(from).filter(into(['stacks'])))).toEqual([]);
    expect(show(['constructs', 'charts-ts', 'policy'].flatMap(from).filter(into(['environments'])))).toEqual([]);
    // Charts sit below components; they may throw the project's one error class.
    const platformError = (edge: ImportEdge) => edge.specifier.endsWith('/constructs/platform-error');
    expect(show(from('charts-ts').filter((edge) => into(['constructs', 'policy'])(edge) && !platformError(edge)))).toEqual([]);
  });

  test('nothing reads the upstream material beside the project: a user\'s clone has no ../shared', () => {
    const offenders = SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(PROJECT_ROOT, dir)))
      .filter((file) => file !== __filename && /\.\.\/shared\b|['"]shared\/(crds|charts)/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(PROJECT_ROOT, file));
    expect(offenders).toEqual([]);
  });
});
