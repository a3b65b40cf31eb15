"""Training on more than one process: bridge-launch starting jobs of Perl and Python workers over MXNet's
parameter server (mx->kv->create('dist_sync'), Trainers, Modules), and what happens when a member fails.

Every job runs on this machine and talks over 127.0.0.1 only; each is bounded in time (a job that hangs fails its
test, and its processes are ended by process group).
"""
import gzip
import os
import pathlib
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import mxnet as mx
import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
LAUNCH = [sys.executable, "-P", str(ROOT / "bridge" / "tools" / "launch.py")]
PERL = ["perl", "-Iperl_shim/lib"]
EXAMPLE = "examples/distributed_train.pl"
JOB_TIMEOUT = 150


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """MNIST-format data (640 training images: 10 batches of 64): the gzip files, and a copy uncompressed."""
    root = tmp_path_factory.mktemp("mnist")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_idx_data.py"), "--quiet", "--train", "640",
                    str(root)], check=True)
    raw = root / "raw"
    raw.mkdir()
    for path in root.glob("*.gz"):
        (raw / path.stem).write_bytes(gzip.decompress(path.read_bytes()))
    return root


@pytest.fixture(scope="module")
def one_process(data, tmp_path_factory):
    """The example run as one process (a local kvstore, whole batches): its output and parameters."""
    prefix = tmp_path_factory.mktemp("one") / "params"
    proc = subprocess.run(PERL + [EXAMPLE, "--data", str(data), "--save", str(prefix)], cwd=ROOT,
                          capture_output=True, text=True, timeout=JOB_TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, mx.nd.load(f"{prefix}-0.params")


def launch(args, timeout=JOB_TIMEOUT, env=None):
    proc = subprocess.run(LAUNCH + args, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env=None if env is None else {**os.environ, **env})
    return proc


def assert_same_parameters(params, reference):
    assert sorted(params) == sorted(reference)
    for name in reference:
        np.testing.assert_allclose(params[name].asnumpy(), reference[name].asnumpy(), rtol=1e-5, atol=1e-6,
                                   err_msg=name)


def rank_lines(stdout):
    """{rank: [what it said, ...]} from the workers' 'rank R: ...' lines."""
    said = {}
    for line in stdout.splitlines():
        m = re.match(r"rank (\d+): (.*)", line)
        if m:
            said.setdefault(int(m.group(1)), []).append(m.group(2))
    return said


def job_processes(token):
    """The pids of the processes whose command line holds token (zombies have none)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if token.encode() in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


def test_two_perl_workers_over_ssh_push_pull_and_fit(data, tmp_path):
    # ssh is a stand-in on PATH that runs the command here; the hostfile names this machine twice
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "ssh.log"
    (bin_dir / "ssh").write_text("#!/bin/sh\n# runs the remote command here\n"
                                 "while [ $# -gt 1 ]; do case \"$1\" in -o|-p) shift 2;; "
                                 f"*) echo \"$1\" >> {log}; shift;; esac; done\nexec /bin/sh -c \"$1\"\n")
    (bin_dir / "ssh").chmod(0o755)
    (tmp_path / "hosts").write_text("127.0.0.1\n127.0.0.1:22\n")
    proc = launch(["-n", "2", "-s", "1", "--launcher", "ssh", "-H", str(tmp_path / "hosts"), "--host-ip",
                   "127.0.0.1"] + PERL + ["tests/dist/kvstore_api.pl", str(data / "raw")],
                  env={"PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert proc.returncode == 0, proc.stderr
    assert log.read_text().split() == ["127.0.0.1"] * 3  # one server and two workers went through ssh
    said = rank_lines(proc.stdout)
    assert sorted(said) == [0, 1]
    labels = np.frombuffer((data / "raw" / "train-labels-idx1-ubyte").read_bytes()[8:], dtype=np.uint8)
    module_lines = set()
    for rank, lines in said.items():
        assert lines[0] == "of 2, type dist_sync"
        assert lines[1] == "summed 3 3 3 3 3 3"                  # 1 + 2
        assert lines[2] == "keys 1 1 | 20 20 20"                 # 0 + 1 and 10 + 10
        assert lines[3] == "sgd 0.7 0.7 0.7 0.7"                 # on the servers: 1 - 0.1 * (1 + 2)
        assert lines[4].startswith("bad push: kvstore push: key 'a' holds shape (2, 3), the array given has "
                                   "shape (3, 3) at tests/dist/kvstore_api.pl line")
        assert lines[5].startswith("second store: kvstore dist_sync: this process has made its distributed "
                                   "kvstore already")
        assert lines[6] == "still 3 3 3 3 3 3"
        first = " ".join(str(v) for v in labels[rank * 320:rank * 320 + 4])  # its half of the 640 images
        assert lines[7] == f"part of 10 batches, first labels {first}"
        module_lines.add(lines[8])
    assert len(module_lines) == 1 and re.fullmatch(r"module fc_weight sum -?[\d.]+, accuracy 0\.\d\d|"
                                                   r"module fc_weight sum -?[\d.]+, accuracy 1\.00",
                                                   module_lines.pop())


def test_two_perl_workers_end_with_one_process_weights(data, one_process, tmp_path):
    prefix = tmp_path / "params"
    proc = launch(["-n", "2", "-s", "1", "--launcher", "local"] + PERL +
                  [EXAMPLE, "--kv-store", "dist_sync", "--data", str(data), "--save", str(prefix)])
    assert proc.returncode == 0, proc.stderr
    workers = [mx.nd.load(f"{prefix}-{rank}.params") for rank in (0, 1)]
    for name in workers[0]:
        assert (workers[0][name].asnumpy() == workers[1][name].asnumpy()).all()  # one copy, on the servers
    assert_same_parameters(workers[0], one_process[1])
    # each worker's loss is its half's: together the whole batch's
    losses = [float(m) for m in re.findall(r"epoch 2: loss ([\d.]+)", proc.stdout)]
    whole = float(re.search(r"epoch 2: loss ([\d.]+)", one_process[0]).group(1))
    assert len(losses) == 2 and abs(sum(losses) / 2 - whole) < 2e-4


def test_module_fit_makes_the_store_it_is_named(data, tmp_path):
    # fit(kvstore => 'dist_sync'): mxnet makes the store inside fit; the weights are one process's
    one = subprocess.run(PERL + ["tests/dist/fit_named_store.pl", str(data / "raw"), str(tmp_path / "one")],
                         cwd=ROOT, capture_output=True, text=True, timeout=JOB_TIMEOUT,
                         env={**os.environ, "STORE": "local"})
    assert one.returncode == 0, one.stderr
    proc = launch(["-n", "2", "-s", "1", "--launcher", "local"] + PERL +
                  ["tests/dist/fit_named_store.pl", str(data / "raw"), str(tmp_path / "dist")])
    assert proc.returncode == 0, proc.stderr
    reference = mx.nd.load(str(tmp_path / "one-0.params"))
    for rank in (0, 1):
        assert_same_parameters(mx.nd.load(str(tmp_path / f"dist-{rank}.params")), reference)
    assert sorted(re.findall(r"worker (\d) of 2, dist_sync: accuracy", proc.stdout)) == ["0", "1"], proc.stdout


def test_a_perl_and_a_python_worker_train_together(data, one_process, tmp_path):
    prefix = tmp_path / "params"
    proc = launch(["-n", "2", "-s", "1", "--launcher", "local", "tests/dist/mixed.sh", "--kv-store", "dist_sync",
                   "--data", str(data), "--save", str(prefix)], env={"PYTHON": sys.executable})
    assert proc.returncode == 0, proc.stderr
    assert "worker 0/2: epoch 2" in proc.stdout and "worker 1/2: epoch 2" in proc.stdout
    for rank in (0, 1):
        assert_same_parameters(mx.nd.load(f"{prefix}-{rank}.params"), one_process[1])


def test_dist_async_trains(data):
    proc = launch(["-n", "2", "-s", "1", "--launcher", "local"] + PERL +
                  [EXAMPLE, "--kv-store", "dist_async", "--data", str(data), "--epochs", "3"])
    assert proc.returncode == 0, proc.stderr
    for rank in (0, 1):
        losses = [float(v) for v in re.findall(rf"worker {rank}/2: epoch \d: loss ([\d.]+)", proc.stdout)]
        assert len(losses) == 3 and losses[2] < 0.75 * losses[0], proc.stdout
    assert float(re.search(r"test acc ([\d.]+)", proc.stdout).group(1)) >= 0.8


class Job:
    """A launcher in the background, its output read as it comes."""

    def __init__(self, args):
        self.process = subprocess.Popen(LAUNCH + args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, start_new_session=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern, count, timeout=JOB_TIMEOUT):
        found, deadline = [], time.monotonic() + timeout
        while len(found) < count:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {count} lines like {pattern} in {timeout} s") from None
            m = re.match(pattern, line)
            if m:
                found.append(m)
        return found

    def end(self, timeout=JOB_TIMEOUT):
        try:
            return self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def assert_nothing_left(token, groups):
    """No process of the job is left: none with the token in its command line, no process group of a worker
    (a process that ended waits a moment to be reaped by init when its parent went first)."""
    deadline = time.monotonic() + 5
    while (job_processes(token) or any(map(group_alive, groups))) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert job_processes(token) == []
    assert [g for g in groups if group_alive(g)] == []


TRAINED = r"rank (\d) pid (\d+) pgid (\d+) trained"


def test_a_worker_killed_mid_job_stops_the_job(tmp_path):
    token = str(tmp_path)
    job = Job(["-n", "2", "-s", "1", "--launcher", "local"] + PERL + ["tests/dist/train_forever.pl", token])
    workers = job.wait_for(TRAINED, 2)
    victim = workers[1]
    killed_at = time.monotonic()
    os.kill(int(victim.group(2)), signal.SIGKILL)
    status = job.end(timeout=60)
    took = time.monotonic() - killed_at
    stderr = job.process.stderr.read()
    assert status != 0 and took < 30, (status, took, stderr)
    last = stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"bridge-launch: worker [01] \(pid \d+\) was killed by signal 9 \(SIGKILL\); "
                        r"stopped 3 other members", last), stderr
    assert_nothing_left(token, [int(w.group(3)) for w in workers])


def test_ctrl_c_stops_every_member(tmp_path):
    token = str(tmp_path)
    job = Job(["-n", "2", "-s", "1", "--launcher", "local"] + PERL + ["tests/dist/train_forever.pl", token])
    workers = job.wait_for(TRAINED, 2)
    job.process.send_signal(signal.SIGINT)
    assert job.end(timeout=30) == 128 + signal.SIGINT
    assert job.process.stderr.read().strip().splitlines()[-1] == "bridge-launch: SIGINT: stopped 4 members"
    assert_nothing_left(token, [int(w.group(3)) for w in workers])


def test_members_end_when_the_launcher_is_killed(tmp_path):
    token = str(tmp_path)
    job = Job(["-n", "2", "-s", "1", "--launcher", "local"] + PERL + ["tests/dist/train_forever.pl", token])
    workers = job.wait_for(TRAINED, 2)
    job.process.kill()  # no chance to stop anything: each member sees its parent go
    job.end(timeout=10)
    assert_nothing_left(token, [int(w.group(3)) for w in workers])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_worker_whose_scheduler_never_answers_gives_up():
    env = {**os.environ, "DMLC_ROLE": "worker", "DMLC_NUM_WORKER": "1", "DMLC_NUM_SERVER": "1",
           "DMLC_PS_ROOT_URI": "127.0.0.1", "DMLC_PS_ROOT_PORT": str(free_port()), "DMLC_NODE_HOST": "127.0.0.1",
           "AI_MXNET_BRIDGE_KV_TIMEOUT": "2"}
    proc = subprocess.run(PERL + ["-MAI::MXNet=mx", "-e", "mx->kv->create('dist_sync'); print qq(made\\n)"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip() == ("kvstore dist_sync: the scheduler at 127.0.0.1:%s did not answer within 2 s (set "
                                   "AI_MXNET_BRIDGE_KV_TIMEOUT to wait longer); giving up" % env["DMLC_PS_ROOT_PORT"])


def test_a_perl_script_started_as_a_server_serves_and_exits_0():
    # as AI::MXNet's KVStoreServer did: `use AI::MXNet` with DMLC_ROLE=server runs the server loop, then exits
    env = {**os.environ, "DMLC_NUM_WORKER": "1", "DMLC_NUM_SERVER": "1", "DMLC_PS_ROOT_URI": "127.0.0.1",
           "DMLC_PS_ROOT_PORT": str(free_port()), "DMLC_NODE_HOST": "127.0.0.1"}
    run = lambda role, command: subprocess.Popen(command, cwd=ROOT, env={**env, "DMLC_ROLE": role},
                                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    members = [run("scheduler", [sys.executable, "-c", "import mxnet"]),
               run("server", PERL + ["-e", "use AI::MXNet qw(mx); print qq(not a server\\n)"]),
               run("worker", [sys.executable, "-c", "import mxnet as mx; kv = mx.kv.create('dist_sync'); "
                                                    "kv.init(1, mx.nd.ones(2)); kv.push(1, mx.nd.ones(2) * 5); "
                                                    "out = mx.nd.zeros(2); kv.pull(1, out=out); print(out.asnumpy())"])]
    try:
        outputs = [m.communicate(timeout=90) for m in members]
    finally:
        for m in members:
            m.kill()
    assert [m.returncode for m in members] == [0, 0, 0], outputs
    assert outputs[1][0] == "" and outputs[2][0] == "[5. 5.]\n"
