'use strict';
// The stand-in `docker` CLI: global flags, then ps / inspect / exec / cp / start / unpause / version / info / context.
const { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');
const { DOCKER_MESSAGES } = require('./dockerMessages');
const { render, check, goJson, TemplateError } = require('./goTemplate');
const {
  loadState, logInvocation, resolveEndpoint, findDaemon, visibleContainers, findContainer, contextHash, updateContainer,
} = require('./state');
const { parseExecArgs, runInContainer } = require('./exec');
const { toHostPath } = require('./containerProcess');

const CLIENT = { version: '27.3.1', apiVersion: '1.47', gitCommit: 'ce12230', goVersion: 'go1.22.7', built: 'Fri Sep 20 11:41:00 2024' };
const SERVER_GIT_COMMIT = '41ca978';

/** Global flags of the docker CLI that take a value. */
const GLOBAL_VALUED = { '--context': 'context', '-c': 'context', '--host': 'host', '-H': 'host', '--config': 'config', '--log-level': 'logLevel', '-l': 'logLevel', '--tlscacert': 'tls', '--tlscert': 'tls', '--tlskey': 'tls' };
const GLOBAL_BOOL = ['-D', '--debug', '--tls', '--tlsverify'];

function parseGlobals(argv) {
  const globals = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-v' || arg === '--version') return { globals, command: '--version', args: [] };
    if (GLOBAL_BOOL.includes(arg)) continue;
    const [flag, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (GLOBAL_VALUED[flag]) {
      const value = inline ?? argv[++i];
      if (value === undefined) return { error: DOCKER_MESSAGES.flagNeedsArgument({ flag, command: '' }) };
      globals[GLOBAL_VALUED[flag]] = value;
      continue;
    }
    break;
  }
  return { globals, command: argv[i], args: argv.slice(i + 1) };
}

/** `docker container ls` etc. are the same commands. */
const CONTAINER_SUBCOMMANDS = { ls: 'ps', list: 'ps', ps: 'ps', exec: 'exec', inspect: 'inspect', cp: 'cp', start: 'start', unpause: 'unpause' };

function fail(message) {
  if (message.stdout) process.stdout.write(message.stdout);
  if (message.stderr) process.stderr.write(message.stderr);
  return message.exitCode;
}

/** Daemon reachable at this invocation's endpoint? Returns the daemon or an exit status already reported. */
function connect(state, globals, env) {
  const resolved = resolveEndpoint(state, globals, env);
  if (resolved.error === 'conflictingHostContext') return { exit: fail(DOCKER_MESSAGES.conflictingHostContext()) };
  if (resolved.error === 'contextNotFound') {
    return { exit: fail(DOCKER_MESSAGES.contextNotFound({ name: resolved.contextName, hash: contextHash(resolved.contextName) })) };
  }
  const daemon = findDaemon(state, resolved.endpoint);
  if (!daemon || daemon.failure === 'daemon-unreachable') {
    return { exit: fail(DOCKER_MESSAGES.daemonUnreachable({ endpoint: resolved.endpoint })), resolved };
  }
  if (daemon.failure === 'permission-denied') return { exit: fail(DOCKER_MESSAGES.permissionDenied({ endpoint: resolved.endpoint })), resolved };
  if (daemon.failure === 'daemon-timeout') return { hang: true };
  return { daemon, endpoint: resolved.endpoint, contextName: resolved.contextName };
}

// ---------------------------------------------------------------------------------------------- time helpers

/** Go's units.HumanDuration, as used in "Up 2 hours" and "2 hours ago". */
function humanDuration(ms) {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.round(minutes / 60);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

/** "2024-05-01 10:00:00 +0000 UTC" (Go's time.String for UTC). */
function goTimeString(iso) {
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

function statusText(container, now) {
  if (container.status === 'running' || container.status === 'paused') {
    const health = container.health ? ` (${container.health})` : '';
    const paused = container.status === 'paused' ? ' (Paused)' : health;
    return `Up ${humanDuration(now - Date.parse(container.startedAt))}${paused}`;
  }
  if (container.status === 'created') return 'Created';
  return `Exited (${container.exitCode ?? 0}) ${humanDuration(now - Date.parse(container.finishedAt ?? container.startedAt))} ago`;
}

/** formatter.Ellipsis: cut to `width` runes with a trailing "…". */
function ellipsis(text, width) {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}

function labelsText(labels) {
  return Object.keys(labels ?? {}).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

// ---------------------------------------------------------------------------------------------- table output

/** text/tabwriter as docker configures it: minwidth 10, padding 3, last column not padded. */
function tabwrite(rows) {
  const cells = rows.map((row) => row.split('\t'));
  const widths = [];
  for (const row of cells) {
    row.forEach((cell, index) => {
      if (index < row.length - 1) widths[index] = Math.max(widths[index] ?? 0, [...cell].length + 3, 10);
    });
  }
  return cells.map((row) => row.map((cell, index) => (index < row.length - 1 ? cell.padEnd(widths[index]) : cell)).join('')).join('\n');
}

/** docker's formatter: `table` prefix, `json` keyword, and \t \n escapes. */
function formatRows(format, rows, headers, defaultTable) {
  let template = format ?? defaultTable;
  if (template === 'json') template = '{{json .}}';
  let table = false;
  if (template === 'table') template = defaultTable;
  if (template.startsWith('table')) {
    table = true;
    template = template.replace(/^table\s*/, '');
  }
  template = template.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  check(template);
  const rendered = rows.map((row) => render(template, row));
  if (!table) return rendered.map((line) => `${line}\n`).join('');
  const header = render(template, headers);
  return `${tabwrite([header, ...rendered])}\n`;
}

// ---------------------------------------------------------------------------------------------- docker ps

const PS_DEFAULT_TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
const PS_HEADERS = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED', Ports: 'PORTS',
  State: 'STATE', Status: 'STATUS', Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS', Mounts: 'MOUNTS', Networks: 'NETWORKS',
  LocalVolumes: 'LOCAL VOLUMES', Label: 'LABEL',
};

/** The row object of formatter.ContainerContext: fields are methods; unknown ones are template errors. */
function psContext(container, { noTrunc, now }) {
  const fields = {
    Command: () => `"${noTrunc ? container.command : ellipsis(container.command, 20)}"`,
    CreatedAt: () => goTimeString(container.createdAt),
    ID: () => (noTrunc ? container.id : container.id.slice(0, 12)),
    Image: () => container.image,
    Labels: () => labelsText(container.labels),
    LocalVolumes: () => '0',
    Mounts: () => (container.mounts ?? []).map((m) => m.name ?? ellipsis(m.source, 15)).join(','),
    Names: () => container.name,
    Networks: () => (container.networks ?? ['bridge']).join(','),
    Ports: () => container.ports ?? '',
    RunningFor: () => `${humanDuration(now - Date.parse(container.createdAt))} ago`,
    Size: () => '0B',
    State: () => container.status,
    Status: () => statusText(container, now),
  };
  return {
    __type: '*formatter.ContainerContext',
    __methods: fields,
    __methodsWithArgs: { Label: (key) => (container.labels ?? {})[key] ?? '' },
    __json: () => Object.fromEntries(Object.keys(fields).sort().map((k) => [k, fields[k]()])),
  };
}

const PS_FILTER_KEYS = ['label', 'name', 'id', 'status', 'ancestor', 'before', 'since', 'exited', 'health', 'network', 'volume', 'publish', 'expose', 'is-task', 'isolation'];

function matchesFilters(container, filters) {
  const byKey = {};
  for (const { key, value } of filters) (byKey[key] ??= []).push(value);
  for (const [key, values] of Object.entries(byKey)) {
    if (key === 'label') {
      // every label filter must match
      const ok = values.every((v) => {
        const eq = v.indexOf('=');
        const name = eq < 0 ? v : v.slice(0, eq);
        const labels = container.labels ?? {};
        return eq < 0 ? name in labels : labels[name] === v.slice(eq + 1);
      });
      if (!ok) return false;
    } else if (key === 'name') {
      if (!values.some((v) => new RegExp(v).test(`/${container.name}`))) return false;
    } else if (key === 'id') {
      if (!values.some((v) => container.id.startsWith(v))) return false;
    } else if (key === 'status') {
      if (!values.includes(container.status)) return false;
    } else if (key === 'ancestor') {
      if (!values.some((v) => container.image === v || container.image.split(':')[0] === v)) return false;
    } else if (key === 'health') {
      if (!values.includes(container.health ?? 'none')) return false;
    }
  }
  return true;
}

function dockerPs(state, connection, args) {
  let all = false;
  let quiet = false;
  let noTrunc = false;
  let format;
  const filters = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') ? args[i].split(/=(.*)/s, 2) : [args[i], undefined];
    const value = () => inline ?? args[++i];
    if (flag === '-a' || flag === '--all') all = true;
    else if (flag === '-q' || flag === '--quiet') quiet = true;
    else if (flag === '--no-trunc') noTrunc = true;
    else if (flag === '-aq' || flag === '-qa') all = quiet = true;
    else if (flag === '--format') format = value();
    else if (flag === '-f' || flag === '--filter') {
      const raw = value() ?? '';
      const eq = raw.indexOf('=');
      if (eq < 0) return fail({ stderr: `invalid argument "${raw}" for "-f, --filter" flag: bad format of filter (expected name=value)\nSee 'docker ps --help'.\n`, exitCode: 125 });
      filters.push({ key: raw.slice(0, eq), value: raw.slice(eq + 1) });
    } else if (flag === '-s' || flag === '--size' || flag === '-l' || flag === '--latest') {
      // accepted, no effect here
    } else if (flag === '-n' || flag === '--last') {
      value();
    } else {
      return fail(DOCKER_MESSAGES.unknownFlag({ flag, command: 'ps' }));
    }
  }
  const badKey = filters.find((f) => !PS_FILTER_KEYS.includes(f.key));
  if (badKey) return fail(DOCKER_MESSAGES.invalidFilter({ key: badKey.key }));
  const now = Date.now();
  const shown = visibleContainers(state, connection.endpoint)
    .filter((c) => all || ['running', 'paused', 'restarting'].includes(c.status))
    .filter((c) => matchesFilters(c, filters))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const rows = shown.map((c) => psContext(c, { noTrunc, now }));
  const template = quiet ? '{{.ID}}' : format;
  process.stdout.write(formatRows(template, rows, { __methods: mapValues(PS_HEADERS, (h) => () => h), __methodsWithArgs: { Label: () => 'LABEL' } }, PS_DEFAULT_TABLE));
  return 0;
}

function mapValues(object, fn) {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, fn(v)]));
}

