// The live container context in the engine and the language server, from a container context built from a REAL
// fail2ban install's /etc/fail2ban (no docker here: test/unit/client/liveContext.integration.test.ts reads one
// through the stand-in). What the client sends is checked; the container's files, names, logs and versions decide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildContextFromText, resolveVersions } from '../../../server/src/context';
import { checkDocument } from '../../../server/src/engine';
import { computeCompletion } from '../../../server/src/features/completion';
import { computeHover } from '../../../server/src/features/hover';
import { parseDocument } from '../../../server/src/parser/parse';
import {
  CONTEXT_STATUS_REQUEST,
  LIVE_CONTEXT_NOTIFICATION,
  type ContainerContext,
  type ContextStatusResult,
} from '../../../server/src/shared';
import { LiveContextStore, runningCopyDiffers, sanitizeContainerContext } from '../../../server/src/workspace/liveContext';
import { FAIL2BAN_INSTALLS } from '../../support/fail2banInstalls';
import { codes, launch, MINIMAL } from '../lsp/harness';
import { ensureBuilt } from '../lsp/lspClient';

/** A container context as the reader builds it, from a real install's tree plus DMS-like extra files. */
function containerFrom(version: '1.0.2' | '1.1.0' | '1.1.1', extra: { path: string; text: string }[] = [], release = 'v16.0.0'): ContainerContext {
  const tree = FAIL2BAN_INSTALLS[version].configTree;
  const names = (dir: string) => readdirSync(join(tree, dir)).filter((name) => statSync(join(tree, dir, name)).isFile());
  const files = [
    ...names('.').filter((name) => /^(jail|fail2ban)\.conf$|^paths-/.test(name)).map((name) => `/etc/fail2ban/${name}`),
    ...['jail.d', 'fail2ban.d'].flatMap((dir) => { try { return names(dir).map((name) => `/etc/fail2ban/${dir}/${name}`); } catch { return []; } }),
  ].map((path) => ({ path, text: readFileSync(join(tree, path.slice('/etc/fail2ban/'.length)), 'utf8') }));
  const extraNames = (dir: string) => extra.filter((f) => f.path.startsWith(`/etc/fail2ban/${dir}/`)).map((f) => f.path.slice(`/etc/fail2ban/${dir}/`.length));
  return {
    container: 'mailserver',
    startedAt: '2026-12-06T06:00:00.000Z',
    dmsRelease: release,
    fail2banVersion: version,
    files: [...files, ...extra.filter((f) => /\/(jail|fail2ban)\.(d\/|local$)/.test(f.path))],
    filterFiles: [...names('filter.d'), ...extraNames('filter.d')],
    actionFiles: [...names('action.d'), ...extraNames('action.d')],
    logFiles: ['/var/log/mail/mail.log', '/var/log/mail/fail2ban.log', '/var/log/mail/myapp.log'],
  };
}

const CUSTOM = [{ path: '/etc/fail2ban/filter.d/myapp.conf', text: '[Definition]\nfailregex = ^fail <HOST>$\n' }];
const USES_CUSTOM = '[myapp]\nenabled = true\nfilter = myapp\nlogpath = /var/log/mail/myapp.log\n';
const errors = (text: string, container?: ContainerContext) =>
  checkDocument(text, { kind: 'dms-jail', ...(container ? { container } : {}) }).filter((d) => d.severity === 'error').map((d) => d.code);

test('the container decides the versions, even over an explicit setting', () => {
  const live = containerFrom('1.0.2', [], 'v13.3.1');
  assert.deepEqual(resolveVersions({ kind: 'dms-jail', fail2banVersion: '1.1.1', dmsVersion: 'v16', container: live }), { fail2banVersion: '1.0.2', dmsVersion: 'v13' });
  // not modelled: the setting (or the default) decides the version rules; the files are still the container's
  const future = { ...containerFrom('1.1.1'), fail2banVersion: '1.2.0', dmsRelease: 'v17.0.0' };
  assert.deepEqual(resolveVersions({ kind: 'dms-jail', dmsVersion: 'v15.1.0', container: future }), { fail2banVersion: '1.1.0', dmsVersion: 'v15.1.0' });
  const context = buildContextFromText('', { kind: 'dms-jail', container: future });
  assert.ok(context.layers.some((layer) => layer.label === 'jail.conf (container mailserver)'), context.layers.map((l) => l.label).join());
  const store = new LiveContextStore();
  store.update({ context: future });
  const status = store.status('dms-jail', undefined);
  assert.equal(status.summary, 'container mailserver: DMS v17.0.0, fail2ban 1.2.0');
  assert.equal(status.notes.length, 1);
  assert.match(status.notes[0], /runs fail2ban 1\.2\.0 and DMS v17\.0\.0, which this extension does not model: its own files are used anyway/);
});

