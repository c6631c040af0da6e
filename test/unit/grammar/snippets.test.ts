// The snippets of issue 3 (offered by the server since issue 14.2) are all there, and every one of them — with its defaults and with each offered
// choice — gives a file that our engine accepts AND that real fail2ban (client -t plus a real server start,
// laid out as DMS lays it out) runs: a snippet is only useful if what it inserts works.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { checkDocument } from '../../../server/src/engine';
import { SNIPPETS as SERVER_SNIPPETS } from '../../../server/src/features/snippets';
import type { DmsVersion, Fail2banVersion, FileKind } from '../../../server/src/types';
import { fail2banFails, fail2banVerdict, mapWithLimit, type RealFail2banVersion } from '../../support/fail2banVerdict';
import { choicePlaceholders, expandSnippet } from './snippetExpansion';

interface Snippet {
  body: string | readonly string[];
}

const SNIPPETS: Record<string, Snippet> = Object.fromEntries(SERVER_SNIPPETS.map((snippet) => [snippet.label, { body: snippet.body }]));

/** Where each snippet is inserted: the file kind and the text above it (a section for option snippets). */
const INSERTED_INTO: Record<string, { kind: FileKind; before: string }> = {
  'New jail …': { kind: 'dms-jail', before: '' },
  'DMS manual-ban jail [custom]': { kind: 'dms-jail', before: '' },
  'Incremental ban time block': { kind: 'dms-jail', before: '[DEFAULT]\n' },
  'Recidive jail for DMS': { kind: 'dms-jail', before: '' },
  'Action with parameters …': { kind: 'dms-jail', before: '[postfix]\nenabled = true\n' },
  'Ban action with parameters …': { kind: 'dms-jail', before: '[dovecot]\nenabled = true\n' },
  "Extend the filter's failregex": { kind: 'dms-jail', before: '[postfix]\nenabled = true\n' },
  'Extend ignoreip': { kind: 'dms-jail', before: '[dovecot]\n' },
  'Server settings [Definition]': { kind: 'dms-server', before: '' },
};

interface Variant {
  snippet: string;
  /** Which choice was changed from its default, for the failure message. */
  label: string;
  kind: FileKind;
  text: string;
}

/** The defaults, then each other option of each choice placeholder (one change at a time). */
function variantsOf(name: string, snippet: Snippet): Variant[] {
  const where = INSERTED_INTO[name];
  const make = (label: string, choose: Record<number, number>): Variant => ({
    snippet: name,
    label,
    kind: where.kind,
    text: `${where.before}${expandSnippet(snippet.body, choose)}\n`,
  });
  const variants = [make('defaults', {})];
  for (const choice of choicePlaceholders(snippet.body)) {
    choice.options.forEach((option, position) => {
      if (position > 0) variants.push(make(`\${${choice.index}} = ${option}`, { [choice.index]: position }));
    });
  }
  return variants;
}

const VARIANTS = Object.entries(SNIPPETS).flatMap(([name, snippet]) => (INSERTED_INTO[name] ? variantsOf(name, snippet) : []));

/** DMS releases per fail2ban version the snippets must work with (v15.1.0 ships 1.1.0, v14 ships 1.0.2). */
const TARGETS: Array<{ fail2ban: RealFail2banVersion & Fail2banVersion; dms: DmsVersion; allVariants: boolean }> = [
  { fail2ban: '1.1.0', dms: 'v15.1.0', allVariants: true },
  { fail2ban: '1.0.2', dms: 'v14', allVariants: false },
];

function bodyText(snippet: Snippet): string {
  return typeof snippet.body === 'string' ? snippet.body : snippet.body.join('\n');
}