// ---------------------------------------------------------------------------------------------- docker inspect

/** Docker 27's endpoint of a container on the default bridge network. */
function defaultEndpoint() {
  return {
    IPAMConfig: null, Links: null, Aliases: null, MacAddress: '02:42:ac:11:00:02', DriverOpts: null, NetworkID: '0'.repeat(64),
    EndpointID: '1'.repeat(64), Gateway: '172.17.0.1', IPAddress: '172.17.0.2', IPPrefixLen: 16, IPv6Gateway: '',
    GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DNSNames: null,
  };
}

function inspectObject(container) {
  const running = container.status === 'running' || container.status === 'paused';
  const [entrypoint, ...args] = container.command.split(' ');
  return {
    Id: container.id,
    Created: container.createdAt,
    Path: entrypoint,
    Args: args,
    State: {
      Status: container.status,
      Running: running,
      Paused: container.status === 'paused',
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: running ? 4242 : 0,
      ExitCode: running ? 0 : container.exitCode ?? 0,
      Error: '',
      StartedAt: container.startedAt,
      FinishedAt: container.finishedAt ?? '0001-01-01T00:00:00Z',
      ...(container.health ? { Health: { Status: container.health, FailingStreak: 0, Log: [] } } : {}),
    },
    Image: container.imageId,
    Name: `/${container.name}`,
    RestartCount: 0,
    Driver: 'overlay2',
    Platform: 'linux',
    HostConfig: { CapAdd: container.capAdd ?? ['NET_ADMIN'], RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } },
    Mounts: (container.mounts ?? []).map((m) => ({ Type: 'bind', Source: m.source, Destination: m.destination, Mode: '', RW: true, Propagation: 'rprivate' })),
    Config: {
      Hostname: container.hostname ?? container.name,
      Domainname: '',
      User: '',
      Env: Object.entries(container.env ?? {}).map(([k, v]) => `${k}=${v}`),
      Cmd: args,
      Image: container.image,
      WorkingDir: '/',
      Entrypoint: [entrypoint],
      Labels: Object.fromEntries(Object.entries(container.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))),
    },
    NetworkSettings: { Networks: container.networkSettings ?? Object.fromEntries((container.networks ?? ['bridge']).map((n) => [n, defaultEndpoint()])) },
  };
}

