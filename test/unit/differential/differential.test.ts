// The validator's promise, checked fixture by fixture against REAL fail2ban (1.1.0 as DMS v15 ships it, and
// Debian 12's 1.0.2 as DMS v14 shipped it), laid out as DMS (or a plain install) lays it out:
//   our engine reports at least one error  ⟺  fail2ban fails (client -t fails, the server dies, or a jail is dropped)
// plus: the codes each fixture names are reported, every error we report is one the fixture names, and the real
// outcome is the one the fixture claims (so a fixture cannot silently stop testing what it says it tests).
// Fixtures: test/differential/fixtures/*.cf (header format in test/differential/fixtures.ts).
// Real fail2ban runs: test/support/fail2banVerdict.ts. Nothing is cached between runs.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { checkBytes, checkDocument } from '../../../server/src/engine';
import { allRuleMeta } from '../../../server/src/rules';
import { newestDmsReleaseWith } from '../../../server/src/knowledge/dms';
import { DEFAULT_DMS_VERSION, type CheckOptions, type DmsVersion, type EngineDiagnostic, type FileKind } from '../../../server/src/types';
import { ensureFail2banInstalled } from '../../support/fail2banInstalls';
import { loadFixtures, REAL_VERSIONS, type ExpectedCode, type ExpectedOutcome, type Fixture } from '../../differential/fixtures';
import {
  describeOutcome, fail2banFails, fail2banOutcome, fail2banVerdict, mapWithLimit, type Fail2banOutcome, type Fail2banVerdict, type RealFail2banVersion,
} from '../../support/fail2banVerdict';

/** DMS release that shipped each real version (its jail.local is the one laid out). */
/** The DMS release laid out around each fail2ban version: the newest one shipping it (v16, v15.1.0, v14). */
const DMS_RELEASE_OF = Object.fromEntries(
  REAL_VERSIONS.map((version) => [version, newestDmsReleaseWith(version) ?? DEFAULT_DMS_VERSION]),
) as Record<RealFail2banVersion, DmsVersion>;

/** fail2ban processes mostly wait (start-up polling), so more runs than cores keep both cores busy. */
const PARALLEL_RUNS = 12;

/**
 * Deliberate limits of a static check: fail2ban fails, we do not say "error" (or the reverse). Each entry is
 * asserted to STILL disagree in the documented direction, so fixing one forces this list to be updated.
 */
/** Fixtures where we knowingly disagree with fail2ban (`versions`: only there; default every version the fixture runs on). */
const KNOWN_LIMITS: Record<string, { engineError: boolean; reason: string; versions?: readonly RealFail2banVersion[] }> = {
  'server-logtarget-missing-dir': {
    engineError: false,
    reason: 'whether a log directory exists/is writable in the container cannot be known statically',
  },
  'server-logtarget-var-log-subdir': {
    engineError: false,
    reason: 'the DMS container has no such /var/log/<dir>/, but user-patches.sh or a volume may create it: a warning',
  },
  'server-syslogsocket-missing': {
    engineError: false,
    reason: 'same for a syslog socket other than /dev/log: a volume may provide it, so a warning',
  },
  'logpath-skip-if-nologs-1.1.1': {
    engineError: false,
    reason: 'with skip_if_nologs = true the user asked fail2ban 1.1.1 to drop a jail whose log is missing; we warn instead of calling it an error',
  },
  'structure-non-utf8-dropped': {
    engineError: true,
    reason: 'fail2ban 1.0.2/1.1.0 silently run WITHOUT the undecodable file (1.1.1 refuses to start); we call that an error',
    versions: ['1.0.2', '1.1.0'],
  },
};

/**
 * Where fail2ban 1.0.2 (DMS v14) and 1.1.0 (DMS v15.1.0) disagree on a fixture. Checked against the real
 * verdicts: a fixture whose outcomes differ must be listed here, and every listed one must differ.
 */
/** Fixtures whose real outcome differs between fail2ban 1.0.2 and 1.1.0. */
const VERSION_DIFFERENCES: Record<string, string> = {
  'backend-gamin': "1.1.0: 'Unknown backend gamin' (fatal); 1.0.2 knows gamin, lacks the module and falls forward to polling",
  'dms-new-filter-1.1.0': 'filter routeros-auth is new in 1.1.0; 1.0.2 skips the jail',
  'dms-jail-named-new-filter-1.1.0': 'jail [routeros-auth] (implicit filter) is new in 1.1.0; 1.0.2 skips the jail',
  'version-new-action-mikrotik': 'action mikrotik is new in 1.1.0; 1.0.2 skips the jail',
  'version-postfix-sasl-layout': 'DMS v14 (1.0.2) enables postfix-sasl, v15.1.0 (1.1.0) does not, so only 1.0.2 reads its bantime',
};

