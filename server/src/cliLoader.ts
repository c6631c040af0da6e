// Entry of dist/cli.js: runs the CLI bundle (dist/cli-main.js) with a V8 code cache, because compiling the
// 1 MB bundle was a quarter of a `check` run's time and Node 20 has no module.enableCompileCache.
// The cache lives next to the bundle (as trusted as the code) or in the user's own cache folder, never in a
// shared temp folder (bytecode from there could run as the user). Any failure falls back to a plain compile.
// The cache holds what the runs that wrote it compiled: it names their commands, and a run of a command it does
// not cover rewrites it (the first run after a build may be `--version`; `check` must not stay uncached).
import { isAscii } from 'node:buffer';
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

/** Commands whose compiled code a cache records; any other first argument (--help, --version …) counts as `other`. */
const COMMANDS = ['check', 'rules', 'test-jail', 'lsp'];

/** Identifies the bundle and the V8 that compiled it (V8 also checks its version and flags itself). */
function cacheKey(): string {
  const stat = statSync(BUNDLE);
  return `${process.version} ${process.arch} ${stat.size} ${stat.mtimeMs}`;
}

function thisCommand(): string {
  const command = process.argv[2];
  return COMMANDS.includes(command) ? command : 'other';
}

interface Cache {
  data: Buffer;
  /** Commands whose runs compiled the cached code. */
  commands: string[];
}

/** A cache file: `<key> <command>,<command>…\n` then V8's data. */
function readCache(key: string): Cache | undefined {
  for (const folder of cacheFolders()) {
    try {
      const bytes = readFileSync(join(folder, CACHE_NAME));
      const headerEnd = bytes.indexOf(10);
      const header = bytes.subarray(0, headerEnd).toString('latin1');
      if (headerEnd > 0 && header.startsWith(`${key} `)) {
        return { data: bytes.subarray(headerEnd + 1), commands: header.slice(key.length + 1).split(',') };
      }
    } catch {
      // no cache there
    }
  }
  return undefined;
}

function writeCache(header: string, data: Buffer): void {
  for (const folder of cacheFolders()) {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const file = join(folder, CACHE_NAME);
      const partial = `${file}.${process.pid}.tmp`; // renamed into place: concurrent runs never read half a file
      writeFileSync(partial, Buffer.concat([Buffer.from(`${header}\n`, 'latin1'), data]), { mode: 0o600 });
      renameSync(partial, file);
      return;
    } catch {
      // read-only install: try the next folder
    }
  }
}

function run(): void {
  const ModuleClass = Module as unknown as ModuleInternals;
  const bytes = readFileSync(BUNDLE);
  // the build keeps the bundle ASCII: read as Latin-1 it is V8's compact one-byte string, without UTF-8 decoding
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const key = process.env.DMS_FAIL2BAN_NO_CODE_CACHE ? undefined : cacheKey();
  const cache = key === undefined ? undefined : readCache(key);
  const script = new Script(ModuleClass.wrap(source), { filename: BUNDLE, cachedData: cache?.data });
  const command = thisCommand();
  const accepted = cache !== undefined && !script.cachedDataRejected;
  if (key !== undefined && (!accepted || !cache.commands.includes(command))) {
    // at exit the cache also holds the functions this run compiled lazily (the whole path of its command)
    const commands = accepted ? [...cache.commands, command] : [command];
    process.once('exit', () => writeCache(`${key} ${commands.join(',')}`, script.createCachedData()));
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
