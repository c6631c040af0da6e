// Server localisation: every English text the language server may show through t('…') (or marks with
// deferred('…') for a table) has a German entry in l10n/server.l10n.de.json with the same placeholders, and a
// document checked after setServerLocale('de') gets German messages and quick-fix titles. (node --test runs each
// file in its own process, so the German locale set here does not leak into other tests.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../support/fail2banInstalls';
import { checkDocument } from '../../../server/src/engine';
import { bundledLanguage, localeFromEnvironment, setServerLocale, t } from '../../../server/src/l10n';

const german = JSON.parse(readFileSync(join(PROJECT_ROOT, 'l10n', 'server.l10n.de.json'), 'utf8')) as Record<string, string>;

function serverSources(folder = join(PROJECT_ROOT, 'server', 'src')): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return serverSources(path);
    if (path === join(PROJECT_ROOT, 'server', 'src', 'l10n.ts')) return []; // the functions themselves
    return name.endsWith('.ts') ? [path] : [];
  });
}

interface Found {
  file: string;
  /** the English text, or undefined when the first argument is not a plain string literal */
  text: string | undefined;
  /** what the first argument starts with when it is not a literal */
  other?: string;
}

/** The text of a one-line JS string literal's body (quoted with `quote`). */
function decodeLiteral(body: string, quote: string): string {
  const json = quote === "'" ? body.replace(/\\'/g, "'").replace(/(?<!\\)"/g, '\\"') : body.replace(/\\'/g, "'");
  return JSON.parse(`"${json}"`) as string;
}

/** The first argument of every t(…) and deferred(…) call. */
function translatedStrings(file: string): Found[] {
  const source = readFileSync(file, 'utf8');
  const found: Found[] = [];
  for (const match of source.matchAll(/(?<![\w.])(t|deferred)\(\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|(?=(.{0,60})))/g)) {
    const literal = match[2] ?? match[3];
    const where = relative(PROJECT_ROOT, file);
    if (literal === undefined) {
      found.push({ file: where, text: undefined, other: `${match[1]}(${match[4]}` });
      continue;
    }
    const after = source.slice((match.index ?? 0) + match[0].length).trimStart();
    const text = decodeLiteral(literal, match[2] !== undefined ? "'" : '"');
    found.push({ file: where, text: after.startsWith('+') ? undefined : text, other: after.startsWith('+') ? 'a literal joined with +' : undefined });
  }
  return found;
}

const strings = serverSources().flatMap(translatedStrings);

test('every server text given to t() or deferred() has German with the same placeholders, and the bundle has no unused entries', () => {
  assert.ok(strings.length >= 150, `only ${strings.length} translated server strings`);
  // t(variable) is allowed only for texts that a table marked with deferred('…'); a template literal or a
  // literal joined with + would be a key the bundle cannot have
  const notLiteral = strings.filter((entry) => entry.text === undefined && !/^t\([\w.]+[,)]/.test(entry.other ?? ''));
  assert.deepEqual(notLiteral, [], "t('…') must get a plain string literal (arguments as {0}, {1}…)");
  const texts = [...new Set(strings.map((entry) => entry.text).filter((text): text is string => text !== undefined))];
  assert.deepEqual(texts.filter((text) => !(text in german)), [], 'server texts without German in l10n/server.l10n.de.json');
  const placeholders = (text: string) => [...text.matchAll(/\{\d+\}/g)].map((match) => match[0]).sort();
  for (const [source, translation] of Object.entries(german)) {
    assert.deepEqual(placeholders(translation), placeholders(source), `placeholders differ for "${source}"`);
    assert.notEqual(translation.trim(), '', `empty German for "${source}"`);
  }
  const used = new Set(texts);
  assert.deepEqual(Object.keys(german).filter((text) => !used.has(text)), [], 'German entries no server text uses');
});

test('every rule file reports its messages through t(): no rule message is left a bare English template', () => {
  const rulesFolder = join(PROJECT_ROOT, 'server', 'src', 'rules');
  for (const name of readdirSync(rulesFolder)) {
    const source = readFileSync(join(rulesFolder, name), 'utf8');
    // `message: \`…\`` or `title: '…'` written in place is English that t() never sees
    const bare = [...source.matchAll(/\b(message|title):\s*(`[^`]*`|'[^']*'|"[^"]*")/g)]
      .filter((match) => /[a-z]{2}/i.test(match[2].replace(/\$\{[^}]*\}/g, ''))) // `${name}: ${message}.` has no words of its own
      .map((match) => match[0].slice(0, 80));
    assert.deepEqual(bare, [], `server/src/rules/${name}`);
  }
});

test('the language comes from the locale VS Code sends (or LC_ALL / LC_MESSAGES / LANG for the CLI); unknown ones stay English', () => {
  assert.equal(bundledLanguage('de'), 'de');
  assert.equal(bundledLanguage('de-AT'), 'de');
  assert.equal(bundledLanguage('de_DE.UTF-8'), 'de');
  assert.equal(bundledLanguage('en'), undefined);
  assert.equal(bundledLanguage('fr'), undefined);
  assert.equal(bundledLanguage(undefined), undefined);
  assert.equal(localeFromEnvironment({ LANG: 'de_DE.UTF-8' }), 'de_DE.UTF-8');
  assert.equal(localeFromEnvironment({ LC_ALL: 'C', LANG: 'de_DE.UTF-8' }), 'C');
  assert.equal(localeFromEnvironment({}), undefined);
});

const MISTAKES = ['[postfix]', 'enabled = ture', 'bantime = 1hr', 'maxretry = three', 'findtime = 10m # ten minutes', ''].join('\n');

test('English stays the default, and German messages and quick-fix titles follow setServerLocale("de")', () => {
  const options = { kind: 'dms-jail', fail2banVersion: '1.1.0', dmsVersion: 'v15.0' } as const;
  const english = checkDocument(MISTAKES, options);
  const booleanEn = english.find((diagnostic) => diagnostic.code === 'invalid-boolean');
  assert.match(booleanEn?.message ?? '', /^'ture' is not a yes\/no value: write 'true'\./);
  assert.equal(booleanEn?.fixes?.[0]?.title, "Change to 'true'");
  assert.equal(t('{0} or {1}', 'a', 'b'), 'a or b');

  setServerLocale('de-DE');
  const deutsch = checkDocument(MISTAKES, options);
  assert.deepEqual(
    deutsch.map((diagnostic) => diagnostic.code),
    english.map((diagnostic) => diagnostic.code),
    'the same findings in both languages',
  );
  const booleanDe = deutsch.find((diagnostic) => diagnostic.code === 'invalid-boolean');
  assert.match(booleanDe?.message ?? '', /^'ture' ist kein Ja\/Nein-Wert: schreiben Sie 'true'\./);
  assert.equal(booleanDe?.fixes?.[0]?.title, "Ändern in 'true'");
  assert.equal(t('{0} or {1}', 'a', 'b'), 'a oder b');
  for (const diagnostic of deutsch) {
    // every message of these codes is translated whole: no English sentence is left in it
    assert.doesNotMatch(diagnostic.message, /\b(the|is|not|fail2ban reads|write)\b/, `${diagnostic.code}: ${diagnostic.message}`);
  }
  setServerLocale(undefined);
  assert.deepEqual(checkDocument(MISTAKES, options).map((diagnostic) => diagnostic.message), english.map((diagnostic) => diagnostic.message));
});