/** Fixtures whose real outcome differs between fail2ban 1.1.0 and 1.1.1 (DMS v15 → v16). */
const VERSION_DIFFERENCES_1_1_1: Record<string, string> = {
  'logpath-bad-suffix': "1.1.1's paths-debian.conf puts [postfix] on backend = systemd, which ignores logpath",
  'mode-exim-more': "exim's mode 'more' is new in 1.1.1",
  'mode-in-filter-param': "1.1.1's dovecot prefregex has <ADDR>, so the literal '<mdre-more>' line loads (and never matches)",
  'structure-non-utf8-dropped': '1.1.1 no longer swallows a decoding error: the whole configuration fails (fail2ban d02a613e)',
};

interface Run {
  fixture: Fixture;
  version: RealFail2banVersion;
}

interface RunResult {
  verdict: Fail2banVerdict;
  diagnostics: EngineDiagnostic[];
  /** Jails the same layout runs with an empty user file (only for fixtures that claim 'drops'). */
  baselineJails?: string[];
}

/**
 * The real outcome, with 'drops' for a claimed silent drop that real fail2ban confirms: it runs without complaint,
 * the claimed jails are not running, and they do run when the user file is empty.
 */
type Observed = Fail2banOutcome | { kind: 'drops'; jails: string[] };

function observedOutcome(run: Run, result: RunResult): Observed {
  const plain = fail2banOutcome(result.verdict);
  const claimed = run.fixture.outcome[run.version];
  if (claimed.kind !== 'drops' || plain.kind !== 'ok') return plain;
  const dropped = claimed.jails.filter((jail) => !result.verdict.jailsStarted.includes(jail) && (result.baselineJails ?? []).includes(jail));
  return dropped.length === claimed.jails.length ? { kind: 'drops', jails: dropped } : plain;
}

function describeObserved(outcome: Observed | ExpectedOutcome): string {
  if ('jails' in outcome) return `${outcome.kind} ${[...outcome.jails].sort().join(',')}`;
  return describeOutcome(outcome as Fail2banOutcome);
}

function runKey(run: Run): string {
  return `${run.fixture.name} @ ${run.version}`;
}

function engineDiagnostics(fixture: Fixture, version: RealFail2banVersion): EngineDiagnostic[] {
  const options: CheckOptions = { kind: fixture.kind, fail2banVersion: version, dmsVersion: DMS_RELEASE_OF[version] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(fixture.bytes);
  } catch {
    return checkBytes(fixture.bytes, options); // not UTF-8: the engine's byte entry point reports the encoding
  }
  return checkDocument(text, options);
}

function showDiagnostics(diagnostics: EngineDiagnostic[]): string {
  if (diagnostics.length === 0) return '  (none)';
  return diagnostics.map((d) => `  ${d.code}@${d.range.start.line + 1} ${d.severity}: ${d.message}`).join('\n');
}

function explain(run: Run, result: RunResult): string {
  return (
    `\n--- ${runKey(run)} (${run.fixture.kind}): ${run.fixture.why}\n` +
    `fail2ban: ${describeObserved(observedOutcome(run, result))} (client -t ${result.verdict.clientOk ? 'OK' : 'failed'}, ` +
    `server ${result.verdict.serverOk ? `running ${result.verdict.jailsStarted.join(', ')}` : 'died'})\n` +
    result.verdict.messages.map((m) => `  ${m}`).join('\n') +
    `\nengine:\n${showDiagnostics(result.diagnostics)}\n`
  );
}

function matches(expected: ExpectedCode, diagnostic: EngineDiagnostic): boolean {
  return expected.code === diagnostic.code && (expected.line === undefined || expected.line === diagnostic.range.start.line + 1);
}

const fixtures = loadFixtures();
const runs: Run[] = fixtures.flatMap((fixture) => fixture.versions.map((version) => ({ fixture, version })));
const results = new Map<string, RunResult>();

function resultOf(run: Run): RunResult {
  const result = results.get(runKey(run));
  if (!result) throw new Error(`no result for ${runKey(run)} (the real fail2ban runs failed, see the before hook)`);
  return result;
}

