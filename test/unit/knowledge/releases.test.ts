// The release registry (server/src/knowledge/releases.ts) is the one place a DMS release or fail2ban version is
// added: package.json's settings, the CLI, the language server, the stand-in docker and the defaults follow it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main as cliMain } from '../../../server/src/cli';
import { normalizeSettings } from '../../../server/src/server';
import { checkDocument } from '../../../server/src/engine';
import { dmsFail2banVersion, dmsJailLocal, newestDmsReleaseWith } from '../../../server/src/knowledge/dms';
import {
  DMS_RELEASES,
  FAIL2BAN_RELEASES,
  registryLists,
  type DmsReleaseEntry,
  type Fail2banReleaseEntry,
} from '../../../server/src/knowledge/releases';
import { DEFAULT_DMS_VERSION, DEFAULT_FAIL2BAN_VERSION, DMS_VERSIONS, FAIL2BAN_VERSIONS, type DmsVersion } from '../../../server/src/types';
import { DMS_IMAGES, resolveDmsVersion } from '../../support/dmsReleases';
import { localizedManifest } from '../../support/manifest';
import { FAIL2BAN_INSTALLS } from '../../support/fail2banInstalls';

interface SettingSchema {
  enum: string[];
  enumDescriptions: string[];
  default: string;
}
const manifest = localizedManifest<{
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
}>();
const settings = manifest.contributes.configuration.properties;

test("package.json's version settings agree with the registry (enum, order, descriptions, default)", () => {
  const lists = registryLists(DMS_RELEASES, FAIL2BAN_RELEASES);
  const dms = settings['dmsFail2ban.dmsVersion'];
  assert.deepEqual(dms.enum, lists.dmsVersions);
  assert.deepEqual(dms.enumDescriptions, lists.dmsSettingDescriptions);
  assert.equal(dms.default, lists.defaultDmsVersion);
  const fail2ban = settings['dmsFail2ban.fail2banVersion'];
  assert.deepEqual(fail2ban.enum, lists.fail2banVersions);
  assert.deepEqual(fail2ban.enumDescriptions, lists.fail2banSettingDescriptions);
  assert.equal(fail2ban.default, lists.defaultFail2banVersion);
});

test('the default is the newest release, DMS v16 with fail2ban 1.1.1; edge follows it', () => {
  assert.equal(DEFAULT_DMS_VERSION, 'v16');
  assert.equal(DEFAULT_FAIL2BAN_VERSION, '1.1.1');
  assert.equal(dmsFail2banVersion(), '1.1.1');
  assert.equal(dmsFail2banVersion('edge'), dmsFail2banVersion('v16'));
  assert.equal(dmsJailLocal('edge'), dmsJailLocal('v16'));
  assert.equal(newestDmsReleaseWith('1.1.1'), 'v16');
  assert.equal(newestDmsReleaseWith('1.0.2'), 'v14');
  // a file checked without options is checked as DMS v16 + fail2ban 1.1.1: exim's `more` mode exists only there
  const exim = '[exim]\nenabled = true\nmode = more\nlogpath = /var/log/mail/mail.log\n';
  assert.deepEqual(checkDocument(exim, { kind: 'dms-jail' }), []);
  assert.ok(checkDocument(exim, { kind: 'dms-jail', dmsVersion: 'v15.1.0' }).some((d) => d.code === 'invalid-mode'));
  assert.deepEqual(checkDocument('[postfix]\nskip_if_nologs = true\n', { kind: 'dms-jail' }), []);
  assert.deepEqual(checkDocument('[exim]\nmode = more\n', { kind: 'dms-jail' }), []);
});

test('every v16 fact the registry could not confirm is written in its source note', () => {
  const v16 = DMS_RELEASES.find((r) => r.name === 'v16');
  assert.ok(v16);
  assert.match(v16.source, /NOT CONFIRMED/);
  for (const topic of ['jail.local', 'fixes.local', '#4755', 'postfix_backend']) assert.ok(v16.source.includes(topic), topic);
});

