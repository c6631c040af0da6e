// Variables of the stock jail [DEFAULT] that exist only to be referenced with %(name)s.
// source: fail2ban 1.1.0 config/jail.conf, config/paths-common.conf, config/paths-debian.conf
// (values: generated/stockConfigs.ts per version; docs: the comments of config/jail.conf).
import { DEFAULT_FAIL2BAN_VERSION, FAIL2BAN_VERSIONS, type Fail2banVersion } from '../types';
import { JAIL_OPTIONS } from './jailOptions';
import { stockJailConf, stockJailDefaults, stockPathsConfs } from './stockConfigs';

export interface InterpolationVarInfo {
  name: string;
  /** Raw stock default per version (absent: not defined in that version's stock files). */
  defaults: Partial<Record<Fail2banVersion, string>>;
  /** Markdown hover text. */
  doc: string;
  /** What references it (options or other variables). */
  usedBy: readonly string[];
  /** Where it is defined. */
  source: 'jail.conf' | 'paths-common.conf' | 'paths-debian.conf' | 'automatic';
}

interface VarDoc {
  doc: string;
  usedBy: readonly string[];
  source?: InterpolationVarInfo['source'];
}

const ACTIONS_USING_BANACTION = ['action_', 'action_mw', 'action_mwl', 'action_xarf', 'action'];

const VAR_DOCS: Readonly<Record<string, VarDoc>> = {
  mode: {
    doc:
      'Passed to the filter by the stock `filter = %(__name__)s[mode=%(mode)s]`. Valid values depend on the filter ' +
      '(postfix: `normal`, `more`, `rbl`, `auth`, `ddos`, `extra`, `aggressive`, `errors`; dovecot: `normal`, `aggressive`). ' +
      '**No effect** when the jail\'s own `filter` hard-codes a mode (`[postfix-sasl]` = `postfix[mode=auth]`, `[postfix-rbl]` = `postfix[mode=rbl]`) ' +
      'or when the filter has no modes. DMS sets `[postfix] mode = extra`; stock `[postfix]` uses `more`.',
    usedBy: ['filter'],
  },
  destemail: { doc: 'Recipient of the mail actions (`action_mw`, `action_mwl`, `action_cf_mwl`).', usedBy: ['action_mw', 'action_mwl', 'action_cf_mwl'] },
  sender: { doc: 'Sender address of the mail actions and of `action_blocklist_de`.', usedBy: ['action_mw', 'action_mwl', 'action_xarf', 'action_cf_mwl', 'action_blocklist_de'] },
  mta: {
    doc: 'Mail program of the mail actions: `sendmail` or `mail` (it picks action files `%(mta)s-whois`, `%(mta)s-whois-lines`).',
    usedBy: ['action_mw', 'action_mwl', 'action_cf_mwl'],
  },
  protocol: { doc: 'Protocol passed to the ban action: `tcp` (default), `udp` or a comma list (iptables also `icmp`, `all`).', usedBy: ['action_', 'action_mw', 'action_mwl'] },
  chain: {
    doc: 'Firewall chain passed to the ban action. Stock `<known/chain>` keeps the action\'s own default (nftables: `f2b-chain`, iptables: `INPUT`).',
    usedBy: ['action_', 'action_mw', 'action_mwl'],
  },
  port: {
    doc:
      'Ports the ban action blocks: comma list of numbers, service names (`smtp`, `imaps`, …) or ranges `a:b`. Default `0:65535`. ' +
      'Extend in a jail with `port = %(known/port)s,2525`. With `nftables-allports` (DMS default) every port is blocked anyway.',
    usedBy: ['action_', 'action_xarf'],
  },
  fail2ban_agent: { doc: 'User agent of `action_blocklist_de`.', usedBy: ['action_blocklist_de'] },
  banaction: {
    doc:
      'Action file used by the default `action` (`%(action_)s`). DMS sets `nftables-allports` (block all ports); `nftables-multiport` blocks only `port`. ' +
      '`iptables-*` actions work only inside the container (not on the host) and need legacy iptables support.',
    usedBy: ACTIONS_USING_BANACTION,
  },
  banaction_allports: {
    doc: 'Action for jails that block all ports (`recidive`, `pam-generic`, `openhab-auth`, `oracleims`, `scanlogd`).',
    usedBy: ['banaction'],
  },
  action_: { doc: 'Ban only: `%(banaction)s[port="%(port)s", protocol="%(protocol)s", chain="%(chain)s"]`. The stock `action`.', usedBy: ['action'] },
  action_mw: { doc: 'Ban and mail a whois report to `destemail`.', usedBy: ['action'] },
  action_mwl: {
    doc: 'Ban and mail a whois report with the matching log lines. Needs `logpath` (DMS `[custom]` has none → interpolation error).',
    usedBy: ['action'],
  },
  action_xarf: { doc: 'Ban and send an X-ARF abuse report. Needs `logpath`.', usedBy: ['action'] },
  action_cf_mwl: {
    doc: 'Cloudflare ban plus whois mail. **Requires `cfemail` and `cfapikey`**, which are defined nowhere: using it without them stops fail2ban.',
    usedBy: ['action'],
  },
  action_blocklist_de: {
    doc: 'Report to blocklist.de. **Requires `blocklist_de_apikey`**; using it without that variable stops fail2ban.',
    usedBy: ['action'],
  },
  action_abuseipdb: { doc: 'Report to AbuseIPDB (needs the `abuseipdb_apikey` action parameter).', usedBy: ['action'] },
  syslog_mail: { doc: 'The mail log; `/var/log/mail.log`, which DMS links to `/var/log/mail/mail.log`.', usedBy: ['syslog_mail_warn', 'postfix_log', 'dovecot_log'] },
  syslog_mail_warn: { doc: 'Mail warnings log (Debian: same as `syslog_mail`).', usedBy: ['postfix_log'] },
  postfix_log: { doc: 'Log of the postfix jails (→ `/var/log/mail.log`).', usedBy: ['logpath'] },
  dovecot_log: { doc: 'Log of the dovecot jail (→ `/var/log/mail.log`).', usedBy: ['logpath'] },
  default_backend: { doc: 'Backend the `*_backend` variables default to (`%(default/backend)s`).', usedBy: ['backend'] },
  __name__: { doc: 'The name of the section being read (the jail name).', usedBy: ['filter', 'action_xarf', 'action_blocklist_de'], source: 'automatic' },
  fail2ban_version: { doc: 'The running fail2ban version, e.g. `1.1.0` (set by the jail reader).', usedBy: ['fail2ban_agent'], source: 'automatic' },
  fail2ban_confpath: { doc: 'The config directory, `/etc/fail2ban` (set by the jail reader).', usedBy: ['ignorecommand'], source: 'automatic' },
};

