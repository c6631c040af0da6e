// Localisation: every %key% in package.json exists in package.nls.json and in the German package.nls.de.json,
// and every client string passed to t('…') / vscode.l10n.t('…') has a German entry in l10n/bundle.l10n.de.json
// (the jail-lab webview's too: the extension hands it its texts translated, client/src/lab/webviewText.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../support/fail2banInstalls';
import { localizedManifest, manifestKeys, readNls } from '../../support/manifest';
import { activityHtml } from '../../../client/src/lab/reportHtml';
import { labWebviewText } from '../../../client/src/lab/webviewText';

const english = readNls();
const german = readNls('de');
const bundle = JSON.parse(readFileSync(join(PROJECT_ROOT, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>;

function clientSources(folder = join(PROJECT_ROOT, 'client', 'src')): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return clientSources(path);
    if (name === 'l10n.ts') return []; // the wrapper itself passes its parameter on
    return name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The first argument of every t(…) / vscode.l10n.t(…) call: a plain string literal, or `undefined` when it is not one.
 * (The webview's own `function t(message…)`, which looks its texts up, is no call.)
 */
function translatedStrings(source: string): Array<string | undefined> {
  const found: Array<string | undefined> = [];
  for (const match of source.matchAll(/(?<![\w.]|function )(?:vscode\.l10n\.)?t\(\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|(.))/g)) {
    const literal = match[1] ?? match[2];
    if (literal === undefined) {
      found.push(undefined);
      continue;
    }
    // a literal joined with + would be a different key than the one extracted
    const after = source.slice((match.index ?? 0) + match[0].length).trimStart();
    found.push(after.startsWith('+') ? undefined : (JSON.parse(`"${literal.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string));
  }
  return found;
}

test('package.json localises every title and description through %key%, and both nls files have each key', () => {
  const keys = manifestKeys();
  assert.ok(keys.length >= 40, `only ${keys.length} %keys% in package.json`);
  assert.deepEqual(keys.filter((key) => !(key in english)), [], 'missing in package.nls.json');
  assert.deepEqual(keys.filter((key) => !(key in german)), [], 'missing in package.nls.de.json');
  assert.deepEqual(Object.keys(english).filter((key) => !(key in german)), [], 'English keys without German');
  assert.deepEqual(Object.keys(german).filter((key) => !(key in english)), [], 'German keys nobody uses');
  assert.deepEqual(Object.keys(english).filter((key) => !keys.includes(key)), [], 'nls keys package.json never names');
});

test('no command title, view name, welcome text or setting description is left in plain English in package.json', () => {
  const raw = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    contributes: {
      commands: Array<{ title: string }>;
      viewsWelcome: Array<{ contents: string }>;
      configuration: { title: string; properties: Record<string, { markdownDescription?: string; description?: string }> };
    };
  };
  const placeholder = /^%[\w.-]+%$/;
  for (const command of raw.contributes.commands) assert.match(command.title, placeholder);
  for (const welcome of raw.contributes.viewsWelcome) assert.match(welcome.contents, placeholder);
  assert.match(raw.contributes.configuration.title, placeholder);
  for (const [name, setting] of Object.entries(raw.contributes.configuration.properties)) {
    assert.match(setting.markdownDescription ?? setting.description ?? '', placeholder, name);
  }
});

test('the German manifest differs from the English one where words are translated, and keeps every command link', () => {
  const de = localizedManifest<{ contributes: { commands: Array<{ command: string; title: string }>; viewsWelcome: Array<{ contents: string }> } }>('de');
  const en = localizedManifest<typeof de>();
  assert.equal(de.contributes.commands.find((command) => command.command === 'dmsFail2ban.listBanned')?.title, 'Gesperrte IPs anzeigen');
  de.contributes.viewsWelcome.forEach((welcome, index) => {
    const links = (text: string) => [...text.matchAll(/\]\((command:[^)]+)\)/g)].map((match) => match[1]);
    assert.deepEqual(links(welcome.contents), links(en.contributes.viewsWelcome[index].contents), 'a German welcome text lost or changed a button');
  });
});

test('every client string given to t() is a plain literal and has a German translation with the same placeholders', () => {
  const strings = clientSources().flatMap((file) => translatedStrings(readFileSync(file, 'utf8')).map((text) => ({ file, text })));
  assert.ok(strings.length >= 30, `only ${strings.length} translated client strings`);
  const notLiteral = strings.filter((entry) => entry.text === undefined).map((entry) => entry.file);
  assert.deepEqual(notLiteral, [], 't() must get a plain string literal (arguments as {0}, {1}…)');
  const missing = [...new Set(strings.map((entry) => entry.text as string))].filter((text) => !(text in bundle));
  assert.deepEqual(missing, [], 'client strings without German in l10n/bundle.l10n.de.json');
  const placeholders = (text: string) => [...text.matchAll(/\{\d+\}/g)].map((match) => match[0]).sort();
  for (const [source, translation] of Object.entries(bundle)) {
    assert.deepEqual(placeholders(translation), placeholders(source), `placeholders differ for "${source}"`);
  }
  const used = new Set(strings.map((entry) => entry.text));
  assert.deepEqual(Object.keys(bundle).filter((text) => !used.has(text)), [], 'German bundle entries no client string uses');
});

/**
 * Text written in place where VS Code shows it: the first argument of show…Message, and placeHolder / prompt /
 * title / tooltip / openLabel / label properties or assignments, and the text of the webview's el('tag', text), as
 * a string or template literal with words of its own (outside ${…}, $(icon) and the "Fail2Ban:" prefix). Such text
 * bypasses t() and stays English.
 */
function untranslatedShownText(source: string): string[] {
  const literal = String.raw`('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\x60[^\x60]*\x60)`;
  const places = new RegExp(
    String.raw`(?:show(?:Information|Warning|Error)Message\(\s*|(?<![\w-])(?:placeHolder|prompt|title|tooltip|openLabel|label)\s*[:=]\s*|(?<![\w.])el\('\w+',\s*)` + literal,
    'g',
  );
  return [...source.matchAll(places)]
    .map((match) => match[1])
    .filter((text) => /[a-z]{2}/i.test(text.replace(/\$\{[^}]*\}/g, '').replace(/\$\([\w-]+\)/g, '').replace(/Fail2Ban:/g, '')));
}

test('no user-visible client text is written in place: messages, quick picks, input boxes, progress titles, CodeLens titles, tooltips and webview texts go through t()', () => {
  const found = clientSources()
    .flatMap((file) => untranslatedShownText(readFileSync(file, 'utf8')).map((text) => `${file.slice(PROJECT_ROOT.length + 1)}: ${text}`));
  assert.deepEqual(found, []);
  // the scan itself finds such text
  assert.deepEqual(untranslatedShownText("void vscode.window.showErrorMessage('Fail2Ban: no container');"), ["'Fail2Ban: no container'"]);
  assert.deepEqual(untranslatedShownText('{ placeHolder: `Which jail of ${label}?` }'), ['`Which jail of ${label}?`']);
  assert.deepEqual(untranslatedShownText("{ placeHolder: t('Which mail server?') }, `Fail2Ban: ${note}`"), []);
  assert.deepEqual(untranslatedShownText("host.append(el('p', 'No bans to draw.', 'muted'), el('td', entry.ip))"), ["'No bans to draw.'"]);
});

test('the jail-lab webview gets every text it translates from the extension, under its English text, in the page it loads', () => {
  const webview = readFileSync(join(PROJECT_ROOT, 'client', 'src', 'lab', 'webview', 'main.ts'), 'utf8');
  const used = [...new Set(translatedStrings(webview))];
  assert.ok(used.length >= 30, `only ${used.length} webview texts`);
  const table = labWebviewText();
  assert.deepEqual(used.filter((text) => text === undefined || !(text in table)), [], 'webview texts the extension does not hand over');
  assert.deepEqual(Object.keys(table).filter((text) => !used.includes(text)), [], 'texts handed over that the webview never shows');
  // outside VS Code t() gives the English text: each entry translates its own key, not a neighbour's
  assert.deepEqual(Object.entries(table).filter(([key, value]) => key !== value), []);
  const page = activityHtml({ cspSource: 'vscode-resource:', scriptUri: 'main.js', styleUri: 'main.css' }, { slotSeconds: 60, jails: [], topAddresses: [], topNetworks: [], lines: 0 }, 'mailserver');
  const data = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page)?.[1] ?? '';
  assert.deepEqual((JSON.parse(data) as { text?: unknown }).text, table);
});

test('package.json points VS Code at the l10n folder', () => {
  const raw = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { l10n?: string };
  assert.equal(raw.l10n, './l10n');
});
