// Reads one file named on the command line without trusting what the name points at: only regular files,
// and at most MAX_CONFIG_FILE_BYTES. A device (/dev/zero, /dev/urandom) would be read until memory runs out,
// a FIFO would block forever, and a huge file would end in V8's out-of-memory abort with its heap dump.
import { MAX_CHECKED_CHARS, MAX_CHECKED_CHARS_LABEL } from '../sizeCap';
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/**
 * fail2ban and DMS config files are a few KiB (fail2ban 1.1.0's whole stock jail.conf is about 30 KiB). The cap is
 * the language server's (server/src/sizeCap.ts), so the CLI and the editor check the same files; 10 MiB once took
 * 40 s of CPU and 1.5 GB.
 */
export const MAX_CONFIG_FILE_BYTES = MAX_CHECKED_CHARS;
export const MAX_CONFIG_FILE_LABEL = MAX_CHECKED_CHARS_LABEL;

export type ReadResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function refusal(stats: Stats): string | undefined {
  if (!stats.isFile()) return `${kindOf(stats)}, not a regular file`;
  if (stats.size > MAX_CONFIG_FILE_BYTES) return `larger than ${MAX_CONFIG_FILE_LABEL} (${stats.size} bytes); fail2ban config files are a few KiB`;
  return undefined;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/**
 * The file's bytes, or why it was not read. The type is checked before opening (opening a FIFO for reading
 * blocks until a writer comes), the open is non-blocking in case the name is swapped in between, and the
 * opened file is checked again and read with the cap, so a file that grows meanwhile is refused too.
 */
export function readConfigFile(path: string): ReadResult {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return { ok: false, reason: errorCode(error) };
  }
  const before = refusal(stats);
  if (before) return { ok: false, reason: before };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { ok: false, reason: errorCode(error) };
  }
  try {
    const opened = refusal(fstatSync(fd));
    if (opened) return { ok: false, reason: opened };
    const buffer = Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_CONFIG_FILE_BYTES) return { ok: false, reason: `larger than ${MAX_CONFIG_FILE_LABEL}; fail2ban config files are a few KiB` };
    }
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { ok: false, reason: errorCode(error) };
  } finally {
    closeSync(fd);
  }
}