test('the CLI, the language server and the stand-in list exactly the registry', () => {
  let help = '';
  cliMain(['--help'], { out: (t) => (help += t), err: () => undefined });
  assert.ok(help.includes(`--dms-version ${DMS_VERSIONS.join('|')}`), help);
  assert.ok(help.includes(`--fail2ban-version ${FAIL2BAN_VERSIONS.join('|')}`), help);
  assert.match(help, /default: v16, fail2ban 1\.1\.1/);
  for (const version of DMS_VERSIONS) assert.equal(normalizeSettings({ dmsVersion: version }).dmsVersion, version);
  assert.equal(normalizeSettings({ dmsVersion: 'v99' }).dmsVersion, undefined);
  for (const release of DMS_RELEASES) {
    for (const image of release.images) {
      const info = resolveDmsVersion(image.key);
      assert.equal(info.fail2ban, release.fail2ban);
      assert.equal(info.dmsVersion, release.name);
      assert.deepEqual(info.dialect, image.dialect);
    }
  }
  assert.equal(resolveDmsVersion('latest').dmsVersion, DEFAULT_DMS_VERSION);
  assert.equal(Object.keys(DMS_IMAGES).length, DMS_RELEASES.reduce((n, r) => n + r.images.length, 0));
  // every fail2ban version of the registry has a real install for the tests
  assert.deepEqual(Object.keys(FAIL2BAN_INSTALLS).sort(), [...FAIL2BAN_VERSIONS].sort());
});

test('a hypothetical release is one registry entry: the derived lists, default and descriptions pick it up', () => {
  const v16 = DMS_RELEASES.find((r) => r.name === 'v16') as DmsReleaseEntry;
  const fail2ban112: Fail2banReleaseEntry = { ...FAIL2BAN_RELEASES[FAIL2BAN_RELEASES.length - 1], version: '1.1.2', date: '2027-03-01' };
  const v17: DmsReleaseEntry = {
    ...v16,
    name: 'v17',
    releases: 'v17.0.0',
    date: '2027-04-01',
    fail2ban: '1.1.2',
    images: [{ ...v16.images[0], key: 'v17', tag: '17.0.0' }],
    settingDescription: 'v17.0.0 (hypothetical).',
  };
  const lists = registryLists([v17, ...DMS_RELEASES], [...FAIL2BAN_RELEASES, fail2ban112]);
  assert.equal(lists.dmsVersions[0], 'v17');
  assert.equal(lists.defaultDmsVersion, 'v17');
  assert.equal(lists.defaultFail2banVersion, '1.1.2');
  assert.deepEqual(lists.fail2banVersions, [...FAIL2BAN_VERSIONS, '1.1.2']);
  assert.equal(lists.dmsSettingDescriptions[0], 'v17.0.0 (hypothetical).');
  assert.match(lists.fail2banSettingDescriptions.at(-1) ?? '', /1\.1\.2 .*docker-mailserver v17\./);
  // an undated entry (like edge) never becomes the default
  const undated = registryLists([{ ...v17, date: undefined }, ...DMS_RELEASES], FAIL2BAN_RELEASES);
  assert.equal(undated.defaultDmsVersion, 'v16');
  // the real registry is what the project uses
  assert.deepEqual(registryLists(DMS_RELEASES, FAIL2BAN_RELEASES).dmsVersions, [...DMS_VERSIONS] as DmsVersion[]);
});

test("DMS's own example fail2ban-jail.cf is clean under every modelled release", () => {
  // config-examples/fail2ban-jail.cf equals target/fail2ban/jail.local (DMS master 2026-08-19; same text as v15.1.0)
  const examples = new Map(DMS_RELEASES.map((r) => [r.name, dmsJailLocal(r.name)]));
  for (const release of DMS_VERSIONS) {
    for (const [from, text] of [['the current example', dmsJailLocal(DEFAULT_DMS_VERSION)], [`${release}'s own example`, examples.get(release) ?? '']]) {
      const diagnostics = checkDocument(text, { kind: 'dms-jail', dmsVersion: release });
      assert.deepEqual(diagnostics.map((d) => `${d.code}: ${d.message}`), [], `${from} under ${release}`);
    }
  }
});
