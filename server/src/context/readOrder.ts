// The order in which fail2ban reads files, on a virtual file tree (source: fail2ban 1.1.0
// client/configreader.py ConfigReaderUnshared.read and client/configparserinc.py _getIncludes /
// __getIncludesUncached / _expandConfFilesWithLocal; same in 1.0.2 and 1.1.1):
//   <base>.conf, <base>.d/*.conf (sorted), <base>.local, <base>.d/*.local (sorted), existing files only;
//   each file preceded by its [INCLUDES] `before` files and followed by its `after` files (recursively,
//   relative to the including file's directory, simple loops cut, missing files silently skipped), and
//   every included file followed by its sibling `.local` when that exists.
import { posix } from 'node:path';
import { INCLUDES_SECTION, singleFileConfig } from './merge';
import { interpolateDetailed, type DetailedInterpolation } from './interpolate';
import type { Layer } from './types';

/** A file fail2ban may read: absolute path → its layer (document already parsed). */
export type VirtualTree = ReadonlyMap<string, Layer>;

export interface IncludeRead {
  /** the file whose [INCLUDES] option was read */
  layer: Layer;
  option: 'before' | 'after';
  result: DetailedInterpolation;
}

export interface ReadOrder {
  /** In read order; a file included twice appears twice, as fail2ban reads it twice. */
  files: Layer[];
  /** Every [INCLUDES] before/after value fail2ban interpolated (in the file's own parser). */
  includeReads: IncludeRead[];
}

/** Python fnmatch-free glob of `<dir>/*<ext>`: direct children only, sorted like Python's sorted(). */
function childrenWithExtension(tree: VirtualTree, dir: string, extension: string): string[] {
  const prefix = dir + '/';
  return [...tree.keys()]
    .filter((path) => path.startsWith(prefix) && !path.slice(prefix.length).includes('/') && path.endsWith(extension))
    .filter((path) => !posix.basename(path).startsWith('.'))
    .sort(compareCodePoints);
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withoutExtension(path: string): string {
  const extension = posix.extname(path);
  return extension ? path.slice(0, -extension.length) : path;
}

export function readOrder(tree: VirtualTree, baseDir: string, name: string): ReadOrder {
  const base = posix.join(baseDir, name);
  const candidates = [
    `${base}.conf`,
    ...childrenWithExtension(tree, `${base}.d`, '.conf'),
    `${base}.local`,
    ...childrenWithExtension(tree, `${base}.d`, '.local'),
  ].filter((path) => tree.has(path));
  const includeReads: IncludeRead[] = [];
  const paths = expandIncludes(tree, candidates, [], includeReads);
  return { files: paths.map((path) => tree.get(posix.normalize(path))).filter((l): l is Layer => !!l), includeReads };
}

function expandIncludes(tree: VirtualTree, fileNames: string[], seen: string[], includeReads: IncludeRead[]): string[] {
  const expanded: string[] = [];
  for (const fileName of fileNames) {
    expanded.push(fileName);
    const localName = withoutExtension(fileName) + '.local';
    if (!fileNames.includes(localName) && tree.has(posix.normalize(localName))) expanded.push(localName);
  }
  return expanded.flatMap((fileName) => includesOf(tree, fileName, seen, includeReads));
}

function includesOf(tree: VirtualTree, resource: string, seen: string[], includeReads: IncludeRead[]): string[] {
  const layer = tree.get(posix.normalize(resource));
  if (!layer) return [];
  const own = singleFileConfig(layer);
  const lists: Record<'before' | 'after', string[]> = { before: [], after: [] };
  if (own.sections.has(INCLUDES_SECTION)) {
    for (const option of ['before', 'after'] as const) {
      if (!own.sections.get(INCLUDES_SECTION)?.has(option)) continue;
      const result = interpolateDetailed({ config: own }, INCLUDES_SECTION, option);
      includeReads.push({ layer, option, result });
      if (result.value === undefined) continue;
      for (const entry of result.value.split('\n')) {
        const path = posix.isAbsolute(entry) ? entry : posix.join(posix.dirname(resource), entry);
        if (seen.includes(path)) continue;
        lists[option].push(...expandIncludes(tree, [path], [...seen, resource], includeReads));
      }
    }
  }
  return [...lists.before, resource, ...lists.after];
}