describe('snippet expansion (the helper the checks below rely on)', () => {
  it('takes defaults, first choices, mirrors and escapes like VS Code', () => {
    assert.equal(expandSnippet(['[${1:name}]', 'filter = $1', 'x = ${2|a,b\\,c|}', 'y = \\$ ${3:${2}-z}$0']), '[name]\nfilter = name\nx = a\ny = $ a-z');
    assert.equal(expandSnippet('x = ${2|a,b\\,c|}', { 2: 1 }), 'x = b,c');
    assert.deepEqual(choicePlaceholders('${1|a,b|} ${2:${3|c,d,e|}}'), [
      { index: 1, options: ['a', 'b'] },
      { index: 3, options: ['c', 'd', 'e'] },
    ]);
    assert.throws(() => expandSnippet('${TM_FILENAME}'), /unsupported snippet syntax/);
  });
});

describe('snippets required by issue 3', () => {
  const bodies = Object.values(SNIPPETS).map(bodyText);
  const has = (what: string, test: (body: string) => boolean) => assert.ok(bodies.some(test), `no snippet for ${what}`);

  it('are all present', () => {
    has('a new jail', (b) => /^\[\$\{1:[^}]+\}\]/.test(b) && /^enabled =/m.test(b) && /^filter =/m.test(b));
    has("DMS's manual-ban [custom] jail", (b) => /^\[custom\]$/m.test(b));
    has('the bantime.increment block', (b) => /^bantime\.increment = true$/m.test(b) && /^bantime\.maxtime =/m.test(b));
    has('a recidive jail for DMS', (b) => /^\[recidive\]$/m.test(b) && b.includes('/var/log/mail/fail2ban.log'));
    has('an action with parameters', (b) => /^action = .*\[\w+=/m.test(b));
    has("extending a filter's failregex", (b) => /^failregex = %\(known\/failregex\)s$/m.test(b));
  });

  it('every snippet says where it goes (so it is checked below)', () => {
    assert.deepEqual(Object.keys(SNIPPETS).filter((name) => !INSERTED_INTO[name]), []);
  });
});

describe('snippets give configs that work', () => {
  for (const target of TARGETS) {
    const variants = target.allVariants ? VARIANTS : VARIANTS.filter((variant) => variant.label === 'defaults');

    it(`our engine reports no error or warning (fail2ban ${target.fail2ban}, DMS ${target.dms})`, () => {
      const problems = variants.flatMap((variant) =>
        checkDocument(variant.text, { kind: variant.kind, fail2banVersion: target.fail2ban, dmsVersion: target.dms })
          .filter((diagnostic) => diagnostic.severity === 'error' || diagnostic.severity === 'warning')
          .map((diagnostic) => `${variant.snippet} (${variant.label}): line ${diagnostic.range.start.line + 1} ${diagnostic.code}: ${diagnostic.message}`),
      );
      assert.deepEqual(problems, []);
    });

    it(`real fail2ban ${target.fail2ban} starts every jail (DMS ${target.dms} layout)`, { timeout: 600_000 }, async () => {
      const verdicts = await mapWithLimit(variants, 3, async (variant) => ({
        variant,
        verdict: await fail2banVerdict({ version: target.fail2ban, kind: variant.kind, text: variant.text, dmsVersion: target.dms }),
      }));
      const failures = verdicts
        .filter(({ verdict }) => fail2banFails(verdict))
        .map(({ variant, verdict }) => `${variant.snippet} (${variant.label}):\n${variant.text}→ ${verdict.messages.join(' | ')}`);
      assert.deepEqual(failures, []);
      // The jail snippets really add a running jail (not just a file fail2ban tolerates).
      for (const { variant, verdict } of verdicts) {
        const jail = /^\[([^\]]+)\]$/m.exec(variant.text)?.[1];
        const enabled = /^enabled = true$/m.test(variant.text);
        if (variant.kind === 'dms-jail' && jail && jail !== 'DEFAULT' && enabled) {
          assert.ok(verdict.jailsStarted.includes(jail), `${variant.snippet} (${variant.label}): jail ${jail} did not start (${verdict.jailsStarted.join(', ')})`);
        }
      }
    });
  }
});