test("the container's files replace the modelled ones: a jail.d file there changes the effective values", () => {
  const live = containerFrom('1.1.1', [{ path: '/etc/fail2ban/jail.d/00-site.conf', text: '[DEFAULT]\nbantime = 3h\n' }]);
  assert.equal(buildContextFromText('[postfix]\nenabled = true\n', { kind: 'dms-jail', container: live }).interpolate('postfix', 'bantime').value, '3h');
  assert.notEqual(buildContextFromText('[postfix]\nenabled = true\n', { kind: 'dms-jail' }).interpolate('postfix', 'bantime').value, '3h');
  // the user's own file comes from the editor, never from the container's copy
  const stale = containerFrom('1.1.1', [{ path: '/etc/fail2ban/jail.d/user-jail.local', text: '[DEFAULT]\nbantime = 9d\n' }]);
  const context = buildContextFromText('[DEFAULT]\nbantime = 2h\n', { kind: 'dms-jail', container: stale });
  assert.equal(context.interpolate('DEFAULT', 'bantime').value, '2h');
  assert.equal(context.layers.filter((layer) => layer.path === '/etc/fail2ban/jail.d/user-jail.local').length, 1);
});

test('custom filter and log known with the container; a stock filter the container lacks is an error', () => {
  const live = containerFrom('1.1.1', CUSTOM);
  assert.deepEqual(errors(USES_CUSTOM, live), []);
  assert.deepEqual(errors(USES_CUSTOM).sort(), ['missing-log', 'unknown-filter']);
  const withoutSshd = { ...live, filterFiles: live.filterFiles.filter((name) => name !== 'sshd.conf') };
  const sshd = '[sshd]\nenabled = true\nfilter = sshd\nlogpath = /var/log/mail/mail.log\n';
  assert.deepEqual(errors(sshd, live), []);
  assert.deepEqual(errors(sshd, withoutSshd), ['unknown-filter']);
  // a missing log is a real problem in the container too
  assert.deepEqual(errors('[myapp]\nenabled = true\nfilter = myapp\nlogpath = /var/log/mail/other.log\n', live), ['missing-log']);
});

test('completion offers the container\'s filters, jails and logs; hovers name the context', () => {
  const live = containerFrom('1.1.1', CUSTOM);
  const doc = parseDocument('[myapp]\nfilter = \nlogpath = \n', { fail2banPath: '/etc/fail2ban/jail.d/user-jail.local' });
  const filters = computeCompletion(doc, { line: 1, character: 9 }, { kind: 'dms-jail', container: live }).map((item) => item.label);
  assert.ok(filters.includes('myapp') && filters.includes('postfix'), filters.join());
  assert.ok(!computeCompletion(doc, { line: 1, character: 9 }, { kind: 'dms-jail' }).some((item) => item.label === 'myapp'));
  const logs = computeCompletion(doc, { line: 2, character: 10 }, { kind: 'dms-jail', container: live }).map((item) => item.label);
  assert.deepEqual(logs, live.logFiles);
  // the container's own jails are offered as section names
  const site = containerFrom('1.1.1', [{ path: '/etc/fail2ban/jail.d/10-site.conf', text: '[site-login]\nenabled = false\nfilter = myapp\n' }]);
  const header = parseDocument('[', { fail2banPath: '/etc/fail2ban/jail.d/user-jail.local' });
  const sections = computeCompletion(header, { line: 0, character: 1 }, { kind: 'dms-jail', container: site });
  assert.equal(sections.find((item) => item.label === 'site-login')?.detail, 'jail in container mailserver');
  assert.ok(!computeCompletion(header, { line: 0, character: 1 }, { kind: 'dms-jail' }).some((item) => item.label === 'site-login'));
  const hover = computeHover(doc, { line: 1, character: 2 }, { kind: 'dms-jail', container: live });
  assert.match(JSON.stringify(hover?.contents), /Context: container mailserver: DMS v16\.0\.0, fail2ban 1\.1\.1/);
});