function dockerInspect(state, connection, args) {
  let format;
  const names = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') ? args[i].split(/=(.*)/s, 2) : [args[i], undefined];
    if (flag === '-f' || flag === '--format') format = inline ?? args[++i];
    else if (flag === '--type') i += inline === undefined ? 1 : 0;
    else if (flag === '-s' || flag === '--size') continue;
    else if (flag.startsWith('-')) return fail(DOCKER_MESSAGES.unknownFlag({ flag, command: 'inspect' }));
    else names.push(args[i]);
  }
  if (names.length === 0) {
    return fail(DOCKER_MESSAGES.requiresArguments({ command: 'inspect', count: 1, usage: 'docker inspect [OPTIONS] NAME|ID [NAME|ID...]', description: 'Return low-level information on Docker objects' }));
  }
  const found = [];
  let errors = '';
  for (const name of names) {
    const container = findContainer(state, connection.endpoint, name);
    if (container) found.push(inspectObject(container));
    else errors += DOCKER_MESSAGES.noSuchObject({ name }).stderr;
  }
  if (format !== undefined) {
    if (format === 'json') format = '{{json .}}';
    check(format);
    process.stdout.write(found.map((o) => `${render(format, o)}\n`).join(''));
  } else {
    process.stdout.write(`${goJson(found, 4)}\n`);
  }
  if (errors) {
    process.stderr.write(errors);
    return 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------- version / info / context

function versionObject(state, connection) {
  const client = {
    Platform: { Name: 'Docker Engine - Community' }, Version: state.dockerVersion ?? CLIENT.version, ApiVersion: CLIENT.apiVersion,
    DefaultAPIVersion: CLIENT.apiVersion, GitCommit: CLIENT.gitCommit, GoVersion: CLIENT.goVersion, Os: 'linux', Arch: 'amd64',
    BuildTime: CLIENT.built, Context: connection?.contextName ?? 'default',
  };
  const server = connection?.daemon
    ? {
      Platform: { Name: 'Docker Engine - Community' },
      Components: [{ Name: 'Engine', Version: connection.daemon.version ?? client.Version, Details: { ApiVersion: CLIENT.apiVersion, MinAPIVersion: '1.24' } }],
      Version: connection.daemon.version ?? client.Version, ApiVersion: CLIENT.apiVersion, MinAPIVersion: '1.24', GitCommit: SERVER_GIT_COMMIT,
      GoVersion: CLIENT.goVersion, Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0-28-amd64', BuildTime: '2024-09-20T11:41:00.000000000+00:00',
    }
    : null;
  return { Client: client, Server: server };
}

function versionText(v) {
  const c = v.Client;
  let text = `Client: ${c.Platform.Name}\n Version:           ${c.Version}\n API version:       ${c.ApiVersion}\n Go version:        ${c.GoVersion}\n Git commit:        ${c.GitCommit}\n Built:             ${c.BuildTime}\n OS/Arch:           ${c.Os}/${c.Arch}\n Context:           ${c.Context}\n`;
  if (v.Server) {
    const s = v.Server;
    text += `\nServer: ${s.Platform.Name}\n Engine:\n  Version:          ${s.Version}\n  API version:      ${s.ApiVersion} (minimum version ${s.MinAPIVersion})\n  Go version:       ${s.GoVersion}\n  Git commit:       ${s.GitCommit}\n  Built:            ${CLIENT.built}\n  OS/Arch:          ${s.Os}/${s.Arch}\n  Experimental:     false\n`;
  }
  return text;
}

function dockerVersion(state, globals, env, args) {
  let format;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') ? args[i].split(/=(.*)/s, 2) : [args[i], undefined];
    if (flag === '-f' || flag === '--format') format = inline ?? args[++i];
    else return fail(DOCKER_MESSAGES.unknownFlag({ flag, command: 'version' }));
  }
  // the client part prints even when the daemon is unreachable; the exit status then is 1
  const resolved = resolveEndpoint(state, globals, env);
  const daemon = resolved.endpoint ? findDaemon(state, resolved.endpoint) : undefined;
  const healthy = daemon && !daemon.failure;
  const v = versionObject(state, healthy ? { daemon, contextName: resolved.contextName } : { contextName: resolved.contextName ?? 'default' });
  if (format !== undefined) {
    check(format);
    process.stdout.write(`${render(format, v)}\n`);
  } else {
    process.stdout.write(versionText(v));
  }
  if (healthy) return 0;
  if (daemon?.failure === 'daemon-timeout') return hang();
  const connection = connect(state, globals, env);
  return connection.exit ?? 1;
}

