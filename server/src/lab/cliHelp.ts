// The help text of `dms-fail2ban test-jail`, apart from the lab itself: `dms-fail2ban --help` shows it without
// loading the lab (child_process, crypto, streams).

export const TEST_JAIL_USAGE = `  dms-fail2ban test-jail JAIL [--container NAME [--runtime docker|podman|PATH] [--context C | --host H]
                              [--log-path PATH-IN-CONTAINER | --log FILE] | --log FILE [--fail2ban-config DIR]]
                              [--format text|json] [--fail2ban-version V] [--dms-version V] [FILE...]`;

export const TEST_JAIL_HELP = `Options for test-jail (runs the real fail2ban-regex with the jail's effective filter, failregex,
ignoreregex, datepattern, maxlines from FILE — e.g. fail2ban-jail.cf — and all layers around it):
  --container NAME     run fail2ban-regex inside this container (docker exec), on the jail's logpath
  --log-path PATH      a log file inside the container instead of the jail's logpath
  --runtime R          docker (default), podman or a path; --context C / --host H for a remote daemon
  --log FILE           a local log file: with --container streamed into the container (docker exec -i, a
                       temporary file removed afterwards), else tested with a local fail2ban-regex (PATH)
  --fail2ban-config D  the local fail2ban config dir holding filter.d (default /etc/fail2ban)
  --format text|json   json: {jail, lines, matched, ignored, missed, failures, ips[{ip, failures, first, last,
                       wouldBan}], wouldBan, actualBans[{ip, at, count}] (fail2ban's own log, with
                       --container), warnings[{code, message}], …}
Exit status of test-jail: 0 tested, 1 tested and a would-be ban locks clients out (Docker gateway, the
container's own network, a private or loopback address not in ignoreip), 2 usage error or bad configuration,
3 fail2ban-regex or the container runtime could not run or failed.
`;
