// Sanity checks of the knowledge tables against the real packages (fail2ban config/jail.conf, DMS target/fail2ban/)
// and of the 1.1.1 overlay, which has no local installation to cross-check against.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  actionHover,
  actionInfo,
  actionParamNames,
  backend,
  backendsFor,
  dmsFail2banVersion,
  dmsFixesLocal,
  dmsJailLocal,
  dmsLogPathExists,
  dmsLogPathMatches,
  filterHover,
  filterInfo,
  filterModes,
  filtersFor,
  interpolationVar,
  interpolationVarNames,
  isDmsLogDirectory,
  isValidFilterMode,
  jailOption,
  jailOptionHover,
  jailOptionNames,
  jailOptionOutsideVersion,
  logLevelValue,
  serverOption,
  serverOptionHover,
  stockJail,
  stockJailConf,
  stockJailDefaults,
  stockJailHover,
  stockJailNames,
  stockPathsConfs,
  stockFail2banConf,
  interpolationVarHover,
} from '../../../server/src/knowledge';
import { FAIL2BAN_VERSIONS } from '../../../server/src/types';
import { INSTALLATIONS, parseSections } from './support';

const PY = INSTALLATIONS.find((i) => i.version === '1.1.0')!;
const parse = (text: string) => parseSections(PY, text);

test('stock jail counts and version differences (config/jail.conf per version)', () => {
  assert.equal(stockJailNames('1.1.0').length, 94);
  assert.equal(stockJailNames('1.0.2').length, 91);
  for (const j of ['nginx-forbidden', 'routeros-auth', 'dante']) {
    assert.ok(stockJail(j, '1.1.0'));
    assert.equal(stockJail(j, '1.0.2'), undefined);
  }
  const added111 = ['openvpn', 'proxmox', 'vaultwarden', 'xrdp'];
  // real 1.1.1 jail.conf: the four new jails, nothing removed
  assert.deepEqual([...stockJailNames('1.1.1')].sort(), [...stockJailNames('1.1.0'), ...added111].sort());
  for (const j of added111) assert.equal(stockJail(j, '1.1.0'), undefined);
});

test("mail jails have the effective values of jail.conf with DMS's jail.local", () => {
  for (const version of ['1.0.2', '1.1.0'] as const) {
    assert.deepEqual(stockJail('postfix', version), {
      name: 'postfix',
      filter: 'postfix[mode=more]',
      port: 'smtp,465,submission',
      logpath: ['/var/log/mail.log'],
      backend: 'auto',
      options: stockJail('postfix', version)!.options,
    });
    assert.equal(stockJail('postfix-sasl', version)!.filter, 'postfix[mode=auth]');
    assert.equal(stockJail('postfix-rbl', version)!.filter, 'postfix[mode=rbl]');
    assert.equal(stockJail('dovecot', version)!.port, 'pop3,pop3s,imap,imaps,submission,465,sieve');
    assert.equal(stockJail('sshd', version)!.backend, 'auto');
    assert.deepEqual(stockJail('recidive', version)!.logpath, ['/var/log/fail2ban.log']);
  }
  assert.equal(stockJail('openhab-auth')!.filter, 'openhab');
  assert.equal(stockJail('pass2allow-ftp')!.filter, 'apache-pass[knocking_url="/knocking/"]');
  assert.equal(stockJail('Postfix'), undefined, 'section names are case-sensitive');
  assert.equal(stockJail('sshd', '1.1.1')!.backend, 'systemd');
  assert.deepEqual(stockJail('froxlor-auth', '1.1.1')!.logpath, ['/var/log/user.log']);
});

