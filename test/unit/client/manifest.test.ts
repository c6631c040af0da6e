// The extension manifest (package.json) against issues 3 and 4: command ids, titles and category, settings
// and their trust restrictions, narrow file claims, light activation, and a welcome view for every
// state the Fail2Ban view can be in.
import { DEFAULT_DMS_VERSION, DEFAULT_FAIL2BAN_VERSION } from '../../../server/src/types';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localizedManifest } from '../../support/manifest';
import type { ViewState } from '../../../client/src/bans/session';

interface Manifest {
  activationEvents?: string[];
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
  contributes: {
    languages: Array<{ id: string; aliases?: string[]; extensions?: string[]; filenames?: string[]; filenamePatterns?: string[] }>;
    commands: Array<{ command: string; title: string; category?: string }>;
    configuration: { properties: Record<string, { type?: string; default?: unknown; enum?: string[]; scope?: string }> };
    viewsContainers: { activitybar: Array<{ id: string; title: string }> };
    views: Record<string, Array<{ id: string }>>;
    viewsWelcome: Array<{ view: string; when: string; contents: string }>;
    menus: Record<string, Array<{ command: string }>>;
  };
}

const ROOT = join(__dirname, '..', '..', '..');
const manifest = localizedManifest<Manifest>();
const { contributes } = manifest;

/** Issue 4's commands ("these ids exactly; titles under the Fail2Ban category") and issue 3's command. */
const REQUIRED_COMMANDS: Record<string, string> = {
  'dmsFail2ban.listBanned': 'Show Banned IPs',
  'dmsFail2ban.unban': 'Unban IP…',
  'dmsFail2ban.ban': 'Ban IP…',
  'dmsFail2ban.showLog': 'Show Log',
  'dmsFail2ban.showStatus': 'Show Jail Status',
  'dmsFail2ban.selectContainer': 'Select Mail Server Container',
  'dmsFail2ban.refresh': 'Refresh',
  'dmsFail2ban.addToIgnoreIp': 'Never Ban This Address',
  'dmsFail2ban.applyConfig': 'Apply Config to Running Container',
  'dmsFail2ban.showEffectiveConfig': 'Show Effective Configuration',
};

test('every required command has its exact id and title, in the Fail2Ban category', () => {
  for (const [id, title] of Object.entries(REQUIRED_COMMANDS)) {
    const command = contributes.commands.find((candidate) => candidate.command === id);
    assert.ok(command, `${id} is not contributed`);
    assert.equal(command.title, title, id);
    assert.equal(command.category, 'Fail2Ban', id);
  }
});

test('every command the extension registers is contributed, and menus name only contributed commands', () => {
  const source = readFileSync(join(ROOT, 'client', 'src', 'bans', 'commands.ts'), 'utf8');
  const registered = [...source.matchAll(/^\s+'(dmsFail2ban\.\w+)': /gm)].map((match) => match[1]);
  // the jail lab registers its commands in its own modules (jailLab, whyBanned, activity, logDocument)
  for (const file of readdirSync(join(ROOT, 'client', 'src', 'lab')).filter((name) => name.endsWith('.ts'))) {
    const lab = readFileSync(join(ROOT, 'client', 'src', 'lab', file), 'utf8');
    registered.push(...[...lab.matchAll(/^export const \w+_COMMAND = '(dmsFail2ban\.\w+)';/gm)].map((match) => match[1]));
  }
  // so does the live context controller
  const live = readFileSync(join(ROOT, 'client', 'src', 'liveContextController.ts'), 'utf8');
  registered.push(...[...live.matchAll(/^export const \w+_COMMAND = '(dmsFail2ban\.\w+)';/gm)].map((match) => match[1]));
  assert.ok(registered.length >= Object.keys(REQUIRED_COMMANDS).length);
  const contributed = new Set(contributes.commands.map((command) => command.command));
  assert.deepEqual(registered.filter((id) => !contributed.has(id)), []);
  assert.deepEqual([...contributed].filter((id) => !registered.includes(id)), [], 'a contributed command nobody registers');
  const inMenus = Object.values(contributes.menus).flatMap((entries) => entries.map((entry) => entry.command));
  assert.deepEqual(inMenus.filter((id) => !contributed.has(id)), []);
});

