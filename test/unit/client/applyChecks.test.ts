// Apply Config's checks around the write (client/src/docker/applyChecks.ts): a file with errors is refused
// before anything is asked (checked with the real engine), and after a successful apply the compose file says
// whether the applied file is the one DMS copies from its config volume at start-up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDocument } from '../../../server/src/engine';
import { configVolumeSource, preflightRefusal, volumeVerdict } from '../../../client/src/docker/applyChecks';
import { PROJECT_ROOT } from '../../support/fail2banInstalls';

const WORKSPACE = join(PROJECT_ROOT, 'test', 'vscode', 'workspace');
const COMPOSE = join(WORKSPACE, 'compose.yaml');
const composeText = readFileSync(COMPOSE, 'utf8');

test('a file fail2ban would refuse is refused before the question, with its problems listed', () => {
  const broken = '[DEFAULT]\nbantime = 1h\n\n[dovecot]\nenabled = true\nbantime = 1x\nthis is not an option\n';
  const refusal = preflightRefusal('docker-data/dms/config/fail2ban-jail.cf', checkDocument(broken, { kind: 'dms-jail' }));
  assert.ok(refusal, 'refused');
  assert.match(refusal, /^Not applied: docker-data\/dms\/config\/fail2ban-jail\.cf has \d+ errors? that fail2ban would refuse or that drop a jail — fix (it|them) first\. line \d+: /);
  assert.match(refusal, /line 6: bantime: .*; line 7: /, 'the problem lines are named');
});

test('a valid file (warnings at most) is not refused', () => {
  const fine = '[DEFAULT]\nbantime = 1w\nfindtime = 1w\nmaxretry = 6\n';
  const diagnostics = checkDocument(fine, { kind: 'dms-jail' });
  assert.deepEqual(diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
  assert.equal(preflightRefusal('fail2ban-jail.cf', diagnostics), undefined);
});

test("the config volume is read from DMS's compose file: short syntax, long syntax, named volumes ignored", () => {
  assert.equal(configVolumeSource(composeText, 'mailserver'), './docker-data/dms/config/');
  const long = 'services:\n  mail:\n    image: ghcr.io/docker-mailserver/docker-mailserver:15\n    volumes:\n      - type: bind\n        source: ./cfg\n        target: /tmp/docker-mailserver\n';
  assert.equal(configVolumeSource(long, 'mail'), './cfg');
  const named = 'services:\n  mailserver:\n    image: ghcr.io/docker-mailserver/docker-mailserver:15\n    volumes:\n      - dms-config:/tmp/docker-mailserver\n';
  assert.equal(configVolumeSource(named, 'mailserver'), undefined);
  assert.equal(configVolumeSource('services: [', 'mailserver'), undefined, 'broken YAML: no verdict, never a throw');
});

test('after success: the file in the config volume survives recreation; one elsewhere does not, and the message says where it belongs', () => {
  const show = (path: string) => path.slice(WORKSPACE.length + 1);
  const inVolume = volumeVerdict(COMPOSE, composeText, 'mailserver', join(WORKSPACE, 'docker-data/dms/config/fail2ban-jail.cf'), show);
  assert.deepEqual(inVolume, {
    inVolume: true,
    message: 'docker-data/dms/config/fail2ban-jail.cf is in the config volume (compose.yaml mounts ./docker-data/dms/config/ as /tmp/docker-mailserver/), so the change survives restarting or recreating the container.',
  });
  const elsewhere = volumeVerdict(COMPOSE, composeText, 'mailserver', join(WORKSPACE, 'drafts/fail2ban-jail.cf'), show);
  assert.equal(elsewhere?.inVolume, false);
  assert.match(elsewhere?.message ?? '', /^drafts\/fail2ban-jail\.cf is not in the config volume .* Save it as docker-data\/dms\/config\/fail2ban-jail\.cf, or it is lost when the container is recreated\.$/);
  const nested = volumeVerdict(COMPOSE, composeText, 'mailserver', join(WORKSPACE, 'docker-data/dms/config/old/fail2ban-fail2ban.cf'), show);
  assert.match(nested?.message ?? '', /is in a subfolder of the config volume, where DMS does not look .* Save it as docker-data\/dms\/config\/fail2ban-fail2ban\.cf/);
  assert.equal(volumeVerdict(COMPOSE, 'services:\n  web:\n    image: nginx\n', 'mailserver', join(WORKSPACE, 'x/fail2ban-jail.cf')), undefined, 'no mail service: no verdict');
});
