// Entry of dist/cli.js: runs the CLI bundle (dist/cli-main.js) with a V8 code cache, because compiling the
// 1 MB bundle was a quarter of a `check` run's time and Node 20 has no module.enableCompileCache.
// The cache lives next to the bundle (as trusted as the code) or in the user's own cache folder, never in a
// shared temp folder (bytecode from there could run as the user). Any failure falls back to a plain compile.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

const BUNDLE = join(__dirname, 'cli-main.js');
const CACHE_NAME = 'cli-main.v8cache';

interface LoadableModule {
  filename: string;
  id: string;
  paths: string[];
  exports: unknown;
}
interface ModuleInternals {
  new (id: string, parent?: unknown): LoadableModule;
  wrap(source: string): string;
  _nodeModulePaths(directory: string): string[];
}

/** Cache folders to try, most trusted first. */
function cacheFolders(): string[] {
  const userCache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return [__dirname, join(userCache, 'dms-fail2ban')];
}

/** Identifies the bundle and the V8 that compiled it (V8 also checks its version and flags itself). */
function cacheKey(): string {
  const stat = statSync(BUNDLE);
  return `${process.version} ${process.arch} ${stat.size} ${stat.mtimeMs}\n`;
}

function readCache(key: string): Buffer | undefined {
  for (const folder of cacheFolders()) {
    try {
      const bytes = readFileSync(join(folder, CACHE_NAME));
      if (bytes.subarray(0, key.length).toString('latin1') === key) return bytes.subarray(key.length);
    } catch {
      // no cache there
    }
  }
  return undefined;
}

function writeCache(key: string, data: Buffer): void {
  for (const folder of cacheFolders()) {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const file = join(folder, CACHE_NAME);
      const partial = `${file}.${process.pid}.tmp`; // renamed into place: concurrent runs never read half a file
      writeFileSync(partial, Buffer.concat([Buffer.from(key, 'latin1'), data]), { mode: 0o600 });
      renameSync(partial, file);
      return;
    } catch {
      // read-only install: try the next folder
    }
  }
}

function run(): void {
  const ModuleClass = Module as unknown as ModuleInternals;
  const source = readFileSync(BUNDLE, 'utf8');
  const key = process.env.DMS_FAIL2BAN_NO_CODE_CACHE ? undefined : cacheKey();
  const cachedData = key === undefined ? undefined : readCache(key);
  const script = new Script(ModuleClass.wrap(source), { filename: BUNDLE, cachedData });
  if (key !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
    // at exit the cache also holds the functions this run compiled lazily (the whole check path)
    process.once('exit', () => writeCache(key, script.createCachedData()));
  }
  const bundleModule = new ModuleClass(BUNDLE, module);
  bundleModule.filename = BUNDLE;
  bundleModule.paths = ModuleClass._nodeModulePaths(dirname(BUNDLE));
  const bundleRequire = Module.createRequire(BUNDLE);
  // the bundle runs its main() when it is the main module (or bin/dms-fail2ban required this loader)
  if (require.main === module) {
    bundleModule.id = '.';
    bundleRequire.main = bundleModule as unknown as NodeJS.Module;
  }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, bundleRequire, bundleModule, BUNDLE, dirname(BUNDLE));
  module.exports = bundleModule.exports;
}

run();
