// The common start and end of two versions of a text: what an edit left alone (incremental re-parse, typing hold).

/** Characters compared at a time (one string slice each): far fewer steps than one character at a time. */
const COMPARED_CHUNK = 4096;

/** Length of the common start of `a` and `b`, at most `max`. */
export function commonPrefixLength(a: string, b: string, max: number): number {
  let at = 0;
  while (at + COMPARED_CHUNK <= max && a.slice(at, at + COMPARED_CHUNK) === b.slice(at, at + COMPARED_CHUNK)) at += COMPARED_CHUNK;
  while (at < max && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** Length of the common end of `a` and `b`, at most `max`. */
export function commonSuffixLength(a: string, b: string, max: number): number {
  let length = 0;
  while (length + COMPARED_CHUNK <= max && a.slice(a.length - length - COMPARED_CHUNK, a.length - length) === b.slice(b.length - length - COMPARED_CHUNK, b.length - length)) {
    length += COMPARED_CHUNK;
  }
  while (length < max && a.charCodeAt(a.length - 1 - length) === b.charCodeAt(b.length - 1 - length)) length++;
  return length;
}
