# Runs fail2ban-server exactly as DMS's supervisord does (`/usr/bin/fail2ban-server -xf start`: foreground,
# the server reads /etc/fail2ban itself in a config thread), with two read-only hooks that tell the test
# what happened instead of making it guess from timing or log text:
#   * Fail2banCmdLine.readConfig  -> the command stream the client built (its 'config-error' entries are
#     the jails fail2ban skips, its 'add' entries the jails it tries to start);
#   * Fail2banClient.configureServer (the config thread's call) -> once the whole stream has been applied
#     (or has failed), ask the running server for `status` over its own socket, write one JSON line to
#     fd 3 and end the process. Neither hook changes an argument or a result.
# It also binds /dev/log (in the test's private /dev), standing in for the rsyslog socket DMS has.
# Works with fail2ban 1.0.2 and 1.1.0 (same code paths); which one runs is decided by PYTHONPATH.
import json
import os
import socket
import sys
import threading

from fail2ban.client import fail2banclient, fail2bancmdline
from fail2ban.client.csocket import CSocket

report_fd = int(os.environ.get("F2B_PROBE_FD", "3"))

# Never outlive the test that started us, even if the test runner is killed mid-run.
_deadline = threading.Timer(float(os.environ.get("F2B_PROBE_MAX_SECONDS", "120")), lambda: os._exit(124))
_deadline.daemon = True
_deadline.start()
captured = {"stream": None}


def write_report(report):
    try:
        with os.fdopen(os.dup(report_fd), "w") as out:
            out.write(json.dumps(report, default=repr) + "\n")
    except OSError:
        pass



def stand_in_for_syslog(path):
    """Binds the syslog datagram socket that rsyslog provides in the container and drains it."""
    if not path or os.path.exists(path):
        return
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(path)

    def drain():
        while True:
            listener.recv(65536)

    threading.Thread(target=drain, daemon=True).start()


stand_in_for_syslog(os.environ.get("F2B_PROBE_SYSLOG_SOCKET"))

original_read_config = fail2bancmdline.Fail2banCmdLine.readConfig


def read_config(self, jail=None):
    ret, stream = original_read_config(self, jail)
    captured["stream"] = stream
    return ret, stream


fail2bancmdline.Fail2banCmdLine.readConfig = read_config

original_configure_server = fail2banclient.Fail2banClient.configureServer


def stream_summary():
    stream = captured["stream"] or []
    return {
        "configErrors": [cmd[1] for cmd in stream if cmd and cmd[0] == "config-error"],
        "jailsAdded": [cmd[1] for cmd in stream if cmd and cmd[0] == "add"],
    }


def configure_server(self, nonsync=True, phase=None, stream=None):
    ret = original_configure_server(self, nonsync, phase, stream)
    if nonsync:
        return ret
    report = {"configured": bool(ret), **stream_summary()}
    if ret:
        try:
            answer = CSocket(self._conf["socket"], timeout=10).send(["status"])
            report["status"] = answer[1] if answer[0] == 0 else None
            report["statusError"] = None if answer[0] == 0 else repr(answer[1])
        except Exception as error:  # the report must still be written
            report["statusError"] = repr(error)
    write_report(report)
    if ret:
        # Everything is known once the running server has answered; a graceful stop only costs time
        # (and would stop actions that may still be starting). A failed stream already stops the server.
        os._exit(0)
    return ret


fail2banclient.Fail2banClient.configureServer = configure_server

from fail2ban.client.fail2banserver import exec_command_line  # noqa: E402

sys.argv = ["/usr/bin/fail2ban-server", "-xf", "start"]
exec_command_line(sys.argv)
