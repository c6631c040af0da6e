import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveFail2banVersion, isExplicitlySet, withoutDefaultedVersion } from '../../../client/src/versionSetting';
import { checkDocument } from '../../../server/src/engine';

test('a fail2banVersion left at its default follows the DMS release for DMS files', () => {
  assert.equal(effectiveFail2banVersion('dms-jail', undefined, 'v14'), '1.0.2');
  assert.equal(effectiveFail2banVersion('dms-server', undefined, 'v15.1.0'), '1.1.0');
  assert.equal(effectiveFail2banVersion('dms-jail', undefined, 'v16'), '1.1.1');
  // plain fail2ban files: the registry default (the fail2ban of the newest DMS release)
  assert.equal(effectiveFail2banVersion('jail', undefined, 'v14'), '1.1.1');
  assert.equal(effectiveFail2banVersion('dms-jail', '1.1.1', 'v14'), '1.1.1');
});

test('only user scopes count as explicitly set', () => {
  assert.equal(isExplicitlySet(undefined), false);
  assert.equal(isExplicitlySet({}), false);
  assert.equal(isExplicitlySet({ workspaceFolderValue: '1.0.2' }), true);
  assert.equal(isExplicitlySet({ globalLanguageValue: '1.1.1' }), true);
});

test('the server settings drop a defaulted fail2banVersion, keep an explicit one and everything else', () => {
  const settings = { fail2banVersion: '1.1.0', dmsVersion: 'v14', rules: { 'unknown-option': 'off' } };
  assert.deepEqual(withoutDefaultedVersion(settings, false), { dmsVersion: 'v14', rules: { 'unknown-option': 'off' } });
  assert.deepEqual(withoutDefaultedVersion(settings, true), settings);
  assert.equal(withoutDefaultedVersion(null, false), null);
});

test('without fail2banVersion, a DMS v14 file is checked as fail2ban 1.0.2 reads it', () => {
  // routeros-auth is a jail/filter of fail2ban 1.1.0 that 1.0.2 does not have: enabling it under DMS v14 drops the jail.
  const text = '[routeros-auth]\nenabled = true\n';
  const asV14 = checkDocument(text, { kind: 'dms-jail', dmsVersion: 'v14' });
  const asV15 = checkDocument(text, { kind: 'dms-jail', dmsVersion: 'v15.1.0' });
  assert.ok(asV14.some((d) => d.severity === 'error'), JSON.stringify(asV14));
  assert.ok(!asV15.some((d) => d.code === 'version-feature' || d.code === 'unknown-jail'), JSON.stringify(asV15));
});