function dockerInfo(state, connection, args) {
  let format;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') ? args[i].split(/=(.*)/s, 2) : [args[i], undefined];
    if (flag === '-f' || flag === '--format') format = inline ?? args[++i];
    else return fail(DOCKER_MESSAGES.unknownFlag({ flag, command: 'info' }));
  }
  const containers = visibleContainers(state, connection.endpoint);
  const info = {
    ID: 'STANDIN', Containers: containers.length,
    ContainersRunning: containers.filter((c) => c.status === 'running').length,
    ContainersPaused: containers.filter((c) => c.status === 'paused').length,
    ContainersStopped: containers.filter((c) => c.status !== 'running' && c.status !== 'paused').length,
    ServerVersion: connection.daemon.version ?? state.dockerVersion ?? CLIENT.version, OperatingSystem: 'Debian GNU/Linux 12 (bookworm)',
    OSType: 'linux', Architecture: 'x86_64', Name: 'standin-host',
  };
  if (format !== undefined) {
    check(format);
    process.stdout.write(`${render(format, info)}\n`);
  } else {
    process.stdout.write(`Client: Docker Engine - Community\n Version:    ${CLIENT.version}\n Context:    ${connection.contextName}\n\nServer:\n Containers: ${info.Containers}\n  Running: ${info.ContainersRunning}\n  Paused: ${info.ContainersPaused}\n  Stopped: ${info.ContainersStopped}\n Server Version: ${info.ServerVersion}\n Operating System: ${info.OperatingSystem}\n`);
  }
  return 0;
}

