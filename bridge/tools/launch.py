"""bridge-launch: start a distributed MXNet job (parameter server: a scheduler, servers and workers) and watch it to
its end, with the options of mxnet's tools/launch.py.

    bridge-launch -n 2 -s 1 --launcher local perl -Iperl_shim/lib examples/distributed_train.pl --kv-store dist_sync
    bridge-launch -n 4 -s 2 --launcher ssh -H hosts python train.py --kv-store dist_sync

The workers run the command (a Perl script, a Python script, anything: each one finds its role, rank and peers in
the DMLC_* variables); the scheduler and the servers are mxnet's own server loop (`import mxnet` with DMLC_ROLE
set). Members are started by mxnet's tracker, dmlc_tracker (shipped with the mxnet wheel), with what it needs on
this Python patched here at run time (its threads' isAlive, gone since Python 3.9; its process starts go through
the supervisor below). Every member is started through this module's --member mode, which runs the scheduler and
servers in-process and a worker's command as its child, and ends its whole process group when the launcher goes
away (its parent changes, or, under ssh, the launcher's end of its stdin closes).

The launcher supervises its members: when one fails (a non-zero status, a signal, or a server or the scheduler
ending before the workers have), it stops the others (SIGTERM to each member's process group, SIGKILL a few
seconds later) and exits with that member's status after one line that names it; Ctrl-C (or SIGTERM) stops them
all; and once the workers have all ended well, the scheduler and servers get GRACE seconds to end too.
Exit status: 0 the job ended well; the failed member's status (128 + N for signal N); 2 bad arguments.
"""
import argparse
import importlib
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

GRACE = 30.0            # seconds the scheduler and servers get to end after the last worker ended well
STOP_WAIT = 3.0         # seconds between SIGTERM and SIGKILL when stopping members
MEMBER = "--member"     # marks a member's command: what dmlc_tracker runs with it is supervised
LAUNCHERS = ("local", "ssh", "mpi", "sge", "yarn", "slurm")
PREFIX = "bridge-launch: "


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="bridge-launch", description=__doc__.splitlines()[0],
        epilog="The command runs once per worker, with the DMLC_* variables set; everything after the options "
               "belongs to it (or put -- before it). Members on other hosts (ssh, mpi) need this checkout at "
               "the same path, or --sync-dst-dir.")
    parser.add_argument("-n", "--num-workers", type=int, help="number of workers (required)")
    parser.add_argument("-s", "--num-servers", type=int,
                        help="number of servers (default: as many as workers; 0 runs no scheduler either)")
    parser.add_argument("-H", "--hostfile", help="the hosts, one a line (host or host:port); for ssh and mpi")
    parser.add_argument("--launcher", default="ssh", choices=LAUNCHERS, help="how members are started "
                        "(default ssh, as mxnet's launch.py; local runs them all on this machine)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME[:VALUE]",
                        help="pass this environment variable (its value here, or VALUE) to every member")
    parser.add_argument("--sync-dst-dir", help="ssh: first copy the current directory into this directory on "
                                               "every host (rsync), and run the members there")
    parser.add_argument("--host-ip", help="the address members reach the scheduler at (default: 127.0.0.1 "
                                          "for local, else this machine's address)")
    parser.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING"),
                        help="dmlc_tracker's logging (default WARNING)")
    parser.add_argument(MEMBER, action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--member-stdin", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the workers' command")
    args = parser.parse_args(argv)
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        parser.error("no command to run")
    if args.member:
        return args
    if args.num_workers is None or args.num_workers < 1:
        parser.error("-n NUM_WORKERS (at least 1) is required")
    if args.num_servers is None:
        args.num_servers = args.num_workers
    if args.num_servers < 0:
        parser.error("-s must not be negative")
    if args.launcher in ("ssh", "mpi") and not args.hostfile:
        parser.error(f"--launcher {args.launcher} needs -H HOSTFILE")
    if args.launcher not in ("ssh", "mpi") and args.hostfile:
        parser.error(f"-H is for --launcher ssh or mpi, not {args.launcher}")
    if args.hostfile and not os.path.isfile(args.hostfile):
        parser.error(f"no hostfile {args.hostfile}")
    if args.sync_dst_dir and args.launcher != "ssh":
        parser.error("--sync-dst-dir is for --launcher ssh")
    for item in args.env:
        name, value = _env_item(item)
        if not name or value is None and name not in os.environ:
            parser.error(f"--env {item}: no variable {name} here (give NAME:VALUE)")
    return args


