// Quiet file-system probes for optional paths (a missing or unreadable path is simply "not there"). A missing path
// is the common answer (the CLI looks for compose files in every folder up to /): no exception is made for it.
import { readdirSync, statSync } from 'node:fs';

export function isDirectory(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** The names in a folder, sorted; none when it cannot be read. */
export function listFolder(folder: string): string[] {
  try {
    return readdirSync(folder).sort();
  } catch {
    return [];
  }
}