test('filter modes match filter.d per version; exim gains `more` in 1.1.1', () => {
  const expected: Record<string, string[]> = {
    'apache-auth': ['aggressive', 'normal'],
    dovecot: ['aggressive', 'normal'],
    exim: ['aggressive', 'normal'],
    freeswitch: ['ddos', 'extra', 'normal'],
    'nginx-http-auth': ['aggressive', 'auth', 'fallback', 'normal'],
    postfix: ['aggressive', 'auth', 'ddos', 'errors', 'extra', 'more', 'normal', 'rbl'],
    'sendmail-reject': ['aggressive', 'extra', 'normal'],
    sshd: ['aggressive', 'ddos', 'extra', 'normal'],
    'traefik-auth': ['aggressive', 'ddos', 'normal'],
  };
  for (const version of ['1.0.2', '1.1.0'] as const) {
    const withModes = Object.fromEntries(filtersFor(version).filter((f) => f.modeHasEffect).map((f) => [f.name, f.modes]));
    assert.deepEqual(withModes, expected);
  }
  assert.deepEqual(filterModes('exim', '1.1.1'), ['aggressive', 'more', 'normal']);
  assert.equal(filterInfo('postfix')!.defaultMode, 'more');
  assert.equal(filterInfo('freeswitch')!.defaultMode, 'extra');
  assert.equal(filterModes('sieve'), undefined);
  assert.ok(isValidFilterMode('postfix', 'Extra'));
  assert.ok(!isValidFilterMode('postfix', 'extraa'));
  assert.ok(isValidFilterMode('sieve', 'anything'), 'mode has no effect there');
});

test('filter facts: failure id in prefregex, include-only helpers, DMS custom filter', () => {
  assert.equal(filterInfo('sshd')!.prefregexHasFailureId, true);
  assert.equal(filterInfo('postfix')!.prefregexHasFailureId, false);
  for (const helper of ['apache-common', 'botsearch-common', 'common', 'exim-common', 'nginx-error-common']) {
    assert.equal(filterInfo(helper)!.hasFailregex, false, helper);
  }
  assert.equal(filterInfo('nginx-error-common', '1.0.2'), undefined);
  assert.equal(filterInfo('custom')!.hasFailregex, false);
  assert.equal(filterInfo('custom', '1.1.0', false), undefined);
  assert.ok(filterInfo('dovecot')!.journalmatch?.includes('dovecot.service'));
  assert.equal(filtersFor('1.1.0').length, 98);
  assert.ok(filterInfo('vaultwarden', '1.1.1'));
});

test('actions: DMS notes, versions, parameters', () => {
  assert.equal(actionInfo('nftables-allports')!.dmsNote, 'dms-default');
  assert.equal(actionInfo('nftables-multiport')!.dmsNote, 'dms-nftables');
  assert.equal(actionInfo('iptables-multiport')!.dmsNote, 'iptables-in-container');
  assert.equal(actionInfo('sendmail')!.dmsNote, undefined);
  assert.ok(actionInfo('mikrotik', '1.1.0'));
  assert.equal(actionInfo('mikrotik', '1.0.2'), undefined);
  assert.ok(actionInfo('csf', '1.1.1'));
  assert.equal(actionInfo('csf', '1.1.0'), undefined);
  assert.equal(actionInfo('nftables')!.init.blocktype, 'reject');
  assert.equal(actionInfo('nftables')!.init['addr_set?family=inet6'], 'addr6-set-<name>');
  assert.equal(actionInfo('nftables', '1.1.1')!.init.addr_options, '<sp>flags interval\\;');
  assert.equal(actionInfo('iptables')!.init.chain, 'INPUT');
  const params = actionParamNames('nftables-allports');
  for (const p of ['blocktype', 'port', 'protocol', 'addr_set', 'type', 'name', 'actname']) assert.ok(params.includes(p), p);
  assert.ok(!params.some((p) => p.includes('?')));
  assert.ok(actionInfo('smtp.py')!.python);
});

