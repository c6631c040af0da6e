// Server strings (diagnostics, quick-fix titles, hover headings) in the client's display language. Like the
// client's vscode.l10n: the English text is the key, {0}, {1}… are its arguments, and l10n/server.l10n.de.json
// holds the German (bundled into dist/server.js, so nothing extra ships). Without a locale, or for English, t()
// only fills in the arguments: English output is exactly what it was before. test/unit/l10n/serverL10n.test.ts
// checks that every t('…') in server/src has German.

type Messages = Readonly<Record<string, string>>;

/** Loaded when the language is chosen: an English CLI run does not build the German table (esbuild keeps it lazy). */
const BUNDLES: Readonly<Record<string, () => Messages>> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  de: () => require('../../l10n/server.l10n.de.json') as Messages,
};

let messages: Messages | undefined;
let language = 'en';

/** 'de', 'de-DE', 'de_DE.UTF-8' → 'de'; undefined for English and for languages without a bundle. */
export function bundledLanguage(locale: string | undefined): string | undefined {
  const primary = locale?.trim().toLowerCase().split(/[-_.@]/)[0];
  return primary && Object.hasOwn(BUNDLES, primary) ? primary : undefined;
}

/**
 * Sets the language of every later message (once, at start-up: rules remember some messages per value).
 * Unknown languages fall back to English.
 */
export function setServerLocale(locale: string | undefined): void {
  const bundled = bundledLanguage(locale);
  messages = bundled ? BUNDLES[bundled]() : undefined;
  language = bundled ?? 'en';
}

export function serverLanguage(): string {
  return language;
}

/** The CLI's language from the environment (LC_ALL, then LC_MESSAGES, then LANG, as gettext reads them). */
export function localeFromEnvironment(env: NodeJS.ProcessEnv): string | undefined {
  return env.LC_ALL || env.LC_MESSAGES || env.LANG || undefined;
}

/** A message text cut at its `{n}` placeholders: texts[0], args[indices[0]], texts[1], …, texts[last]. */
interface Template {
  texts: string[];
  indices: number[];
  /** each placeholder as written (an argument that is missing leaves it so) */
  placeholders: string[];
}

/** Templates by message text (in the current language): a big file formats the same message for 100k sections. */
const templates = new Map<string, Template>();
const TEMPLATES_KEPT = 2_000;

function templateOf(text: string): Template {
  let template = templates.get(text);
  if (template === undefined) {
    const texts: string[] = [];
    const indices: number[] = [];
    const placeholders: string[] = [];
    let from = 0;
    for (let open = text.indexOf('{'); open >= 0; open = text.indexOf('{', open + 1)) {
      let end = open + 1;
      while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end++;
      if (end === open + 1 || text.charCodeAt(end) !== 0x7d /* } */) continue;
      texts.push(text.slice(from, open));
      indices.push(Number(text.slice(open + 1, end)));
      placeholders.push(text.slice(open, end + 1));
      from = end + 1;
      open = end;
    }
    texts.push(text.slice(from));
    template = { texts, indices, placeholders };
    if (templates.size >= TEMPLATES_KEPT) templates.clear(); // bounded: callers may pass texts that are not literals
    templates.set(text, template);
  }
  return template;
}

/** `message` in the current language with {0}, {1}… replaced by `args`. */
export function t(message: string, ...args: Array<string | number>): string {
  const text = messages?.[message] ?? message;
  if (args.length === 0) return text;
  const { texts, indices, placeholders } = templateOf(text);
  if (indices.length === 0) return text;
  let result = texts[0];
  for (let i = 0; i < indices.length; i++) {
    const value = args[indices[i]];
    result += (value === undefined ? placeholders[i] : String(value)) + texts[i + 1]; // an unknown {n} stays as written
  }
  return result;
}

/**
 * Marks an English text in a table built at load time, before the language is known: t(text) translates it
 * where it is shown (the bundle test reads these literals too).
 */
export function deferred(message: string): string {
  return message;
}
