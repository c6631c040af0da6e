// Differential tests of the small grammars (timezone, encoding, log level, int(), Python expression
// syntax) against fail2ban 1.1.0 / Python 3.11, plus logpath, usedns, ignorecache, backend, bantime.*.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backendsFor } from '../../../server/src/knowledge/backends';
import { fail2banFacts } from '../../../server/src/knowledge/releases';
import type { Fail2banVersion } from '../../../server/src/types';
import {
  checkLogEncoding, parseBackend, parseIgnoreCache, parseLogLevel, parseLogPath, parsePythonInt, parseTimeZone, readUseDns,
} from '../../../server/src/values/misc';
import { checkBantimeFactor, checkBantimeFormula, isPythonExpression, parseMultipliers } from '../../../server/src/values/expression';
import { PY_CODEC_ALIASES, PY_CODEC_MODULES } from '../../../server/src/values/pyCodecs';
import { askPython } from './oracle';
import { seededRandom } from '../../support/random';

function same<T>(values: string[], q: string, ours: (v: string) => T, theirs: (a: Record<string, unknown>) => T): string[] {
  const answers = askPython(values.map((value) => ({ q, value })));
  const problems: string[] = [];
  values.forEach((v, i) => {
    const a = JSON.stringify(ours(v));
    const b = JSON.stringify(theirs(answers[i]));
    if (a !== b) problems.push(`${JSON.stringify(v)}: ours ${a} / python ${b}`);
  });
  return problems;
}

test('logtimezone: validateTimeZone of fail2ban 1.1.0', () => {
  const values = ['UTC', 'GMT', 'Z', 'CET', 'CEST', 'EST', 'UTC+0200', 'UTC+02:00', 'UTC+02', 'GMT-0100', '+0130', '-0530', '+01',
    'Europe/Berlin', 'utc', 'ABC', 'PT', 'ChST', 'NZDT+1', 'UTC+2', 'UTC+0260', 'UTC+2000', 'UTC+1999', '', ' UTC', 'UTC ', 'UTC\n',
    'UTC+٠٢٠٠', 'A', 'AB', 'ABCDEF', 'IRST+0', 'NPT', 'HAST-10', 'UTC+02:0', 'UTC+02:000'];
  assert.deepEqual(same(values, 'tz', (v) => { const r = parseTimeZone(v); return r.ok ? r.offsetMinutes : r.pythonError; },
    (a) => (a.ok ? a.value : a.type)), []);
});

test('logencoding: codecs.lookup of Python 3.11 (tables and normalisation)', () => {
  const random = seededRandom(3);
  const names = [...PY_CODEC_ALIASES, ...PY_CODEC_MODULES];
  const mutated = names.slice(0, 200).map((n) => {
    const k = Math.floor(random() * 4);
    return k === 0 ? n.toUpperCase().replace(/_/g, '-') : k === 1 ? n.replace(/_/g, ' ') : k === 2 ? n + 'x' : `-${n}.`;
  });
  const values = [...names, ...mutated, 'utf-8', 'UTF8', 'latin-1', 'Latin 1', 'utf.8', 'iso8859.1', 'CP-1252', 'mbcs', 'aliases', 'uétf8',
    'utf8é', 'foo-enc', '', ' ', 'auto'];
  assert.deepEqual(same(values.filter((v) => v.toLowerCase() !== 'auto'), 'codec', (v) => checkLogEncoding(v).ok, (a) => a.ok), []);
  assert.equal(checkLogEncoding('AUTO').ok, true);
  const hex = checkLogEncoding('hex');
  assert.ok(hex.ok);
  assert.equal(hex.textEncoding, false);
});

test('loglevel: str2LogLevel', () => {
  const values = ['INFO', 'info', 'DEBUG', 'NOTICE', 'MSG', 'TRACEDEBUG', 'HEAVYDEBUG', 'WARN', 'FATAL', 'NOTSET', '0', '25', '007', '-1',
    'TRACE', 'HEAVY', 'VERBOSE', '1.5', '', '²', '٣', 'ınfo', ' INFO'];
  assert.deepEqual(same(values, 'loglevel', (v) => { const r = parseLogLevel(v); return r.ok ? r.level : 'error'; },
    (a) => (a.ok && a.isint ? a.value : 'error')), []);
});

test('int(): Python int() on a str, as the client converts int options', () => {
  const random = seededRandom(11);
  const pieces = ['1', '0', '9', '_', ' ', '-', '+', '.', 'x', '٣', '\t', '"', 'e'];
  const generated = Array.from({ length: 400 }, () => Array.from({ length: 1 + Math.floor(random() * 5) }, () => pieces[Math.floor(random() * pieces.length)]).join(''));
  const values = ['3', ' 3 ', '+3', '-3', '1_000', '1__0', '_1', '1_', '0x10', '3.5', '"3"', '', '007', '٣', '1e3', ...generated];
  assert.deepEqual(same(values, 'int', (v) => { const r = parsePythonInt(v); return r.ok ? r.value.toString() : 'error'; },
    (a) => (a.ok ? a.value : 'error')), []);
});

