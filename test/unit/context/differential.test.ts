// Differential test: effective values of our context vs the REAL fail2ban 1.1.0 readers on the same
// file tree (stock paths-*.conf + jail.conf [+ DMS jail.local] + user file; fail2ban.conf + user
// [+ DMS fixes.local]), for hand-written tricky files and a seeded random corpus of reference soups.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { buildContextFromText } from '../../../server/src/context/build';
import type { CheckOptions } from '../../../server/src/types';
import { ensureFail2banInstalled } from '../../support/fail2banInstalls';
import { pick, seededRandom } from '../../support/random';
import { oracleCase, ourOutcome, runOracle, type OracleCase } from './realReader';

interface Case {
  name: string;
  text: string;
  options: CheckOptions;
  /** extra sections/options to query besides the standard ones */
  sections?: string[];
  optionNames?: string[];
}

const STANDARD_OPTIONS = [
  'enabled', 'backend', 'filter', 'action', 'logpath', 'ignoreip', 'port', 'bantime', 'findtime', 'maxretry',
  'maxmatches', 'banaction', 'mode', 'fail2ban_agent', 'action_mwl', 'default_backend', 'chain',
];
const STANDARD_SECTIONS = ['DEFAULT', 'postfix', 'dovecot', 'custom', 'sshd', 'postfix-sasl', 'recidive'];

const HAND_CASES: Case[] = [
  { name: 'empty user file (DMS)', text: '', options: { kind: 'dms-jail' } },
  { name: 'empty user file (plain)', text: '', options: { kind: 'jail' } },
  {
    name: 'known/ in a jail extends DMS defaults',
    text: '[postfix]\nignoreip = %(known/ignoreip)s 10.0.0.0/8\nport = %(known/port)s,2525\n',
    options: { kind: 'dms-jail' },
  },
  {
    name: 'known/ inside DEFAULT loops',
    text: '[DEFAULT]\nignoreip = %(known/ignoreip)s 10.0.0.0/8\n',
    options: { kind: 'dms-jail' },
  },
  {
    name: 'known/ across three layers (stock more → DMS extra → user)',
    text: '[postfix]\nmode = %(known/mode)s\n',
    options: { kind: 'dms-jail' },
  },
  {
    name: 'default/ and section/ references, case of the section part',
    text:
      '[DEFAULT]\nmine = %(default/bantime)s\n[postfix]\na = %(dovecot/logpath)s\nb = %(Dovecot/logpath)s\n' +
      'c = %(nosuch/port)s\nd = %(DEFAULT/bantime)s\ne = %(dovecot/nosuchopt)s\nf = %(default/nosuch)s\ng = %(known/nosuch)s\n',
    options: { kind: 'dms-jail' },
    optionNames: ['mine', 'a', 'b', 'c', 'd', 'e', 'f', 'g'],
  },
  {
    name: 'percent syntax: %%, lone %, unterminated, case-insensitive keys, __name__',
    text:
      '[DEFAULT]\nbantime = 50%\n[postfix]\np1 = 100%%\np2 = %(PORT)s\np3 = %(port\np4 = %s\np5 = x %(__name__)s y\n' +
      'p6 = %(__NAME__)s\n',
    options: { kind: 'dms-jail' },
    optionNames: ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'],
  },
  {
    name: 'self and mutual recursion',
    text: '[DEFAULT]\na = %(b)s\nb = %(a)s\nc = %(c)s\n[dovecot]\nd = %(e)s x\ne = %(f)s\nf = ok\n',
    options: { kind: 'dms-jail' },
    optionNames: ['a', 'b', 'c', 'd', 'e', 'f'],
  },
  {
    name: 'action_mwl without logpath in [custom], action_cf_mwl without cfemail',
    text: '[custom]\naction = %(action_mwl)s\n[dovecot]\naction = %(action_cf_mwl)s\n',
    options: { kind: 'dms-jail' },
  },
  {
    name: 'multi-line values with references and blank lines',
    text: '[postfix]\naction = %(action_)s\n\n    %(mta)s-whois[name=%(__name__)s]\nlogpath =\n  %(postfix_log)s\n  /var/log/x.log\n',
    options: { kind: 'dms-jail' },
  },
  {
    name: 'conditional section folded into its base name',
    text: '[postfix?family=inet6]\nport = 25\n[dovecot]\nx = %(postfix/port?family=inet6)s\n',
    options: { kind: 'dms-jail' },
    optionNames: ['port?family=inet6', 'x'],
  },
  {
    name: 'user INCLUDES re-reads paths-common.conf before the user file',
    text: '[INCLUDES]\nbefore = ../paths-common.conf\n[DEFAULT]\nbanaction = nftables\n',
    options: { kind: 'dms-jail' },
  },
  {
    name: 'a section name with % in it',
    text: '[a%b]\nenabled = false\nx = %(__name__)s\n',
    options: { kind: 'jail' },
    sections: ['a%b'],
    optionNames: ['x'],
  },
  {
    name: 'enabled DEFAULT, mixed-case section, repeated DEFAULT blocks',
    text: '[DEFAULT]\nenabled = true\n[Postfix]\nenabled = true\n[DEFAULT]\nmode = aggressive\n',
    options: { kind: 'dms-jail' },
    sections: ['Postfix'],
  },
  {
    name: 'fail2ban 1.0.2 texts with DMS v14',
    text: '[DEFAULT]\nfail2ban_agent = me/%(fail2ban_version)s\n[postfix-sasl]\nmode = %(known/mode)s\n',
    options: { kind: 'dms-jail', dmsVersion: 'v14', fail2banVersion: '1.0.2' },
  },
  {
    name: 'fail2ban 1.1.1 texts (banaction from paths-debian)',
    text: '[DEFAULT]\naction = %(action_)s\n',
    options: { kind: 'jail', fail2banVersion: '1.1.1' },
  },
  {
    name: 'server file: DEFAULT and Definition, DMS fixes.local read last',
    text: '[DEFAULT]\nloglevel = DEBUG\n[Definition]\nallowipv6 = yes\nlogtarget = /var/log/%(loglevel)s.log\ndbfile = 50%\n[Thread]\nstacksize = %(nosuch)s\n',
    options: { kind: 'dms-server' },
    sections: ['Definition', 'Thread'],
    optionNames: ['loglevel', 'allowipv6', 'logtarget', 'dbfile', 'stacksize', 'socket', 'dbpurgeage'],
  },
  {
    name: 'plain server file',
    text: '[Definition]\nlogtarget = %(known/logtarget)s\n',
    options: { kind: 'server' },
    sections: ['Definition'],
    optionNames: ['logtarget', 'loglevel'],
  },
];

