// Regexes made when first used. V8 resolves each Unicode property class (\p{L}, \p{Nd} …) against ICU's tables when
// it creates the regex, a tenth of a millisecond or more per regex: made at module load, every CLI run pays for them,
// including the many runs that never use them.

/** `make()`'s value, made by the first call (for anything a process may never need: regexes, generated tables). */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** `make()`'s regex, made by the first call. */
export function lazyRegex(make: () => RegExp): () => RegExp {
  return lazy(make);
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * For a pattern whose Unicode classes match the same ASCII characters as `ascii`'s classes ([\p{L}\p{N}_] and
 * [A-Za-z0-9_], \p{Nd} and [0-9]): `ascii` for ASCII text, where both find the same, the Unicode regex otherwise.
 */
export function asciiOrUnicode(ascii: RegExp, unicode: () => RegExp): (text: string) => RegExp {
  const full = lazyRegex(unicode);
  return (text) => (NON_ASCII.test(text) ? full() : ascii);
}
