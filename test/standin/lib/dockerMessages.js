'use strict';
// What the docker CLI (27.x, Linux) prints for each failure the stand-in can simulate, and its exit status.
// Each entry: (details) → { stderr, exitCode }.

const DOCKER_MESSAGES = {
  /** dockerd not running / socket missing (any command that talks to the daemon). */
  daemonUnreachable: ({ endpoint }) => ({
    stderr: `Cannot connect to the Docker daemon at ${endpoint}. Is the docker daemon running?\n`,
    exitCode: 1,
  }),
  /** user not in the docker group; the CLI's first request is the API version ping. */
  permissionDenied: ({ endpoint }) => {
    const socketPath = endpoint.replace(/^unix:\/\//, '');
    return {
      stderr: `permission denied while trying to connect to the Docker daemon socket at ${endpoint}: Head "http://${encodeURIComponent(socketPath)}/_ping": dial unix ${socketPath}: connect: permission denied\n`,
      exitCode: 1,
    };
  },
  noSuchContainer: ({ name }) => ({ stderr: `Error response from daemon: No such container: ${name}\n`, exitCode: 1 }),
  noSuchObject: ({ name }) => ({ stderr: `Error: No such object: ${name}\n`, exitCode: 1 }),
  containerNotRunning: ({ id }) => ({ stderr: `Error response from daemon: container ${id} is not running\n`, exitCode: 1 }),
  containerPaused: ({ id }) => ({
    stderr: `Error response from daemon: container ${id} is paused, unpause the container before exec\n`,
    exitCode: 1,
  }),
  /** `docker exec` of a program the image does not have (runc). The CLI prints it on STDOUT
   *  (docker/cli#2025, #4847, still open in 2024). */
  executableNotFound: ({ program }) => ({
    stderr: '',
    stdout: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown\n`,
    exitCode: 127,
  }),
  inputNotTty: () => ({ stderr: 'the input device is not a TTY\n', exitCode: 1 }),
  contextNotFound: ({ name, hash }) => ({
    stderr: `context "${name}": context not found: open /root/.docker/contexts/meta/${hash}/meta.json: no such file or directory\n`,
    exitCode: 1,
  }),
  conflictingHostContext: () => ({
    stderr: 'Conflicting options: either specify --host or --context, not both\n',
    exitCode: 1,
  }),
  unknownCommand: ({ command }) => ({
    stderr: `docker: '${command}' is not a docker command.\nSee 'docker --help'\n`,
    exitCode: 1,
  }),
  unknownFlag: ({ flag, command }) => ({
    stderr: `unknown flag: ${flag}\nSee 'docker ${command} --help'.\n`,
    exitCode: 125,
  }),
  flagNeedsArgument: ({ flag, command }) => ({
    stderr: `flag needs an argument: ${flag}\nSee 'docker ${command} --help'.\n`,
    exitCode: 125,
  }),
  requiresArguments: ({ command, count, usage, description }) => ({
    stderr: `"docker ${command}" requires at least ${count} argument${count === 1 ? '' : 's'}.\nSee 'docker ${command} --help'.\n\nUsage:  ${usage}\n\n${description}\n`,
    exitCode: 1,
  }),
  invalidFilter: ({ key }) => ({ stderr: `Error response from daemon: invalid filter '${key}'\n`, exitCode: 1 }),
  templateError: ({ message }) => ({ stderr: `template parsing error: ${message}\n`, exitCode: 1 }),
  couldNotFindFile: ({ path, name }) => ({
    stderr: `Error response from daemon: Could not find the file ${path} in container ${name}\n`,
    exitCode: 1,
  }),
  hostPathMissing: ({ path }) => ({ stderr: `lstat ${path}: no such file or directory\n`, exitCode: 1 }),
  /** Not docker's: a part of docker this stand-in does not emulate. Exit 2 so a test notices. */
  notEmulated: ({ what }) => ({ stderr: `docker stand-in: ${what} is not emulated (test/standin)\n`, exitCode: 2 }),
};

module.exports = { DOCKER_MESSAGES };