test('jail options: lookups, versions, stock defaults', () => {
  assert.equal(jailOption('MaxRetry')!.name, 'maxretry');
  assert.equal(jailOption('maxretry')!.stockDefault, '5');
  assert.equal(jailOption('bantime')!.stockDefault, '10m');
  assert.equal(jailOption('maxmatches')!.stockDefault, '%(maxretry)s');
  assert.equal(jailOption('port'), undefined, 'port is an interpolation variable, not read by the jail reader');
  assert.equal(jailOption('skip_if_nologs', '1.1.0'), undefined);
  assert.ok(jailOption('skip_if_nologs', '1.1.1'));
  assert.equal(jailOptionOutsideVersion('skip_if_nologs', '1.1.0')!.since, '1.1.1');
  assert.equal(jailOptionNames('1.1.0').length, 29);
  assert.equal(jailOptionNames('1.1.1').length, 31);
  assert.deepEqual(jailOption('usedns')!.enumValues, ['yes', 'warn', 'no', 'raw']);
  assert.equal(jailOption('enabled')!.badValue, 'coerced');
  assert.equal(jailOption('filter')!.badValue, 'jail-dropped');
});

test('interpolation variables per version', () => {
  assert.equal(interpolationVar('banaction', '1.1.0')!.defaults['1.1.0'], 'iptables-multiport');
  assert.equal(interpolationVar('banaction', '1.1.1')!.defaults['1.1.1'], 'nftables');
  assert.equal(interpolationVar('MODE')!.defaults['1.1.0'], 'normal');
  assert.equal(interpolationVar('postfix_log')!.defaults['1.1.0'], '%(syslog_mail_warn)s');
  assert.equal(interpolationVar('syslog_mail')!.source, 'paths-debian.conf');
  assert.equal(interpolationVar('fail2ban_version', '1.0.2')!.defaults['1.0.2'], '1.0.2');
  assert.equal(interpolationVar('maxretry'), undefined, 'read options live in jailOptions');
  const names = interpolationVarNames('1.1.0');
  for (const n of ['action_', 'action_mw', 'action_mwl', 'port', 'protocol', 'chain', '__name__', 'dovecot_log']) assert.ok(names.includes(n), n);
});

test('server options, log levels, backends', () => {
  assert.equal(serverOption('LogLevel')!.name, 'loglevel');
  assert.equal(serverOption('stacksize', 'Thread')!.section, 'Thread');
  assert.equal(serverOption('stacksize', 'Definition'), undefined);
  assert.equal(serverOption('dbpurgeage', 'DEFAULT')!.readerDefault, '1d');
  assert.equal(logLevelValue('debug'), 10);
  assert.equal(logLevelValue('NOTICE'), 25);
  assert.equal(logLevelValue('17'), 17);
  for (const bad of ['TRACE', 'HEAVY', 'VERBOSE', '-1']) assert.equal(logLevelValue(bad), undefined, bad);
  assert.deepEqual(backendsFor('1.0.2').map((b) => b.name), ['auto', 'pyinotify', 'gamin', 'polling', 'systemd']);
  assert.equal(backend('gamin', '1.1.0'), undefined);
  assert.equal(backend('Systemd')!.name, 'systemd');
  assert.ok(!backend('systemd', '1.1.0')!.params.some((p) => p.name === 'rotated'));
  assert.ok(backend('systemd', '1.1.1')!.params.some((p) => p.name === 'rotated'));
});

test('stock texts of every version parse with configparser; 1.1.1 moves banaction to paths', () => {
  for (const version of FAIL2BAN_VERSIONS) {
    const jail = parse(stockJailConf(version));
    assert.deepEqual(jail.sections.filter((s) => s !== 'INCLUDES'), stockJailNames(version), version);
    for (const file of stockPathsConfs(version)) assert.ok(parse(file.text).sections.includes('INCLUDES') || file.path.endsWith('common.conf'));
    assert.deepEqual(parse(stockFail2banConf(version)).sections, ['Definition', 'Thread']);
  }
  const j111 = parse(stockJailConf('1.1.1'));
  assert.equal(j111.defaults.banaction, undefined);
  assert.equal(parse(stockPathsConfs('1.1.1')[1].text).defaults.banaction, 'nftables');
  // tag 1.1.1 sets banaction only in paths-debian.conf (paths-common.conf got one after the tag, fail2ban gh-4224)
  assert.equal(parse(stockPathsConfs('1.1.1')[0].text).defaults.banaction, undefined);
  assert.equal(parse(stockPathsConfs('1.1.1')[1].text).defaults.postfix_backend, 'systemd');
  assert.equal(parse(stockPathsConfs('1.1.1')[1].text).defaults.sshd_backend, 'systemd');
  assert.equal(j111.own.openvpn.port, '443');
  assert.equal(stockJailDefaults('1.1.1').banaction_allports, 'nftables[type=allports]');
  assert.equal(stockJailDefaults('1.1.0').banaction, 'iptables-multiport');
});