const CONTEXT_DEFAULT_TABLE = 'table {{.Name}}{{if .Current}} *{{end}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}';

function dockerContext(state, globals, env, args) {
  const [sub, ...rest] = args;
  const current = globals.context ?? (env.DOCKER_CONTEXT || state.currentContext || 'default');
  const contexts = state.contexts?.length ? state.contexts : [{ name: 'default', description: 'Current DOCKER_HOST based configuration', endpoint: 'unix:///var/run/docker.sock' }];
  if (sub === 'show') {
    process.stdout.write(`${current}\n`);
    return 0;
  }
  if (sub === 'ls' || sub === 'list') {
    let format;
    let quiet = false;
    for (let i = 0; i < rest.length; i++) {
      const [flag, inline] = rest[i].startsWith('--') ? rest[i].split(/=(.*)/s, 2) : [rest[i], undefined];
      if (flag === '--format') format = inline ?? rest[++i];
      else if (flag === '-q' || flag === '--quiet') quiet = true;
      else return fail(DOCKER_MESSAGES.unknownFlag({ flag, command: 'context ls' }));
    }
    const rows = contexts.map((c) => {
      const fields = {
        Current: () => c.name === current, Description: () => c.description ?? '', DockerEndpoint: () => c.endpoint, Error: () => '', Name: () => c.name,
      };
      return { __type: '*formatter.ClientContext', __methods: fields, __json: () => Object.fromEntries(Object.keys(fields).sort().map((k) => [k, fields[k]()])) };
    });
    if (quiet) format = '{{.Name}}';
    if (format === undefined || format === 'table') {
      // `{{if}}` is not in the template subset: the default table is built directly
      const lines = ['NAME\tDESCRIPTION\tDOCKER ENDPOINT\tERROR', ...contexts.map((c) => `${c.name}${c.name === current ? ' *' : ''}\t${c.description ?? ''}\t${c.endpoint}\t`)];
      process.stdout.write(`${tabwrite(lines)}\n`);
      return 0;
    }
    process.stdout.write(formatRows(format, rows, { __methods: mapValues({ Current: 'CURRENT', Description: 'DESCRIPTION', DockerEndpoint: 'DOCKER ENDPOINT', Error: 'ERROR', Name: 'NAME' }, (h) => () => h) }, CONTEXT_DEFAULT_TABLE));
    return 0;
  }
  if (sub === 'use') {
    return fail(DOCKER_MESSAGES.notEmulated({ what: "'docker context use' (set currentContext in the state file)" }));
  }
  return fail(DOCKER_MESSAGES.notEmulated({ what: `'docker context ${sub ?? ''}'` }));
}

