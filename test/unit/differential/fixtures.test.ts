// The fixture header parser must never silently drop an expectation: malformed headers throw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFixtures, parseFixture } from '../../differential/fixtures';

const parse = (text: string | Buffer) => parseFixture('t', Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));

describe('differential fixture headers', () => {
  it('reads kind, expectations per version and the claimed outcome', () => {
    const fixture = parse(
      '# kind: dms-jail\n# expect: invalid-duration@6 unknown-action\n# expect@1.0.2: version-feature@7\n' +
        '# fail2ban: skips dovecot,postfix\n# fail2ban@1.0.2: dies\n# why: because\n[DEFAULT]\nbantime = 1hr\n# expect: not-a-header\n',
    );
    assert.equal(fixture.kind, 'dms-jail');
    assert.deepEqual(fixture.versions, ['1.0.2', '1.1.0', '1.1.1'], 'default: every real version of the release registry');
    assert.deepEqual(fixture.expected['1.1.0'], [{ code: 'invalid-duration', line: 6 }, { code: 'unknown-action' }]);
    assert.deepEqual(fixture.expected['1.0.2'], [
      { code: 'invalid-duration', line: 6 },
      { code: 'unknown-action' },
      { code: 'version-feature', line: 7 },
    ]);
    assert.deepEqual(fixture.outcome['1.1.0'], { kind: 'skips', jails: ['dovecot', 'postfix'] });
    assert.deepEqual(fixture.outcome['1.0.2'], { kind: 'dies' });
    assert.equal(fixture.why, 'because');
  });

  it('keeps the raw bytes (BOM, CRLF, non-UTF-8) and still reads the header', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# kind: server\r\n# versions: 1.1.0\r\n# expect: none\r\n# fail2ban: ok\r\n\xe9', 'latin1')]);
    const fixture = parse(bytes);
    assert.equal(fixture.kind, 'server');
    assert.deepEqual(fixture.versions, ['1.1.0']);
    assert.deepEqual(fixture.expected['1.1.0'], []);
    assert.equal(fixture.bytes, bytes);
  });

  for (const [name, text] of [
    ['no kind', '# expect: none\n# fail2ban: ok\n'],
    ['unknown kind', '# kind: jails\n# fail2ban: ok\n'],
    ['no outcome', '# kind: jail\n# expect: none\n'],
    ['bad outcome', '# kind: jail\n# fail2ban: maybe\n'],
    ['skips without jail', '# kind: jail\n# fail2ban: skips\n'],
    ['bad code token', '# kind: jail\n# expect: Invalid_Duration@x\n# fail2ban: ok\n'],
    ['misspelt field', '# kind: jail\n# expects: invalid-duration\n# fail2ban: ok\n'],
    ['unknown version', '# kind: jail\n# expect@1.2.9: invalid-duration\n# fail2ban: ok\n'],
  ] as const) {
    it(`rejects a header with ${name}`, () => {
      assert.throws(() => parse(text));
    });
  }

  it('loads every committed fixture', () => {
    const fixtures = loadFixtures();
    assert.ok(fixtures.length >= 60);
    assert.equal(new Set(fixtures.map((f) => f.name)).size, fixtures.length);
  });
});