test('DMS layers per version', () => {
  assert.equal(dmsFail2banVersion('v16'), '1.1.1');
  assert.equal(dmsFail2banVersion('edge'), '1.1.1');
  assert.equal(dmsFail2banVersion('v15.1.0'), '1.1.0');
  assert.equal(dmsFail2banVersion('v14'), '1.0.2');
  // v16 is modelled with master's jail.local (= v15.1.0's); see its registry source note
  assert.equal(dmsJailLocal('v16'), dmsJailLocal('v15.1.0'));
  const latest = parse(dmsJailLocal('v15.1.0'));
  assert.deepEqual(latest.sections, ['dovecot', 'postfix', 'custom']);
  assert.deepEqual(latest.defaults, { bantime: '1w', findtime: '1w', maxretry: '6', ignoreip: '127.0.0.1/8', banaction: 'nftables-allports' });
  assert.equal(latest.own.postfix.mode, 'extra');
  assert.equal(latest.own.custom.port, 'smtp,pop3,pop3s,imap,imaps,submission,submissions,sieve');
  assert.deepEqual(parse(dmsJailLocal('v15.0')).sections, ['dovecot', 'postfix', 'postfix-sasl', 'custom']);
  const oldest = parse(dmsJailLocal('v12.0'));
  assert.equal(oldest.defaults.bantime, '3h');
  assert.equal(oldest.own.postfix.mode, undefined);
  const fixes = parse(dmsFixesLocal('v15.1.0')!);
  assert.equal(fixes.own.Definition.allowipv6, 'auto;', 'the ; is part of the value');
});

test('log files in the DMS container match like Python glob', () => {
  for (const yes of ['/var/log/mail.log', '/var/log/mail/mail.log', '/var/log/mail/*.log', '/var/log/*.log', '/var/log/mail/mail.lo?', '/var/log/[m]ail.log', '/var/log//mail.log', '/var/log/fail2ban.log', '/var/log/supervisor/fail2ban.log', ' /var/log/mail.log ']) {
    assert.ok(dmsLogPathExists(yes), yes);
  }
  for (const no of ['/var/log/auth.log', 'var/log/mail.log', '/var/log/mail', '/var/log/*/*/mail.log', '/var/log/mail.warn', '/var/log/[!m]ail.log', '/var/log/syslog', '']) {
    assert.ok(!dmsLogPathExists(no), no);
  }
  assert.deepEqual(dmsLogPathMatches('/var/log/*.log').sort(), ['/var/log/fail2ban.log', '/var/log/mail.log']);
  assert.deepEqual(dmsLogPathMatches('/var/log/*/fail2ban.log').sort(), ['/var/log/mail/fail2ban.log', '/var/log/supervisor/fail2ban.log']);
  assert.ok(isDmsLogDirectory('/var/log/mail/'));
});

test('hover texts', () => {
  assert.match(jailOptionHover('bantime')!, /Stock default: `10m`/);
  assert.match(jailOptionHover('skip_if_nologs', '1.1.0')!, /not read by fail2ban 1\.1\.0/);
  assert.equal(jailOptionHover('nosuch'), undefined);
  assert.match(serverOptionHover('allowipv6')!, /fixes\.local/);
  assert.match(filterHover('postfix')!, /`extra`/);
  assert.match(actionHover('iptables-multiport')!, /inside the container/);
  assert.match(stockJailHover('postfix')!, /enabled by DMS/);
  assert.match(stockJailHover('sshd')!, /disabled unless/);
  assert.match(stockJailHover('custom')!, /manual-ban/);
  assert.match(interpolationVarHover('banaction')!, /nftables-allports/);
});