// ---------------------------------------------------------------------------------------------- docker cp

/** Size of the tar stream docker reports ("Successfully copied 2.05kB to …"). */
function tarSize(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return 512 + Math.ceil(stat.size / 512) * 512;
  const { readdirSync } = require('node:fs');
  return 512 + readdirSync(path).reduce((sum, entry) => sum + tarSize(join(path, entry)), 0);
}

/** units.HumanSizeWithPrecision(size, 3): decimal units, %.3g. */
function humanSize(bytes) {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < units.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${Number(size.toPrecision(3))}${units[unit]}`;
}

/** docker cp's destination rules: into an existing dir, else as the named path (parent must exist). */
function copyPath(source, destination, destinationEndsWithSlash) {
  const sourceIsDir = statSync(source).isDirectory();
  const copyContents = /\/\.$/.test(source);
  if (existsSync(destination) && statSync(destination).isDirectory()) {
    const target = sourceIsDir && copyContents ? destination : join(destination, basename(source));
    cpSync(source, target, { recursive: true, dereference: true, force: true });
    return;
  }
  if (destinationEndsWithSlash && !sourceIsDir) throw Object.assign(new Error('destination directory missing'), { code: 'NODIR' });
  if (!existsSync(dirname(destination))) throw Object.assign(new Error('parent missing'), { code: 'NOPARENT' });
  cpSync(source, destination, { recursive: true, dereference: true, force: true });
}

/** The 'cp-partial' mode: the first half of the file lands at the destination, then the daemon gives up. */
function copyHalf(source, destination, shownPath) {
  const target = existsSync(destination) && statSync(destination).isDirectory() ? join(destination, basename(source)) : destination;
  const data = readFileSync(source);
  writeFileSync(target, data.subarray(0, Math.ceil(data.length / 2)));
  return fail({ stderr: `Error response from daemon: Error processing tar file(exit status 1): write ${shownPath}: no space left on device\n`, exitCode: 1 });
}

function dockerCp(state, connection, args) {
  let quiet = false;
  const operands = [];
  for (const arg of args) {
    if (arg === '-q' || arg === '--quiet') quiet = true;
    else if (arg === '-a' || arg === '--archive' || arg === '-L' || arg === '--follow-link') continue;
    else if (arg.startsWith('-') && arg !== '-') return fail(DOCKER_MESSAGES.unknownFlag({ flag: arg, command: 'cp' }));
    else operands.push(arg);
  }
  if (operands.length !== 2) {
    return fail({ stderr: `"docker cp" requires exactly 2 arguments.\nSee 'docker cp --help'.\n\nUsage:  docker cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH\n\nCopy files/folders between a container and the local filesystem\n`, exitCode: 1 });
  }
  const split = (operand) => {
    const colon = operand.indexOf(':');
    return colon > 0 && !operand.startsWith('/') && !operand.startsWith('.') ? { container: operand.slice(0, colon), path: operand.slice(colon + 1) } : { path: operand };
  };
  const [from, to] = operands.map(split);
  if (from.container && to.container) return fail({ stderr: 'copying between containers is not supported\n', exitCode: 1 });
  if (!from.container && !to.container) return fail({ stderr: 'must specify at least one container source\n', exitCode: 1 });
  if (from.path === '-' || to.path === '-') return fail(DOCKER_MESSAGES.notEmulated({ what: "'docker cp' with a tar stream (-)" }));
  const containerRef = from.container ?? to.container;
  const container = findContainer(state, connection.endpoint, containerRef);
  if (!container) return fail(DOCKER_MESSAGES.noSuchContainer({ name: containerRef }));
  const containerPath = (p) => (p.startsWith('/') ? p : `/${p}`);
  try {
    if (from.container) {
      const source = toHostPath(container, containerPath(from.path));
      if (!existsSync(source)) return fail(DOCKER_MESSAGES.couldNotFindFile({ path: containerPath(from.path), name: container.name }));
      const real = realpathSync(source) + (/\/\.$/.test(from.path) ? '/.' : '');
      copyPath(real, to.path, to.path.endsWith('/'));
      if (!quiet) process.stderr.write(`Successfully copied ${humanSize(tarSize(real.replace(/\/\.$/, '')) + 1024)} to ${to.path}\n`);
    } else {
      if (!existsSync(from.path)) return fail(DOCKER_MESSAGES.hostPathMissing({ path: from.path }));
      const destination = toHostPath(container, containerPath(to.path));
      if (container.failure === 'cp-partial' && !statSync(from.path).isDirectory()) return copyHalf(from.path, destination, containerPath(to.path));
      copyPath(from.path, destination, to.path.endsWith('/'));
      if (!quiet) process.stderr.write(`Successfully copied ${humanSize(tarSize(from.path.replace(/\/\.$/, '')) + 1024)} to ${container.name}:${to.path}\n`);
    }
  } catch (err) {
    if (err.code === 'NOPARENT' || err.code === 'NODIR') {
      const missing = from.container ? dirname(to.path) : containerPath(dirname(to.path));
      return fail(from.container
        ? { stderr: `open ${to.path}: no such file or directory\n`, exitCode: 1 }
        : DOCKER_MESSAGES.couldNotFindFile({ path: err.code === 'NODIR' ? containerPath(to.path) : missing, name: container.name }));
    }
    return fail({ stderr: `Error response from daemon: ${err.message}\n`, exitCode: 1 });
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------- docker exec

async function dockerExec(state, connection, args, env) {
  const parsed = parseExecArgs(args);
  if (parsed.error) return fail(parsed.error);
  if (parsed.options.interactive && parsed.options.tty && !process.stdin.isTTY) return fail(DOCKER_MESSAGES.inputNotTty());
  const container = findContainer(state, connection.endpoint, parsed.container);
  if (!container) return fail(DOCKER_MESSAGES.noSuchContainer({ name: parsed.container }));
  if (container.status === 'paused') return fail(DOCKER_MESSAGES.containerPaused({ id: container.id }));
  if (container.status !== 'running') return fail(DOCKER_MESSAGES.containerNotRunning({ id: container.id }));
  return runInContainer(container, parsed.options, parsed.command, env);
}

// ---------------------------------------------------------------------------------------------- docker start / unpause

/**
 * `docker start NAME…` / `docker unpause NAME…` (docker 27.x): each started name is echoed on stdout; a failure is
 * reported per container and the run ends with `Error: failed to start containers: …` (exit 1). The new state is
 * written to the state file; the test process's setFailure(undefined) makes the record running again anyway.
 */
function startOrUnpause(verb) {
  return (state, connection, args, env) => {
    const names = args.filter((arg) => !arg.startsWith('-'));
    if (names.length === 0) return fail({ stderr: `"docker ${verb}" requires at least 1 argument.\n`, exitCode: 1 });
    const failed = [];
    for (const name of names) {
      const container = findContainer(state, connection.endpoint, name);
      let error;
      if (!container) error = `Error response from daemon: No such container: ${name}`;
      else if (verb === 'start' && container.status === 'paused') error = 'Error response from daemon: cannot start a paused container, try unpause instead';
      else if (verb === 'unpause' && container.status !== 'paused') error = `Error response from daemon: Container ${container.id} is not paused`;
      if (error) {
        process.stderr.write(`${error}\n`);
        failed.push(name);
        continue;
      }
      if (container.status !== 'running') updateContainer(env, container.id, { status: 'running', ...(verb === 'start' ? { startedAt: new Date().toISOString() } : {}) });
      process.stdout.write(`${name}\n`);
    }
    if (failed.length === 0) return 0;
    if (verb === 'start') process.stderr.write(`Error: failed to start containers: ${failed.join(', ')}\n`);
    return 1;
  };
}

// ---------------------------------------------------------------------------------------------- main

function hang() {
  setInterval(() => {}, 1 << 30);
  return new Promise(() => {});
}

async function main(argv, env) {
  const loaded = loadState(env);
  if (loaded.error) {
    process.stderr.write(loaded.error);
    return 2;
  }
  const { state } = loaded;
  logInvocation(state, argv);

  const parsed = parseGlobals(argv);
  if (parsed.error) return fail(parsed.error);
  const { globals } = parsed;
  let { command, args } = parsed;
  if (command === '--version') {
    process.stdout.write(`Docker version ${state.dockerVersion ?? CLIENT.version}, build ${CLIENT.gitCommit}\n`);
    return 0;
  }
  if (command === 'container' && CONTAINER_SUBCOMMANDS[args[0]]) {
    command = CONTAINER_SUBCOMMANDS[args[0]];
    args = args.slice(1);
  }
  try {
    if (command === 'version') return await dockerVersion(state, globals, env, args);
    if (command === 'context') return dockerContext(state, globals, env, args);
    if (command === undefined) return fail(DOCKER_MESSAGES.notEmulated({ what: "'docker' without a command (usage text)" }));

    const handlers = { ps: dockerPs, inspect: dockerInspect, cp: dockerCp, info: dockerInfo, exec: dockerExec, start: startOrUnpause('start'), unpause: startOrUnpause('unpause') };
    const handler = handlers[command];
    if (!handler) {
      const known = ['run', 'stop', 'restart', 'logs', 'images', 'pull', 'compose', 'rm', 'kill', 'top', 'stats', 'attach', 'build', 'network', 'volume', 'system', 'image', 'container', 'events', 'port', 'login', 'logout', 'pause', 'create', 'update', 'wait', 'diff', 'commit', 'export', 'import', 'save', 'load', 'tag', 'push', 'search', 'history', 'rename'];
      if (known.includes(command)) return fail(DOCKER_MESSAGES.notEmulated({ what: `'docker ${command}'` }));
      return fail(DOCKER_MESSAGES.unknownCommand({ command }));
    }
    const connection = connect(state, globals, env);
    if (connection.hang) return await hang();
    if (connection.exit !== undefined) return connection.exit;
    return await handler(state, connection, args, env);
  } catch (err) {
    if (err instanceof TemplateError) return fail(DOCKER_MESSAGES.templateError({ message: err.message }));
    throw err;
  }
}

module.exports = { main, humanDuration, humanSize, tabwrite, ellipsis };