const AUTOMATIC: Readonly<Record<string, (v: Fail2banVersion) => string>> = {
  __name__: () => '<jail name>',
  fail2ban_version: (v) => v,
  fail2ban_confpath: () => '/etc/fail2ban',
};

const JAIL_OPTION_NAMES = new Set(JAIL_OPTIONS.map((o) => o.name));

function genericDoc(name: string): VarDoc {
  if (name.endsWith('_log')) return { doc: `Log path variable from \`paths-*.conf\`, used by the stock jail(s) via \`logpath = %(${name})s\`.`, usedBy: ['logpath'] };
  if (name.endsWith('_backend')) return { doc: `Backend variable from \`paths-*.conf\`, used by the stock jail(s) via \`backend = %(${name})s\`.`, usedBy: ['backend'] };
  if (name.startsWith('syslog_')) return { doc: 'Syslog file variable from `paths-*.conf`.', usedBy: ['logpath'] };
  return { doc: 'Variable of the stock `[DEFAULT]`.', usedBy: [] };
}

/** The [DEFAULT] part of a stripped stock text. */
function defaultPart(text: string): string {
  const m = /^\[DEFAULT\]\n([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text);
  return m ? m[1] : '';
}

/** The stock file whose [DEFAULT] defines `name` last (the one whose value wins). */
function sourceOf(name: string, version: Fail2banVersion): InterpolationVarInfo['source'] {
  const keyLine = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[=:]`, 'm');
  return stockDefaultParts(version).find(([, text]) => keyLine.test(text))?.[0] ?? 'paths-common.conf';
}

/** The [DEFAULT] parts sourceOf searches, cut once per version (not once per variable). */
const defaultPartsByVersion = new Map<Fail2banVersion, [InterpolationVarInfo['source'], string][]>();
function stockDefaultParts(version: Fail2banVersion): [InterpolationVarInfo['source'], string][] {
  let parts = defaultPartsByVersion.get(version);
  if (!parts) {
    parts = [
      ['jail.conf', defaultPart(stockJailConf(version))],
      ['paths-debian.conf', defaultPart(stockPathsConfs(version)[1].text)],
    ];
    defaultPartsByVersion.set(version, parts);
  }
  return parts;
}

/** The entry of a stock variable first defined in `firstVersion` (its defaults are filled in by the caller). */
function stockVarInfo(name: string, firstVersion: Fail2banVersion): InterpolationVarInfo {
  const d = VAR_DOCS[name] ?? genericDoc(name);
  let source = d.source;
  return {
    name,
    defaults: {},
    doc: d.doc,
    usedBy: d.usedBy,
    // looked up when shown (hover): checks never read it, and it takes a regular expression per variable
    get source() {
      return (source ??= sourceOf(name, firstVersion));
    },
  };
}

function automaticVarInfo(name: string, value: (v: Fail2banVersion) => string): InterpolationVarInfo {
  const d = VAR_DOCS[name];
  return {
    name,
    defaults: Object.fromEntries(FAIL2BAN_VERSIONS.map((v) => [v, value(v)])),
    doc: d.doc,
    usedBy: d.usedBy,
    source: 'automatic',
  };
}

function build(): Map<string, InterpolationVarInfo> {
  const out = new Map<string, InterpolationVarInfo>();
  for (const version of FAIL2BAN_VERSIONS) {
    for (const [name, value] of Object.entries(stockJailDefaults(version))) {
      if (JAIL_OPTION_NAMES.has(name)) continue; // read by the jail reader: see jailOptions.ts
      let info = out.get(name);
      if (!info) {
        info = stockVarInfo(name, version);
        out.set(name, info);
      }
      info.defaults[version] = value;
    }
  }
  for (const [name, value] of Object.entries(AUTOMATIC)) out.set(name, automaticVarInfo(name, value));
  return out;
}

/** What build() holds for `name`, made for that name alone. */
function buildOne(name: string): InterpolationVarInfo | undefined {
  if (Object.hasOwn(AUTOMATIC, name)) return automaticVarInfo(name, AUTOMATIC[name]);
  if (JAIL_OPTION_NAMES.has(name)) return undefined;
  let info: InterpolationVarInfo | undefined;
  for (const version of FAIL2BAN_VERSIONS) {
    const defaults = stockJailDefaults(version);
    if (!Object.hasOwn(defaults, name)) continue;
    info ??= stockVarInfo(name, version);
    info.defaults[version] = defaults[name];
  }
  return info;
}

/** Built on first use: a CLI run that never asks (a server file) does not pay for it. */
let interpolationVars: ReadonlyMap<string, InterpolationVarInfo> | undefined;
function allInterpolationVars(): ReadonlyMap<string, InterpolationVarInfo> {
  return (interpolationVars ??= build());
}

/**
 * Names asked for before the whole table is built. A check asks for a few (the user's options that are no jail
 * option): each is made alone, not the table of every variable of every version. Past a few dozen names (a big
 * file) the table is built, as a lookup there is cheaper.
 */
const askedBeforeBuild = new Map<string, InterpolationVarInfo | undefined>();
const NAMES_BEFORE_BUILD = 32;

function interpolationVarNamed(key: string): InterpolationVarInfo | undefined {
  if (interpolationVars || askedBeforeBuild.size >= NAMES_BEFORE_BUILD) return allInterpolationVars().get(key);
  if (!askedBeforeBuild.has(key)) askedBeforeBuild.set(key, buildOne(key));
  return askedBeforeBuild.get(key);
}

/** A stock interpolation variable (case-insensitive) defined in `version`; undefined if none. */
export function interpolationVar(name: string, version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): InterpolationVarInfo | undefined {
  const key = name === '__name__' ? name : name.toLowerCase();
  const info = interpolationVarNamed(key);
  return info && info.defaults[version] !== undefined ? info : undefined;
}

/** Names of the variables defined in `version` (for completion inside `%(…)s`). */
export function interpolationVarNames(version: Fail2banVersion = DEFAULT_FAIL2BAN_VERSION): string[] {
  return [...allInterpolationVars().values()].filter((v) => v.defaults[version] !== undefined).map((v) => v.name);
}