test('what the client sends is checked: malformed parts are dropped, nothing outside /etc/fail2ban is taken', () => {
  assert.equal(sanitizeContainerContext(null), undefined);
  assert.equal(sanitizeContainerContext({ container: 'x' }), undefined);
  const clean = sanitizeContainerContext({
    container: 'mailserver',
    fail2banVersion: 7,
    files: [{ path: '/etc/passwd', text: 'root' }, { path: '/etc/fail2ban/jail.conf', text: '[DEFAULT]\n' }, { path: '/etc/fail2ban/x', text: 1 }, null],
    filterFiles: ['a.conf', 3],
    actionFiles: 'nope',
    logFiles: ['/var/log/mail/mail.log', 'relative.log'],
  });
  assert.deepEqual(clean, {
    container: 'mailserver',
    files: [{ path: '/etc/fail2ban/jail.conf', text: '[DEFAULT]\n' }],
    filterFiles: ['a.conf'],
    actionFiles: [],
    logFiles: ['/var/log/mail/mail.log'],
  });
});

test('the running copy of the user file: same text (line endings aside) is quiet, a different one is said', () => {
  const live = containerFrom('1.1.1', [{ path: '/etc/fail2ban/jail.d/user-jail.local', text: '[DEFAULT]\r\nbantime = 1h\r\n' }]);
  assert.equal(runningCopyDiffers(live, 'dms-jail', '[DEFAULT]\nbantime = 1h'), undefined);
  assert.match(runningCopyDiffers(live, 'dms-jail', '[DEFAULT]\nbantime = 2h\n') ?? '', /runs a different \/etc\/fail2ban\/jail\.d\/user-jail\.local.*Apply Config/);
  assert.equal(runningCopyDiffers(live, 'dms-server', ''), undefined, 'no fail2ban.local in the container: nothing to compare');
});

test('language server: diagnostics follow the live context and fall back when it goes; contextStatus says which', async () => {
  ensureBuilt();
  const session = await launch(MINIMAL);
  try {
    const uri = 'file:///work/docker-data/dms/config/fail2ban-jail.cf';
    await session.open(uri, USES_CUSTOM);
    await session.waitFor(() => session.latest(uri), 'first diagnostics');
    assert.deepEqual(codes(session.latest(uri)!.diagnostics.filter((d) => d.severity === 1)), ['missing-log', 'unknown-filter']);
    const modelled = await session.request<ContextStatusResult>(CONTEXT_STATUS_REQUEST, { uri });
    assert.equal(modelled.source, 'modelled');
    await session.notify(LIVE_CONTEXT_NOTIFICATION, { context: containerFrom('1.1.1', CUSTOM) });
    await session.waitFor(() => (session.latest(uri)!.diagnostics.every((d) => d.severity !== 1) ? true : undefined), 'clean diagnostics');
    const status = await session.request<ContextStatusResult>(CONTEXT_STATUS_REQUEST, { uri });
    assert.equal(status.summary, 'container mailserver: DMS v16.0.0, fail2ban 1.1.1');
    await session.notify(LIVE_CONTEXT_NOTIFICATION, { context: null, reason: 'container mailserver not reachable' });
    await session.waitFor(() => (session.latest(uri)!.diagnostics.some((d) => d.code === 'unknown-filter') ? true : undefined), 'modelled again');
    const back = await session.request<ContextStatusResult>(CONTEXT_STATUS_REQUEST, { uri });
    assert.equal(back.summary, 'modelled: DMS v16 — container mailserver not reachable');
    // garbage instead of a context: ignored, the server keeps answering
    await session.notify(LIVE_CONTEXT_NOTIFICATION, { context: { files: 'x' } });
    assert.equal((await session.request<ContextStatusResult>(CONTEXT_STATUS_REQUEST, { uri })).source, 'modelled');
  } finally {
    await session.stop();
  }
});