describe('differential: our engine vs real fail2ban, fixture by fixture', () => {
  before(
    async () => {
      // fail loudly, never skip, when fail2ban 1.1.0/1.0.2 are missing
      ensureFail2banInstalled();
      // a silent drop is proved against the same layout with an empty user file
      const baselineKeys = [...new Set(runs.filter((run) => run.fixture.outcome[run.version].kind === 'drops').map((run) => `${run.fixture.kind}|${run.version}`))];
      const [verdicts, baselines] = await Promise.all([
        mapWithLimit(runs, PARALLEL_RUNS, (run) =>
          fail2banVerdict({ version: run.version, kind: run.fixture.kind, text: run.fixture.bytes, dmsVersion: DMS_RELEASE_OF[run.version] }),
        ),
        mapWithLimit(baselineKeys, PARALLEL_RUNS, (key) => {
          const [kind, version] = key.split('|') as [FileKind, RealFail2banVersion];
          return fail2banVerdict({ version, kind, text: Buffer.from(''), dmsVersion: DMS_RELEASE_OF[version] });
        }),
      ]);
      const baselineJails = new Map(baselineKeys.map((key, index) => [key, baselines[index].jailsStarted]));
      runs.forEach((run, index) => {
        results.set(runKey(run), {
          verdict: verdicts[index],
          diagnostics: engineDiagnostics(run.fixture, run.version),
          baselineJails: baselineJails.get(`${run.fixture.kind}|${run.version}`),
        });
      });
    },
    { timeout: 10 * 60_000 },
  );

  it('has enough fixtures of every kind', () => {
    assert.ok(fixtures.length >= 60, `only ${fixtures.length} fixtures`);
    for (const kind of ['dms-jail', 'dms-server', 'jail', 'server'] as const) {
      assert.ok(fixtures.some((f) => f.kind === kind), `no fixture of kind ${kind}`);
    }
    for (const outcome of ['ok', 'dies', 'skips', 'drops'] as const) {
      assert.ok(
        fixtures.some((f) => f.outcome['1.1.0'].kind === outcome),
        `no fixture where fail2ban 1.1.0 ${outcome}`,
      );
    }
  });

  it('names every error-level rule code in some fixture', () => {
    const named = new Set(fixtures.flatMap((f) => Object.values(f.expected).flat().map((e) => e.code)));
    const errorCodes = allRuleMeta().filter((meta) => meta.defaultSeverity === 'error').map((meta) => meta.code);
    const missing = errorCodes.filter((code) => !named.has(code));
    assert.deepEqual(missing, [], `error codes without a differential fixture: ${missing.join(', ')}`);
  });

  for (const run of runs) {
    it(runKey(run), () => {
      const result = resultOf(run);
      const { verdict, diagnostics } = result;
      const why = (): string => explain(run, result);

      // 1. the fixture's claim about real fail2ban holds (a hang never matches: it is no verdict, not "dies")
      const claimed = run.fixture.outcome[run.version];
      const observed = observedOutcome(run, result);
      assert.equal(describeObserved(observed), describeObserved(claimed), `real fail2ban outcome differs from the fixture header${why()}`);

      // 2. error from us ⟺ fail2ban fails: refuses the file, or runs without a jail (skipped with a message, or silently dropped)
      const fails = fail2banFails(verdict) || observed.kind === 'drops';
      const engineError = diagnostics.some((d) => d.severity === 'error');
      const limit = KNOWN_LIMITS[run.fixture.name];
      if (limit && (!limit.versions || limit.versions.includes(run.version))) {
        assert.notEqual(fails, limit.engineError, `KNOWN_LIMITS entry no longer disagrees with fail2ban — remove it${why()}`);
        assert.equal(engineError, limit.engineError, `KNOWN_LIMITS entry changed (${limit.reason})${why()}`);
      } else {
        assert.equal(engineError, fails, `${fails ? 'fail2ban fails but we report no error' : 'we report an error but fail2ban runs fine'}${why()}`);
      }

      // 3. the expected codes are reported (any severity), on the expected lines
      for (const expected of run.fixture.expected[run.version]) {
        assert.ok(
          diagnostics.some((d) => matches(expected, d)),
          `expected ${expected.code}${expected.line ? `@${expected.line}` : ''} is missing${why()}`,
        );
      }

      // 4. no error the fixture does not name
      for (const diagnostic of diagnostics.filter((d) => d.severity === 'error')) {
        assert.ok(
          run.fixture.expected[run.version].some((e) => matches(e, diagnostic)),
          `unexpected error ${diagnostic.code}@${diagnostic.range.start.line + 1}${why()}`,
        );
      }
    });
  }

  const differingBetween = (older: RealFail2banVersion, newer: RealFail2banVersion): string[] =>
    fixtures
      .filter((f) => f.versions.includes(older) && f.versions.includes(newer))
      .filter((f) => {
        const [a, b] = [older, newer].map((version) => describeOutcome(fail2banOutcome(resultOf({ fixture: f, version }).verdict)));
        return a !== b;
      })
      .map((f) => f.name)
      .sort();

  it('1.0.2 vs 1.1.0: exactly the listed fixtures have different real outcomes', () => {
    assert.deepEqual(differingBetween('1.0.2', '1.1.0'), Object.keys(VERSION_DIFFERENCES).sort());
  });

  it('1.1.0 vs 1.1.1: exactly the listed fixtures have different real outcomes', () => {
    assert.deepEqual(differingBetween('1.1.0', '1.1.1'), Object.keys(VERSION_DIFFERENCES_1_1_1).sort());
  });

  it('every KNOWN_LIMITS / VERSION_DIFFERENCES entry names an existing fixture', () => {
    const names = new Set(fixtures.map((f) => f.name));
    for (const name of [...Object.keys(KNOWN_LIMITS), ...Object.keys(VERSION_DIFFERENCES), ...Object.keys(VERSION_DIFFERENCES_1_1_1)]) {
      assert.ok(names.has(name), `no fixture named ${name}`);
    }
  });
});