test('settings of issues 3 and 4 are contributed with their types and defaults', () => {
  const settings = contributes.configuration.properties;
  const expected: Record<string, { type: string; default?: unknown }> = {
    // the version settings' enums and defaults are checked against the release registry in test/unit/knowledge/releases.test.ts
    'dmsFail2ban.fail2banVersion': { type: 'string', default: DEFAULT_FAIL2BAN_VERSION },
    'dmsFail2ban.dmsVersion': { type: 'string', default: DEFAULT_DMS_VERSION },
    'dmsFail2ban.rules': { type: 'object', default: {} },
    'dmsFail2ban.extraConfigDirs': { type: 'array', default: [] },
    'dmsFail2ban.trace.server': { type: 'string', default: 'off' },
    'dmsFail2ban.container': { type: 'string', default: '' },
    'dmsFail2ban.containerRuntime': { type: 'string', default: 'docker' },
    'dmsFail2ban.dockerContext': { type: 'string', default: '' },
    'dmsFail2ban.dockerHost': { type: 'string', default: '' },
    'dmsFail2ban.servers': { type: 'array', default: [] },
    'dmsFail2ban.commandTimeoutSeconds': { type: 'number' },
    'dmsFail2ban.confirmActions': { type: 'boolean', default: true },
    'dmsFail2ban.autoRefreshSeconds': { type: 'number' },
  };
  for (const [key, want] of Object.entries(expected)) {
    const setting = settings[key];
    assert.ok(setting, `${key} is not contributed`);
    assert.equal(setting.type, want.type, key);
    if ('default' in want) assert.deepEqual(setting.default, want.default, key);
  }
  assert.deepEqual(settings['dmsFail2ban.fail2banVersion'].enum?.slice().sort(), ['1.0.2', '1.1.0', '1.1.1']);
  assert.ok(settings['dmsFail2ban.autoRefreshSeconds'].default !== undefined);
});

test('an untrusted workspace cannot choose the program, the daemon or the servers', () => {
  const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
  for (const key of ['dmsFail2ban.containerRuntime', 'dmsFail2ban.dockerHost', 'dmsFail2ban.dockerContext', 'dmsFail2ban.servers']) {
    const scope = contributes.configuration.properties[key].scope;
    assert.ok(restricted.includes(key) || scope === 'machine' || scope === 'application', `${key} can be set by an untrusted workspace`);
  }
  assert.equal(contributes.configuration.properties['dmsFail2ban.containerRuntime'].scope, 'machine', 'a workspace never picks the executable');
});

test('the language claims only fail2ban files, never .cf/.conf/.local in general', () => {
  const language = contributes.languages.find((candidate) => candidate.id === 'fail2ban');
  assert.ok(language);
  assert.ok(language.aliases?.includes('Fail2Ban'));
  assert.deepEqual(language.extensions ?? [], []);
  assert.deepEqual(language.filenames?.slice().sort(), ['fail2ban-fail2ban.cf', 'fail2ban-jail.cf']);
  for (const pattern of language.filenamePatterns ?? []) {
    assert.match(pattern, /^\*\*\/fail2ban\//, `${pattern} is not anchored in a fail2ban folder`);
  }
});

test('activation: only the language (implicit), the view, the commands and the task type; nothing at start-up', () => {
  const events = manifest.activationEvents ?? [];
  assert.deepEqual(events.filter((event) => event === '*' || event === 'onStartupFinished' || event.startsWith('workspaceContains')), []);
  for (const event of events) assert.match(event, /^(onCommand:dmsFail2ban\.|onView:dmsFail2ban\.|onLanguage:fail2ban$|onTaskType:dms-fail2ban$)/, event);
});

test('the Fail2Ban view lives in its own activity-bar container and has a welcome for every empty state', () => {
  assert.ok(contributes.viewsContainers.activitybar.some((container) => container.id === 'dmsFail2ban' && container.title === 'Fail2Ban'));
  assert.ok(contributes.views.dmsFail2ban.some((view) => view.id === 'dmsFail2ban.bans'));
  // viewState() values other than 'ready' leave the tree empty: each needs a welcome with a button.
  const emptyStates: ViewState[] = ['loading', 'noContainer', 'stopped', 'paused', 'daemonDown', 'dockerUnavailable'];
  for (const state of emptyStates) {
    const welcome = contributes.viewsWelcome.find((entry) => entry.view === 'dmsFail2ban.bans' && entry.when.includes(`dmsFail2ban.state == ${state}`));
    assert.ok(welcome, `no welcome view for state '${state}'`);
    assert.match(welcome.contents, /\]\(command:/, `the '${state}' welcome has no button`);
  }
});

test('each welcome text fits its reason: its first button is the fix for that state', () => {
  const firstButton = (state: ViewState) =>
    /\[([^\]]+)\]\(([^)]+)\)/.exec(contributes.viewsWelcome.find((entry) => entry.when.includes(`dmsFail2ban.state == ${state}`))?.contents ?? '')?.slice(1, 3);
  assert.deepEqual(firstButton('daemonDown'), ['How to Start Docker', 'https://docs.docker.com/engine/daemon/start/']);
  assert.deepEqual(firstButton('stopped'), ['Start Mail Server Container…', 'command:dmsFail2ban.startContainer']);
  assert.deepEqual(firstButton('paused'), ['Resume Mail Server Container…', 'command:dmsFail2ban.startContainer']);
  assert.deepEqual(firstButton('noContainer'), ['Select Mail Server Container', 'command:dmsFail2ban.selectContainer']);
});
