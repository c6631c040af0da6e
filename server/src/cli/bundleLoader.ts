// Runs a CLI bundle with a V8 code cache: compiling a bundle of a megabyte was a quarter of a `check` run's time,
// and Node 20 has no module.enableCompileCache. The cache lives next to the bundle (as trusted as the code) or in the
// user's own cache folder, never in a shared temp folder (bytecode from there could run as the user). Any failure
// falls back to a plain compile.
// A cache holds what the runs that wrote it compiled: it names their commands, and a run of a command it does not
// cover rewrites it (the first run after a build may be `--version`; `check` must not stay uncached). A run long
// enough for V8 to have dropped bytecode it had not run for a while (the bundle's top level, run once) writes none:
// that code would miss from the cache and be compiled again by every later run.
// A bundle's `require('./<name>.js')` loads that sibling bundle the same way (scripts/build.mjs builds the parts
// only some commands need — language server, test-jail, container reader — as bundles of their own).
// Copies of a megabyte cost page faults as well as time, so the build writes the CLI's own bundles already wrapped as
// node wraps a module (no concatenated copy to flatten before compiling), and a cache's data starts 8-byte aligned
// (V8 copies cached data that is not); the cache is read into the pages the bundle was read into.
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, writeFileSync, type Stats } from 'node:fs';
import type * as Os from 'node:os';
import type * as V8 from 'node:v8';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

interface LoadableModule {
  filename: string;
  id: string;
  paths: string[];
  exports: unknown;
  loaded: boolean;
}
interface ModuleInternals {
  new (id: string, parent?: unknown): LoadableModule;
  createRequire(filename: string): NodeJS.Require;
  wrap(source: string): string;
  _nodeModulePaths(directory: string): string[];
}

/**
 * node's Module class, as the class of this (CommonJS) module: `require('node:module')` would load that module and
 * its source-map support at start-up for nothing.
 */
function moduleClass(): ModuleInternals {
  return module.constructor as unknown as ModuleInternals;
}

/** Commands whose compiled code a cache records; any other first argument (--help, --version …) counts as `other`. */
const COMMANDS = ['check', 'rules', 'test-jail', 'lsp'];

/**
 * Full garbage collections from which a run writes no cache. V8 drops the bytecode of a function that has not run
 * for --bytecode-old-age (5 in Node 20) of them; a cache written after a first check of a folder of 120 files
 * lacked the bundle's top level, and each later check compiled it again (600 more page faults, ~5 ms). A later,
 * lighter run writes the cache instead. The language server (hours long) writes its cache at exit regardless.
 */
const FULL_GCS_THAT_MAY_DROP_BYTECODE = 3;

/** The full garbage collections since the first runs that may write a cache started counting (shared by bundles). */
let fullGcs: { profiler: V8.GCProfiler; counted?: number } | undefined;

function countFullGcs(): void {
  if (fullGcs) return;
  // node:v8 only in runs that may write a cache: loading it costs a few milliseconds
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const profiler = new (require('node:v8') as typeof V8).GCProfiler();
  profiler.start();
  fullGcs = { profiler };
}

function fullGcsSoFar(): number {
  if (!fullGcs) return 0;
  fullGcs.counted ??= fullGcs.profiler.stop().statistics.filter((gc) => gc.gcType === 'MarkSweepCompact').length;
  return fullGcs.counted;
}

/** How a bundle the build wrote pre-wrapped begins: node's own module wrapper (`Module.wrap`). */
const WRAPPED_PREFIX = '(function (exports, require, module, __filename, __dirname) { ';

/** A sibling bundle as a bundle requires it. */
const SIBLING_BUNDLE = /^\.\/[\w-]+\.js$/;

/** Cache folders to try, most trusted first; the user's only when the bundle's own did not do. */
function* cacheFolders(bundle: string): Generator<string> {
  yield dirname(bundle);
  // node:os only then: it is not loaded yet at start-up
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const userCache = process.env.XDG_CACHE_HOME || join((require('node:os') as typeof Os).homedir(), '.cache');
  yield join(userCache, 'dms-fail2ban');
}

function cacheName(bundle: string): string {
  return `${basename(bundle, '.js')}.v8cache`;
}

/** Identifies the bundle and the V8 that compiled it (V8 also checks its version and flags itself). */
function cacheKey(bundleStat: Stats): string {
  return `${process.version} ${process.arch} ${bundleStat.size} ${bundleStat.mtimeMs}`;
}

/**
 * A whole file, read into `scratch` when it fits. The bundle is read into a buffer twice its size: only the pages
 * read into are touched (memory the process never writes costs nothing), and the cache, read next into the same
 * buffer once the bundle is decoded, then reuses those pages instead of faulting in fresh ones.
 */