def _env_item(item):
    """--env NAME (its value here), NAME:VALUE or NAME=VALUE -> (name, value or None)."""
    cut = min([i for i in (item.find(":"), item.find("=")) if i >= 0], default=-1)
    return (item, None) if cut < 0 else (item[:cut], item[cut + 1:])


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.member:
        return member(args.command, args.member_stdin)
    return Launch(args).run()


# -- the launcher ----------------------------------------------------------------------------------------

class Member:
    """A process the launcher started: a worker, a server or the scheduler (or, under mpi and slurm, the mpirun
    that starts all of a role), leader of its own process group."""

    def __init__(self, name, process, host=None):
        self.name, self.process, self.host = name, process, host
        self.pgid = process.pid

    def describe(self):
        where = f", on {self.host}" if self.host and self.host not in ("127.0.0.1", "localhost") else ""
        return f"{self.name} (pid {self.process.pid}{where})"

    def group_alive(self):
        try:
            os.killpg(self.pgid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True


def _status(code):
    """A Popen returncode as a launcher exit status and its words."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "signal %d" % -code
        return 128 - code, f"was killed by signal {-code} ({name})"
    return code, f"exited with status {code}"


class Supervisor:
    """Stands in for the `subprocess` module inside dmlc_tracker: a command that carries the member mark is
    started as a member (its own session and process group, recorded here) and waited for as dmlc expects;
    anything else (rsync, `mpirun --version`, qsub) runs as subprocess would run it."""

    def __init__(self, hold_stdin):
        self.members = []
        self.stopping = False
        self._lock = threading.Lock()
        self._counts = {}
        self._hold_stdin = hold_stdin  # ssh: each member's stdin is a pipe the launcher holds open

    def __getattr__(self, name):
        return getattr(subprocess, name)

    def call(self, command, **kwargs):
        text = command if isinstance(command, str) else " ".join(command)
        role = _find(text, "DMLC_ROLE") or (kwargs.get("env") or {}).get("DMLC_ROLE")
        if MEMBER not in text or role not in ("worker", "server", "scheduler"):
            return subprocess.call(command, **kwargs)
        host = _find(text, "DMLC_NODE_HOST")
        with self._lock:
            if self.stopping:
                return 1
            if self._hold_stdin:
                kwargs["stdin"] = subprocess.PIPE
            process = subprocess.Popen(command, start_new_session=True, **kwargs)
            index = self._counts.get(role, 0)
            self._counts[role] = index + 1
            self.members.append(Member(role if role == "scheduler" else f"{role} {index}", process, host))
        return process.wait()

    def check_call(self, command, **kwargs):
        code = self.call(command, **kwargs)
        if code:
            raise subprocess.CalledProcessError(code, command)
        return 0

    def stop(self):
        """SIGTERM the process group of each member, then SIGKILL what is left after STOP_WAIT seconds."""
        with self._lock:
            self.stopping = True
            members = list(self.members)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for m in members:
                try:
                    os.killpg(m.pgid, sig)
                except (ProcessLookupError, PermissionError):
                    pass
            deadline = time.monotonic() + STOP_WAIT
            while time.monotonic() < deadline and any(m.group_alive() for m in members):
                time.sleep(0.05)
        for m in members:
            if m.process.stdin:
                m.process.stdin.close()


def _find(text, name):
    # NAME=value (ssh's exports, slurm's prefix, mpirun -x) or NAME value (mpirun -env) in a command line
    for sep in ("=", " "):
        start = text.find(name + sep)
        if start >= 0:
            value = text[start + len(name) + 1:].split()[0].rstrip(";")
            return value.strip("'\"")
    return None


class Launch:
    """One job: dmlc_tracker starts the members on a thread of its own; the main thread watches them."""

    def __init__(self, args):
        self.args = args
        self.supervisor = Supervisor(hold_stdin=args.launcher == "ssh")
        self.signal = None
        self.tracker_error = None
        self.tracker_done = False

    def run(self):
        logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=self.args.log_level)
        options = self._dmlc_options()
        submit = self._patch_tracker()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        threading.excepthook = self._thread_exception
        thread = threading.Thread(target=self._submit, args=(submit, options), name="dmlc_tracker", daemon=True)
        thread.start()
        try:
            return self._watch()
        finally:
            self.supervisor.stop()

    def _dmlc_options(self):
        from dmlc_tracker import opts
        a = self.args
        argv = ["--cluster", a.launcher, "--num-workers", str(a.num_workers), "--num-servers", str(a.num_servers),
                "COMMAND"]
        if a.hostfile:
            argv += ["--host-file", a.hostfile]
        if a.sync_dst_dir:
            argv += ["--sync-dst-dir", a.sync_dst_dir]
        options = opts.get_opts(argv)
        # the member wrapper in front of the command (dmlc joins the words with spaces for a shell: quoted here)
        # (this file run as a script: a member imports neither the bridge nor, unless it is a server, mxnet)
        command = [sys.executable, "-P", os.path.abspath(__file__), MEMBER]
        command += ["--member-stdin"] if a.launcher == "ssh" else []
        words = [shlex.quote(w) for w in command + a.command]
        if a.launcher == "ssh":  # dmlc puts the remote command inside '...' for the local shell
            words = [w.replace("'", "'\"'\"'") for w in words]
        options.command = words
        return options

    def _environment(self):
        env = {}
        for item in self.args.env:
            name, value = _env_item(item)
            env[name] = os.environ[name] if value is None else value
        if self.args.launcher == "local" and not ({"DMLC_NODE_HOST", "DMLC_INTERFACE"} & set(os.environ)):
            env["DMLC_NODE_HOST"] = "127.0.0.1"  # every member is here: they talk over the loopback only
        return env

    def _patch_tracker(self):
        """dmlc_tracker made to run here: threads with isAlive, process starts through the supervisor, the
        scheduler's address and the extra variables given to every member. Returns the launcher's submit."""
        from dmlc_tracker import tracker
        module = importlib.import_module("dmlc_tracker." + self.args.launcher)
        for m in (tracker, module):
            if hasattr(m, "Thread"):
                m.Thread = _Thread
            m.subprocess = self.supervisor
        if self.args.launcher == "local":
            tracker.PSTracker = _local_ps_tracker(tracker.PSTracker)
        extra = self._environment()
        os.environ.update(extra)  # the scheduler (and local members) inherit it; remote ones get pass_envs
        host_ip = self.args.host_ip or ("127.0.0.1" if self.args.launcher == "local" else "auto")
        original = tracker.submit

        def submit(nworker, nserver, fun_submit, hostIP="auto", pscmd=None):
            def submit_members(nworker, nserver, envs):
                envs.update(extra)
                return fun_submit(nworker, nserver, envs)
            return original(nworker, nserver, submit_members, hostIP=host_ip, pscmd=pscmd)
        tracker.submit = submit
        return module.submit

    def _submit(self, submit, options):
        try:
            submit(options)
        except BaseException as exc:  # (a member's failure is the watcher's to report)
            if not isinstance(exc, (subprocess.CalledProcessError, SystemExit)):
                self.tracker_error = exc
        finally:
            self.tracker_done = True

    def _thread_exception(self, hook_args):
        # dmlc's member threads raise when their member fails: the watcher reports it, once, by name
        if isinstance(hook_args.exc_value, (subprocess.CalledProcessError, RuntimeError)):
            return
        sys.__excepthook__(hook_args.exc_type, hook_args.exc_value, hook_args.exc_traceback)

    def _on_signal(self, signum, frame):
        self.signal = signum

    def _expected_workers(self):
        # the members that run workers: one each (local, ssh), one mpirun or srun for all, or none seen (sge, yarn)
        return {"local": self.args.num_workers, "ssh": self.args.num_workers,
                "mpi": 1, "slurm": 1}.get(self.args.launcher, 0)

    def _watch(self):
        members, expected = self.supervisor.members, self._expected_workers()
        workers_done_at = None
        while True:
            if self.signal is not None:
                running = [m for m in members if m.process.poll() is None]
                self.supervisor.stop()
                name = signal.Signals(self.signal).name
                return self._say(128 + self.signal, f"{name}: stopped {_count(running, 'member')}")
            if self.tracker_error is not None:
                self.supervisor.stop()
                return self._say(1, f"dmlc_tracker failed: {type(self.tracker_error).__name__}: "
                                    f"{self.tracker_error}")
            # (a server or the scheduler ending well is the job's end: rank 0's worker stops them as it ends)
            for m in list(members):
                code = m.process.poll()
                if code:
                    others = [o for o in members if o is not m and o.process.poll() is None]
                    self.supervisor.stop()
                    status, words = _status(code)
                    return self._say(status, f"{m.describe()} {words}; stopped {_count(others, 'other member')}")
            workers = [m for m in members if m.name.startswith("worker")]
            if workers_done_at is None and len(workers) >= expected and \
                    all(m.process.poll() == 0 for m in workers):
                workers_done_at = time.monotonic()
            if workers_done_at is not None:
                running = [m for m in members if m.process.poll() is None]
                if not running and (expected or self.tracker_done):
                    return 0
                if time.monotonic() - workers_done_at > GRACE:
                    self.supervisor.stop()
                    names = ", ".join(m.name for m in running) or "dmlc_tracker"
                    return self._say(1, f"{names} still running {GRACE:g} s after the workers ended "
                                        f"(did each worker make a dist kvstore?); stopped")
            time.sleep(0.1)

    def _say(self, status, line):
        sys.stderr.write(PREFIX + line + "\n")
        sys.stderr.flush()
        return status


def _count(members, what):
    return f"{len(members)} {what}{'' if len(members) == 1 else 's'}"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _local_ps_tracker(base):
    class LocalPSTracker(base):
        """dmlc's scheduler starter, from a port the system picks rather than 9091 and up, where two jobs starting
        on one machine at once could both pick the same one."""

        def __init__(self, hostIP, cmd, port=None, port_end=None, envs=None):
            port = _free_port()
            super().__init__(hostIP, cmd, port=port, port_end=min(port + 1000, 65536), envs=envs)
    return LocalPSTracker


class _Thread(threading.Thread):
    """dmlc_tracker's Thread: Python 3.9 removed isAlive, which its tracker calls; setDaemon warns since 3.10."""

    def isAlive(self):
        return self.is_alive()

    def setDaemon(self, daemonic):
        self.daemon = daemonic


# -- a member --------------------------------------------------------------------------------------------

def member(command, watch_stdin):
    """What every member runs: by DMLC_ROLE, mxnet's server loop (scheduler, server) or the workers' command as a
    child; either way the whole process group ends when the launcher goes away."""
    _watch_launcher(watch_stdin)
    role = os.environ.get("DMLC_ROLE")
    if role in ("scheduler", "server"):
        try:
            import mxnet  # noqa: F401  (runs the server loop, then exits)
        except SystemExit as exc:
            return exc.code or 0
        sys.stderr.write(PREFIX + f"{role}: mxnet's server loop did not run\n")
        return 1
    try:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL if watch_stdin else None)
    except OSError as exc:
        sys.stderr.write(PREFIX + f"{role or 'worker'}: cannot run {command[0]}: {exc.strerror}\n")
        return 127
    code = child.wait()
    if code < 0:  # end as the child ended, so the launcher reads the same status
        if -code not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


def _watch_launcher(watch_stdin):
    """End this member's process group when the launcher is gone: its parent changed (the launcher died), or,
    under ssh, the pipe the launcher holds on this member's stdin closed."""
    parent = os.getppid()

    def gone():
        os.killpg(os.getpgrp(), signal.SIGKILL)

    def by_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        gone()

    def by_stdin():
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        gone()
    threading.Thread(target=by_parent, daemon=True).start()
    if watch_stdin:
        threading.Thread(target=by_stdin, daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
