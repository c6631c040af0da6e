import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { detectFileKind } from '../../../server/src/fileKind';

describe('detectFileKind', () => {
  const cases: [string, string | undefined][] = [
    ['/srv/dms/docker-data/dms/config/fail2ban-jail.cf', 'dms-jail'],
    ['fail2ban-fail2ban.cf', 'dms-server'],
    ['C:\\Users\\me\\dms\\config\\fail2ban-jail.cf', 'dms-jail'],
    ['/etc/fail2ban/jail.conf', 'jail'],
    ['/etc/fail2ban/jail.local', 'jail'],
    ['/etc/fail2ban/jail.d/user-jail.local', 'jail'],
    ['/etc/fail2ban/jail.d/defaults-debian.conf', 'jail'],
    ['/etc/fail2ban/fail2ban.conf', 'server'],
    ['/etc/fail2ban/fail2ban.local', 'server'],
    ['/etc/fail2ban/fail2ban.d/fixes.local', 'server'],
    ['/etc/fail2ban/fail2ban.d/00-x.conf', 'server'],
    // fail2ban reads only *.conf / *.local in drop-in folders, and Python's glob skips dot-files
    ['/etc/fail2ban/jail.d/notes.txt', undefined],
    ['/etc/fail2ban/jail.d/.hidden.local', undefined],
    ['/etc/fail2ban/fail2ban.d/README', undefined],
    ['/etc/fail2ban/filter.d/postfix.conf', undefined],
    ['/etc/fail2ban/action.d/nftables.local', undefined],
    ['/etc/fail2ban/paths-common.conf', undefined],
    ['Fail2ban-Jail.cf', undefined],
    ['jail.d', undefined],
    ['', undefined],
    ['/', undefined],
    ['constructor', undefined],
    ['__proto__', undefined],
    ['/x/__proto__/a.conf', undefined],
  ];
  for (const [path, kind] of cases) {
    it(`${JSON.stringify(path)} → ${kind ?? 'undefined'}`, () => assert.equal(detectFileKind(path), kind));
  }
});
