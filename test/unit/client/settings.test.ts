// Malformed settings never throw (issue 10 item 6): every dmsFail2ban.* value is read defensively, a bad entry is
// skipped and a clear message names it. settings.json can hold anything; VS Code hands it over unchecked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings, readValidatorSettings } from '../../../client/src/settings';
import { DEFAULT_SETTINGS, resolveServers } from '../../../client/src/targets';

const reader = (values: Record<string, unknown>) => (key: string) => values[key];

test('defaults when nothing is set; well-formed values pass unchanged, without a message', () => {
  assert.deepEqual(readSettings(reader({})), { settings: DEFAULT_SETTINGS, problems: [] });
  const values = {
    containerRuntime: 'podman', container: 'mail', dockerContext: 'prod', dockerHost: '', servers: [{ name: 'A', context: 'a' }],
    commandTimeoutSeconds: 45, confirmActions: false, autoRefreshSeconds: 0,
  };
  assert.deepEqual(readSettings(reader(values)), { settings: values, problems: [] });
});

test('values of the wrong type: the default, and a message naming the setting', () => {
  const { settings, problems } = readSettings(
    reader({ containerRuntime: 5, container: ['mail'], dockerContext: {}, dockerHost: true, servers: { name: 'x' }, commandTimeoutSeconds: 'soon', confirmActions: 'no', autoRefreshSeconds: -3 }),
  );
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.deepEqual([...problems].sort(), [
    "dmsFail2ban.containerRuntime is the number 5, not a text; using 'docker'.",
    'dmsFail2ban.container is a list, not a text; ignored.',
    'dmsFail2ban.dockerContext is an object, not a text; ignored.',
    'dmsFail2ban.dockerHost is the boolean true, not a text; ignored.',
    'dmsFail2ban.servers is an object, not a list of servers; ignored.',
    'dmsFail2ban.commandTimeoutSeconds is the text "soon", not a number of seconds (at least 1); using 30.',
    'dmsFail2ban.autoRefreshSeconds is the number -3, not a number of seconds (at least 0); using 60.',
    'dmsFail2ban.confirmActions is the text "no", not true or false; asking before each action.',
  ].sort());
});

test('numbers and booleans written as text are used, with a message to write them plainly', () => {
  const { settings, problems } = readSettings(reader({ commandTimeoutSeconds: '45', autoRefreshSeconds: ' 0 ', confirmActions: 'false' }));
  assert.equal(settings.commandTimeoutSeconds, 45);
  assert.equal(settings.autoRefreshSeconds, 0);
  assert.equal(settings.confirmActions, false, 'the text "false" must not count as true');
  assert.equal(problems.length, 3);
  assert.ok(problems.some((problem) => problem.startsWith('dmsFail2ban.commandTimeoutSeconds is the text "45"; using 45 — write it as a number')), problems.join('\n'));
});

test('a throwing configuration getter counts as unset', () => {
  const { settings, problems } = readSettings(() => {
    throw new Error('provider gone');
  });
  assert.deepEqual(settings, DEFAULT_SETTINGS);
  assert.match(problems[0], /could not be read \(provider gone\)/);
});

test('dmsFail2ban.servers: entries that are not objects, or hold a non-text field, are skipped and named; the rest work', () => {
  const { settings, problems: readProblems } = readSettings(
    reader({
      servers: [
        'mailserver',
        null,
        42,
        { name: 7, context: 'a' },
        { name: 'B', context: 'b', host: 2376 },
        { name: 'C', container: { id: 'x' } },
        { name: 'D', context: ['d'] },
        { name: 'Good', context: 'good', container: 'mail' },
        [],
      ],
    }),
  );
  assert.deepEqual(readProblems, []);
  const { servers, problems } = resolveServers(settings);
  assert.deepEqual(servers.map((server) => [server.id, server.label, server.container]), [['context:good', 'Good', 'mail']]);
  assert.deepEqual(problems, [
    'dmsFail2ban.servers[0] is the text "mailserver", not an object with name, context, host and container; skipped.',
    'dmsFail2ban.servers[1] is null, not an object with name, context, host and container; skipped.',
    'dmsFail2ban.servers[2] is the number 42, not an object with name, context, host and container; skipped.',
    'dmsFail2ban.servers[3].name is the number 7, not a text; this server is skipped.',
    'dmsFail2ban.servers[4].host is the number 2376, not a text; this server is skipped.',
    'dmsFail2ban.servers[5].container is an object, not a text; this server is skipped.',
    'dmsFail2ban.servers[6].context is a list, not a text; this server is skipped.',
    'dmsFail2ban.servers[8] is a list, not an object with name, context, host and container; skipped.',
  ]);
});

test('resolveServers never throws, even when handed settings that bypassed readSettings', () => {
  const bogus = { ...DEFAULT_SETTINGS, containerRuntime: 5 as unknown as string, servers: [{ container: 9 }] };
  const resolved = resolveServers(bogus);
  assert.deepEqual(resolved.servers, []);
  assert.match(resolved.problems[0], /containerRuntime is the number 5, not an executable name or path/);
  const flat = resolveServers({ ...DEFAULT_SETTINGS, container: 9 as unknown as string });
  assert.deepEqual([flat.servers, flat.problems], [[], ['dmsFail2ban.container is the number 9, not a text; this server is skipped.']]);
  assert.deepEqual(resolveServers({ ...DEFAULT_SETTINGS, servers: 'x' as unknown as [] }).servers.map((server) => server.id), ['local']);
});

test('validator settings of the wrong type are left to the defaults', () => {
  assert.deepEqual(readValidatorSettings(reader({ fail2banVersion: 1.1, dmsVersion: ['v15'], rules: 'strict' })), {
    fail2banVersion: undefined,
    dmsVersion: undefined,
    rules: undefined,
  });
  assert.deepEqual(readValidatorSettings(reader({ fail2banVersion: '1.0.2', dmsVersion: 'v14', rules: { 'unknown-option': 'off' } })), {
    fail2banVersion: '1.0.2',
    dmsVersion: 'v14',
    rules: { 'unknown-option': 'off' },
  });
});
