// Loads the differential fixtures (test/differential/fixtures/*.cf). Each file is a user config (what DMS copies
// to jail.d/user-jail.local or fail2ban.local) whose leading comment lines say what to expect:
//
//   # kind: dms-jail | dms-server | jail | server
//   # versions: 1.1.0 1.0.2                 (optional; default every real version: 1.0.2, 1.1.0, 1.1.1)
//   # expect: code@line code …              codes our engine must report (1-based line; `code` alone = any line);
//                                           `none` = no code required. Every ERROR we report must be listed.
//   # expect@1.0.2: code@line …             added for that version only
//   # fail2ban: ok | dies | skips jail[,jail] | drops jail[,jail]   what real fail2ban does (checked too, so a fixture cannot
//   # fail2ban@1.0.2: …                          silently stop testing what it claims to test)
//   # why: …                                 the fail2ban behaviour the fixture pins down
//
// Header lines are ordinary comments: fail2ban and the engine both see the file exactly as it is.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAIL2BAN_VERSIONS, FILE_KINDS, type FileKind } from '../../server/src/types';
import type { RealFail2banVersion } from '../support/fail2banVerdict';

export const FIXTURE_DIR = join(__dirname, 'fixtures');
/** Every fail2ban version of the release registry runs for real here (scripts/system-deps.mjs). */
export const REAL_VERSIONS: readonly RealFail2banVersion[] = FAIL2BAN_VERSIONS;

export interface ExpectedCode {
  code: string;
  /** 1-based line, or undefined for "anywhere in the file". */
  line?: number;
}

/**
 * What real fail2ban does: runs everything, dies (fatal), runs without the named jails after saying so (skips), or
 * runs without the named jails silently (drops: no message, `-t` passes; checked against the same layout with an
 * empty user file, where those jails run).
 */
export type ExpectedOutcome = { kind: 'ok' } | { kind: 'dies' } | { kind: 'skips' | 'drops'; jails: string[] };

export interface Fixture {
  name: string;
  bytes: Buffer;
  kind: FileKind;
  versions: RealFail2banVersion[];
  expected: Record<RealFail2banVersion, ExpectedCode[]>;
  outcome: Record<RealFail2banVersion, ExpectedOutcome>;
  why: string;
}

const HEADER_LINE = /^#\s*([a-z][a-z0-9]*)(?:@([\d.]+))?:\s*(.*)$/;

function parseCodes(value: string, where: string): ExpectedCode[] {
  if (value.trim() === 'none') return [];
  return value
    .split(/[\s,]+/)
    .filter((token) => token.length > 0)
    .map((token) => {
      const match = /^([a-z0-9-]+)(?:@(\d+))?$/.exec(token);
      if (!match) throw new Error(`${where}: bad expected code '${token}'`);
      return { code: match[1], ...(match[2] ? { line: Number(match[2]) } : {}) };
    });
}

function parseOutcome(value: string, where: string): ExpectedOutcome {
  const [word, rest] = [value.trim().split(/\s+/)[0], value.trim().split(/\s+/).slice(1).join(' ')];
  if (word === 'ok' || word === 'dies') return { kind: word };
  if ((word === 'skips' || word === 'drops') && rest) return { kind: word, jails: rest.split(',').map((j) => j.trim()) };
  throw new Error(`${where}: bad fail2ban outcome '${value}'`);
}

function isRealVersion(value: string): value is RealFail2banVersion {
  return (REAL_VERSIONS as readonly string[]).includes(value);
}

/** Parses the header of one fixture; throws on anything malformed (a typo must not drop an expectation). */
export function parseFixture(name: string, bytes: Buffer): Fixture {
  const text = bytes.toString('latin1').replace(/^\u00ef\u00bb\u00bf/, ''); // header is ASCII; a BOM is content
  const fields: { key: string; version?: string; value: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = HEADER_LINE.exec(line);
    if (!match) break;
    fields.push({ key: match[1], version: match[2], value: match[3] });
  }
  const one = (key: string): string | undefined => fields.find((f) => f.key === key && !f.version)?.value;
  const kind = one('kind');
  if (!kind || !(FILE_KINDS as readonly string[]).includes(kind)) throw new Error(`${name}: missing or bad '# kind:'`);
  const versionsField = one('versions');
  const versions = versionsField ? versionsField.split(/\s+/).filter(isRealVersion) : [...REAL_VERSIONS];
  const baseCodes = parseCodes(one('expect') ?? '', name);
  const baseOutcome = one('fail2ban');
  if (baseOutcome === undefined) throw new Error(`${name}: missing '# fail2ban:'`);
  const expected = {} as Record<RealFail2banVersion, ExpectedCode[]>;
  const outcome = {} as Record<RealFail2banVersion, ExpectedOutcome>;
  for (const version of REAL_VERSIONS) {
    const extra = fields.find((f) => f.key === 'expect' && f.version === version)?.value;
    expected[version] = [...baseCodes, ...(extra ? parseCodes(extra, name) : [])];
    const specific = fields.find((f) => f.key === 'fail2ban' && f.version === version)?.value;
    outcome[version] = parseOutcome(specific ?? baseOutcome, name);
  }
  for (const field of fields) {
    if (!['kind', 'versions', 'expect', 'fail2ban', 'why'].includes(field.key)) throw new Error(`${name}: unknown header '${field.key}'`);
    if (field.version && !isRealVersion(field.version)) throw new Error(`${name}: unknown version '${field.version}'`);
  }
  return { name, bytes, kind: kind as FileKind, versions, expected, outcome, why: one('why') ?? '' };
}

export function loadFixtures(dir = FIXTURE_DIR): Fixture[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.cf'))
    .sort()
    .map((file) => parseFixture(file.replace(/\.cf$/, ''), readFileSync(join(dir, file))));
}