function readWhole(path: string, scratch?: Buffer): { bytes: Buffer; stat: Stats } {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    const buffer = scratch && scratch.length >= stat.size ? scratch : Buffer.allocUnsafeSlow(2 * stat.size);
    let length = 0;
    while (length < stat.size) {
      const read = readSync(fd, buffer, length, stat.size - length, length);
      if (read === 0) break;
      length += read;
    }
    return { bytes: buffer.subarray(0, length), stat };
  } finally {
    closeSync(fd);
  }
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

/** Where V8's data starts after a header that ends at `headerEnd`: the next 8-byte boundary of the file. */
function dataStart(headerEnd: number): number {
  return (headerEnd + 1 + 7) & ~7;
}

/** A cache file: `<key> <command>,<command>…\n`, zero bytes up to an 8-byte boundary, then V8's data. */
function readCache(bundle: string, key: string, scratch: Buffer): Cache | undefined {
  for (const folder of cacheFolders(bundle)) {
    try {
      const { bytes } = readWhole(join(folder, cacheName(bundle)), scratch);
      const headerEnd = bytes.indexOf(10);
      const header = bytes.subarray(0, headerEnd).toString('latin1');
      if (headerEnd > 0 && header.startsWith(`${key} `)) {
        return { data: bytes.subarray(dataStart(headerEnd)), commands: header.slice(key.length + 1).split(',') };
      }
    } catch {
      // no cache there
    }
  }
  return undefined;
}

function writeCache(bundle: string, header: string, data: Buffer): void {
  for (const folder of cacheFolders(bundle)) {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const file = join(folder, cacheName(bundle));
      const partial = `${file}.${process.pid}.tmp`; // renamed into place: concurrent runs never read half a file
      const headerBytes = Buffer.from(`${header}\n`, 'latin1');
      const padding = Buffer.alloc(dataStart(headerBytes.length - 1) - headerBytes.length);
      writeFileSync(partial, Buffer.concat([headerBytes, padding, data]), { mode: 0o600 });
      renameSync(partial, file);
      return;
    } catch {
      // read-only install: try the next folder
    }
  }
}

function compile(bundle: string): Script {
  const ModuleClass = moduleClass();
  const { bytes, stat } = readWhole(bundle);
  // the build keeps the bundles ASCII: read as Latin-1 it is V8's compact one-byte string, without UTF-8 decoding
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const key = process.env.DMS_FAIL2BAN_NO_CODE_CACHE ? undefined : cacheKey(stat);
  const cache = key === undefined ? undefined : readCache(bundle, key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.buffer.byteLength - bytes.byteOffset));
  const wrapped = source.startsWith(WRAPPED_PREFIX) ? source : ModuleClass.wrap(source);
  const script = new Script(wrapped, { filename: bundle, cachedData: cache?.data });
  const command = thisCommand();
  const accepted = cache !== undefined && !script.cachedDataRejected;
  if (key !== undefined && (!accepted || !cache.commands.includes(command))) {
    // at exit the cache also holds the functions this run compiled lazily (the whole path of its command)
    const commands = accepted ? [...cache.commands, command] : [command];
    const longRunning = command === 'lsp';
    if (!longRunning) countFullGcs();
    process.once('exit', () => {
      if (longRunning || fullGcsSoFar() < FULL_GCS_THAT_MAY_DROP_BYTECODE) writeCache(bundle, `${key} ${commands.join(',')}`, script.createCachedData());
    });
  }
  return script;
}

const loaded = new Map<string, LoadableModule>();

/**
 * Runs `bundle` (once; later calls get the same exports) as a CommonJS module of `parent`; `asMain`: as the main
 * module, so that the bundle's own `require.main === module` entry check holds.
 */
export function loadBundle(bundle: string, parent: unknown, asMain = false): unknown {
  const known = loaded.get(bundle);
  if (known) return known.exports;
  const ModuleClass = moduleClass();
  const script = compile(bundle);
  const bundleModule = new ModuleClass(bundle, parent);
  bundleModule.filename = bundle;
  bundleModule.paths = ModuleClass._nodeModulePaths(dirname(bundle));
  loaded.set(bundle, bundleModule);
  const plainRequire = ModuleClass.createRequire(bundle);
  const bundleRequire = ((id: string) =>
    SIBLING_BUNDLE.test(id) ? loadBundle(join(dirname(bundle), id), bundleModule) : plainRequire(id)) as NodeJS.Require;
  bundleRequire.resolve = plainRequire.resolve;
  bundleRequire.cache = plainRequire.cache;
  bundleRequire.extensions = plainRequire.extensions;
  bundleRequire.main = plainRequire.main;
  if (asMain) {
    bundleModule.id = '.';
    bundleRequire.main = bundleModule as unknown as NodeJS.Module;
  }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, bundleRequire, bundleModule, bundle, dirname(bundle));
  bundleModule.loaded = true;
  return bundleModule.exports;
}