const POOL_NAMES = ['a', 'b', 'c', 'port', 'mode', 'logpath', 'banaction', 'Port', 'nosuch'];
const PIECES = [
  'x', ' ', '%%', '%', '%(', '%(a)s', '%(b)s', '%(c)s', '%(port)s', '%(PORT)s', '%(mode)s', '%(logpath)s', '%(nosuch)s',
  '%(known/a)s', '%(known/port)s', '%(known/mode)s', '%(default/a)s', '%(default/port)s', '%(postfix/a)s',
  '%(postfix/mode)s', '%(Postfix/a)s', '%(nosection/a)s', '%(__name__)s', '%(dovecot/b)s', '%(known/A)s',
];
const SECTIONS = ['DEFAULT', 'postfix', 'dovecot', 'custom', 'mine'];

function randomCase(index: number): Case {
  const next = seededRandom(1000 + index);
  const lines: string[] = [];
  const sectionCount = 1 + Math.floor(next() * 3);
  const used = new Set<string>();
  for (let s = 0; s < sectionCount; s++) {
    const section = pick(next, SECTIONS);
    if (used.has(section) && section !== 'DEFAULT') continue;
    used.add(section);
    lines.push(`[${section}]`);
    const seenOptions = new Set<string>();
    const optionCount = 1 + Math.floor(next() * 4);
    for (let o = 0; o < optionCount; o++) {
      const name = pick(next, POOL_NAMES).toLowerCase();
      if (seenOptions.has(name) || (section === 'DEFAULT' && lines.some((l) => l.startsWith(`${name} =`)))) continue;
      seenOptions.add(name);
      let value = '';
      const pieces = 1 + Math.floor(next() * 3);
      for (let p = 0; p < pieces; p++) value += pick(next, PIECES);
      lines.push(`${name} = ${value.trim() || 'v'}`);
    }
  }
  return {
    name: `random #${index}`,
    text: lines.join('\n') + '\n',
    options: { kind: index % 3 === 0 ? 'jail' : 'dms-jail' },
    sections: ['mine'],
    optionNames: POOL_NAMES,
  };
}

const RANDOM_CASES = Array.from({ length: 150 }, (_, index) => randomCase(index));

function queriesFor(testCase: Case): [string, string][] {
  const isServer = testCase.options.kind.endsWith('server');
  const sections = [...new Set([...(isServer ? ['DEFAULT'] : STANDARD_SECTIONS), ...(testCase.sections ?? [])])];
  const options = [...new Set([...(isServer ? [] : STANDARD_OPTIONS), ...(testCase.optionNames ?? [])])];
  return sections.flatMap((section) => options.map((option): [string, string] => [section, option]));
}

describe('context vs real fail2ban 1.1.0 readers', () => {
  before(ensureFail2banInstalled);

  for (const [label, cases] of [
    ['hand-written cases', HAND_CASES],
    ['seeded random reference soups', RANDOM_CASES],
  ] as const) {
    it(`gives the same effective values and errors: ${label}`, () => {
      const oracleCases: OracleCase[] = [];
      const contexts = cases.map((testCase) => {
        const context = buildContextFromText(testCase.text, testCase.options);
        oracleCases.push(oracleCase(testCase.text, testCase.options, queriesFor(testCase), context.fail2banVersion));
        return context;
      });
      const real = runOracle(oracleCases);
      let compared = 0;
      const tally = new Map<string, number>();
      cases.forEach((testCase, caseIndex) => {
        const answer = real[caseIndex];
        assert.equal(answer.readError, undefined, `${testCase.name}: fail2ban could not read the tree: ${answer.readError}`);
        const context = contexts[caseIndex];
        if (!testCase.options.kind.endsWith('server')) {
          const realJails = (answer.sections ?? []).filter((name) => name !== 'INCLUDES');
          assert.deepEqual(context.jailNames(), realJails, `${testCase.name}: jail list`);
        }
        queriesFor(testCase).forEach(([section, option], queryIndex) => {
          const expected = answer.results?.[queryIndex];
          const ours = ourOutcome(context, section, option);
          assert.deepEqual(ours, expected, `${testCase.name}: [${section}] ${option}\n${testCase.text}`);
          const kind = 'error' in ours ? ours.error : 'value' in ours ? 'value' : 'missing';
          tally.set(kind, (tally.get(kind) ?? 0) + 1);
          compared++;
        });
      });
      assert.ok(compared > cases.length * 5, `compared ${compared} values`);
      // the corpus must keep exercising every outcome, or the comparison proves little
      for (const kind of ['value', 'missing', 'InterpolationMissingOptionError', 'InterpolationSyntaxError', 'InterpolationDepthError']) {
        assert.ok((tally.get(kind) ?? 0) > 0, `${label}: no '${kind}' outcome compared (${JSON.stringify([...tally])})`);
      }
    });
  }
});
