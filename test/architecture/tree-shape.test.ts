import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// The folder tree is the architecture's map: capability folders of a handful of files, files of
// one concept. These limits keep it readable as the code grows (import cycles are checked by
// `npm run cycles`).
const ROOT = join(__dirname, '..', '..');
const SOURCE_ROOTS = ['bin', 'functions', 'shared', 'infra', 'bench', 'scripts'];
const MAX_FILES_PER_FOLDER = 12;
const MAX_LINES_PER_FILE = 400;
const SOURCE = /\.(ts|js|mjs)$/;

function folders(dir: string): string[] {
  const below = readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory());
  return [dir, ...below.flatMap(folders)];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => SOURCE.test(name) && !name.endsWith('.d.ts'))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

const allFolders = SOURCE_ROOTS.flatMap((root) => folders(join(ROOT, root)));

describe('the source tree', () => {
  it(`has no folder of more than ${MAX_FILES_PER_FOLDER} source files`, () => {
    const crowded = allFolders
      .map((dir) => ({ dir: relative(ROOT, dir), files: sourceFiles(dir).length }))
      .filter((f) => f.files > MAX_FILES_PER_FOLDER);
    expect(crowded).toEqual([]);
  });

  it(`has no source file over ${MAX_LINES_PER_FILE} lines`, () => {
    const long = allFolders
      .flatMap(sourceFiles)
      .map((path) => ({
        file: relative(ROOT, path),
        lines: readFileSync(path, 'utf8').split('\n').length - 1,
      }))
      .filter((f) => f.lines > MAX_LINES_PER_FILE);
    expect(long).toEqual([]);
  });

  it('reads the folders it checks', () => {
    // Guards the two checks above against passing because they found nothing to look at.
    expect(allFolders.map((dir) => relative(ROOT, dir))).toEqual(
      expect.arrayContaining(['shared/intake', 'shared/notices', 'infra/aws', 'functions']),
    );
    expect(allFolders.flatMap(sourceFiles).length).toBeGreaterThan(100);
  });
});
