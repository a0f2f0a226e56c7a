// A TypeScript entry run from source (pyrun, the tests) is bundled by esbuild first, as
// `npm run build` bundles it for the app, and the bundle is what runs. Not tsx: tsx always
// transforms with esbuild's keepNames, which puts `static { __name(this, "X") }` into every class,
// and V8's `instanceof` against a class whose `name` was redefined is several times slower (the
// interpreter tests instanceof at every operation: a runner under tsx ran programs 2-3x slower
// than the same code bundled). A bundle is rebuilt only when one of its inputs changed.
// esbuild is a development tool: it is loaded only here, when a .ts entry is run from source.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { createRequire } from 'node:module';
import { basename, resolve } from 'node:path';

type Esbuild = typeof import('esbuild');

/** What a cached bundle was built from: each input's path with its size and modification time. */
interface Manifest {
  entry: string;
  inputs: [path: string, size: number, mtimeMs: number][];
}

function fingerprint(path: string): [size: number, mtimeMs: number] | null {
  try {
    const s = statSync(path);
    return [s.size, s.mtimeMs];
  } catch {
    return null;
  }
}

function isCurrent(manifestPath: string, entry: string): boolean {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch {
    return false;
  }
  if (manifest.entry !== entry) return false;
  return manifest.inputs.every(([path, size, mtimeMs]) => {
    const now = fingerprint(path);
    return now !== null && now[0] === size && now[1] === mtimeMs;
  });
}

/** Writes through a temporary name, so a process reading the file never sees half of it. */
function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** The path of an up-to-date CommonJS bundle of `entry` (a .ts file), building it if needed. */
export function bundledEntry(entry: string): string {
  const absolute = resolve(entry);
  const dir = resolve(tmpdir(), `gradlab-bundles-${userInfo().uid}`);
  const name = `${basename(absolute, '.ts')}-${createHash('sha256').update(absolute).digest('hex').slice(0, 12)}`;
  const bundlePath = resolve(dir, `${name}.cjs`);
  const manifestPath = resolve(dir, `${name}.json`);
  if (isCurrent(manifestPath, absolute) && fingerprint(bundlePath) !== null) return bundlePath;
  mkdirSync(dir, { recursive: true });
  const { buildSync } = createRequire(import.meta.url)('esbuild') as Esbuild;
  const result = buildSync({
    entryPoints: [absolute],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    absWorkingDir: dir,
    outfile: bundlePath,
    logLevel: 'silent',
    // CommonJS has no import.meta; give modules that use it the bundle's own URL (as build-main.ts does)
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  const output = result.outputFiles.find((f) => f.path === bundlePath);
  if (!output) throw new Error(`esbuild wrote no bundle for ${absolute}`);
  const inputs = Object.keys(result.metafile.inputs).map((input) => resolve(dir, input));
  writeAtomically(bundlePath, output.text);
  const manifest: Manifest = { entry: absolute, inputs: inputs.flatMap((path) => fingerprintedInput(path)) };
  writeAtomically(manifestPath, JSON.stringify(manifest));
  return bundlePath;
}

function fingerprintedInput(path: string): Manifest['inputs'] {
  const f = fingerprint(path);
  // an input that cannot be read back (esbuild's own namespaces) cannot go stale either
  return f === null ? [] : [[path, f[0], f[1]]];
}