test('bantime.formula: syntax verdict equals compile(..., "eval")', () => {
  const random = seededRandom(13);
  const pieces = ['ban.Time', 'ban.Count', '*', '(', ')', '1', '<<', ' if ', ' else ', '<', '20', 'banFactor', ',', ' and ', 'not ', 'math.log(', '**', '.', '[', ']', ':', 'lambda x: ', '"s"', ' '];
  const generated = Array.from({ length: 500 }, () => Array.from({ length: 1 + Math.floor(random() * 7) }, () => pieces[Math.floor(random() * pieces.length)]).join(''));
  const values = ['ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor', 'ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)',
    '1 +', '(1', 'a b', '*a', '*a,', 'f(*a)', 'f(x=1)', 'f(x=1, 2)', 'x if y', 'lambda: 1', 'a[1:2, ::3]', ' 1', '1 # c', '', 'yield 1',
    '[x for x in y]', 'await x', 'not not 1', 'a.b.c()', '1.real', '1 .real', 'True.real', '{1: 2}', '{1, 2}', '...', 'a := 1', '(a := 1)', ...generated];
  assert.deepEqual(same(values, 'compile', (v) => isPythonExpression(v), (a) => a.ok), []);
  assert.equal(checkBantimeFormula('ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor').problems.length, 0);
  assert.match(checkBantimeFormula('ban.Time * factor').problems[0].message, /'factor' is not defined/);
  assert.match(checkBantimeFormula('ban.Tme * 2').problems[0].message, /ban\.Tme does not exist/);
  assert.equal(checkBantimeFormula('ban.Time *').ok, false);
});

test('bantime.factor and bantime.multipliers', () => {
  assert.deepEqual(checkBantimeFactor('1'), { ok: true, problems: [], value: 1 });
  assert.equal(checkBantimeFactor('2.0 / 2.885385').value, 2.0 / 2.885385);
  assert.equal(checkBantimeFactor('abc').ok, false);
  assert.match(checkBantimeFactor('abc').problems[0].message, /^bantime.factor must be a number/);
  assert.match(checkBantimeFactor('abc').problems[0].details ?? '', /^Python NameError: /);
  assert.equal(checkBantimeFactor('1 +').ok, false);
  assert.equal(checkBantimeFactor('math.e').ok, true);
  assert.deepEqual(parseMultipliers('1 2 4 8 16 32 64').values.map(Number), [1, 2, 4, 8, 16, 32, 64]);
  const double = parseMultipliers('1  2');
  assert.equal(double.ok, false);
  assert.equal(double.message, "invalid literal for int() with base 10: ''");
  assert.equal(double.start, 2);
  assert.equal(parseMultipliers('1,2').ok, false);
  assert.equal(parseMultipliers('1\t2').ok, false);
  assert.deepEqual(parseMultipliers(''), { ok: true, values: [] });
});

test('logpath, usedns, ignorecache, backend', () => {
  const lines = parseLogPath('/var/log/mail.log\n/var/log/a.log tail\n/var/log/b.log middle\n/a  tail');
  assert.deepEqual(lines.map((l) => [l.path, l.option ?? null, l.optionValid]), [
    ['/var/log/mail.log', null, true], ['/var/log/a.log', 'tail', true], ['/var/log/b.log', 'middle', false], ['/a ', 'tail', true],
  ]);
  assert.equal(lines[2].message, "File option must be 'head' or 'tail'");
  assert.deepEqual(readUseDns('WARN'), { value: 'warn', valid: true });
  assert.equal(readUseDns('maybe').message, "Incorrect value 'maybe' specified for usedns. Using safe 'no'");
  const cache = parseIgnoreCache('key="<ip>", max-count=100, max-time=5m');
  assert.ok(cache.ok && !cache.empty && cache.maxTimeSeconds === 300 && cache.key?.value === '<ip>');
  const noKey = parseIgnoreCache('max-count=10');
  assert.deepEqual(noKey.ok ? null : noKey.message, "KeyError('key')");
  const badTime = parseIgnoreCache('key=<ip>, max-time=5 mins');
  assert.ok(!badTime.ok && 'key=<ip>, max-time=5 mins'.slice(badTime.start, badTime.end) === '5 mins');
  const grammar = (version: Fail2banVersion) => ({ backends: backendsFor(version), conditionalParams: fail2banFacts(version).conditionalParams });
  assert.equal(parseBackend('auto', grammar('1.1.0')).ok, true);
  assert.equal(parseBackend('Systemd[journalflags=1]', grammar('1.1.0')).ok, true);
  const gamin = parseBackend('gamin', grammar('1.1.0'));
  assert.deepEqual(gamin.ok ? null : gamin.message, "Unknown backend gamin. Must be among ['pyinotify', 'polling', 'systemd'] or 'auto'");
  assert.equal(parseBackend('gamin', grammar('1.0.2')).ok, true);
  const polling = parseBackend('polling[x=1]', grammar('1.1.0'));
  assert.ok(polling.ok && polling.unknownParams.length === 1);
});
