"""bridge/api/kvstore.py, bridge/api/sampler.py and bridge/tools/launch.py in one process: the checks a kvstore
makes (types, shapes, the environment of a job), a worker's part of the data, and the launcher's own rules.
The jobs themselves (several processes) are in tests/test_distributed.py."""
import importlib.metadata
import os
import pathlib
import signal
import subprocess
import sys

import mxnet as mx
import numpy as np
import pytest

from bridge import gluon, mx as bmx, nd
from bridge.api import kvstore, sampler
from bridge.tools import launch

LAUNCH = str(pathlib.Path(launch.__file__))


@pytest.fixture
def kv():
    return bmx.kv.create()


def test_a_local_store_is_the_bridge_s_with_mxnet_s_answers(kv):
    assert isinstance(kv._target, kvstore.KVStore) and isinstance(kv._target, mx.kv.KVStore)
    assert (kv.type, kv.rank, kv.num_workers) == ("local", 0, 1)
    kv.barrier()   # nothing to wait for
    kv.init("w", nd.ones((2, 3)))
    kv.push("w", [nd.ones((2, 3)), nd.ones((2, 3)) * 2])   # two devices' values: the store adds them
    out = nd.zeros((2, 3))
    kv.pull("w", out=out)
    assert (out.asnumpy() == 3).all()


@pytest.mark.parametrize("name", ["local", "Local", "device", "local_allreduce_cpu", "row_sparse", "teststore"])
def test_names_mxnet_takes_are_taken(name):
    store = bmx.kv.create(name)
    assert type(store._target).__name__ == "TestStore" or store.type == name.lower()


@pytest.mark.parametrize("name, message", [
    ("dsit_sync", "unknown kvstore type 'dsit_sync' (did you mean dist_sync?)"),
    ("dist_asnyc", "unknown kvstore type 'dist_asnyc' (did you mean dist_async?)"),
    ("lcoal", "unknown kvstore type 'lcoal' (did you mean local?)"),
    ("dist_everything", "unknown kvstore type 'dist_everything' (one of dist_sync, dist_async, dist_device_sync)"),
])
def test_a_misspelt_type_is_one_clear_error(name, message):
    with pytest.raises(ValueError) as info:
        bmx.kv.create(name)
    assert str(info.value) == message


def test_a_type_is_a_string():
    with pytest.raises(TypeError, match="^kvstore type must be a string such as 'local' or 'dist_sync', not int$"):
        bmx.kv.create(3)


@pytest.mark.parametrize("name", ["dist_sync", "dist_async", "dist_device_sync"])
def test_a_distributed_store_outside_a_job_names_what_is_missing(name, monkeypatch):
    for variable in kvstore.DMLC_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("DMLC_ROLE", "worker")
    with pytest.raises(RuntimeError) as info:
        bmx.kv.create(name)
    assert str(info.value) == (f"kvstore {name}: a distributed kvstore is made inside a job that bridge-launch "
                               "starts (it sets the DMLC_* variables); not set here: DMLC_PS_ROOT_URI, "
                               "DMLC_PS_ROOT_PORT, DMLC_NUM_SERVER, DMLC_NUM_WORKER")
    # the check comes before mxnet's (which fails once, then hangs): so does a Trainer's store, and nothing broke
    dense = mx.gluon.nn.Dense(1, in_units=1)
    dense.initialize()
    trainer = mx.gluon.Trainer(dense.collect_params(), "sgd", kvstore=name)
    with pytest.raises(RuntimeError, match="not set here"):
        trainer._init_kvstore()
    assert bmx.kv.create("local").type == "local"


def test_a_shape_that_is_not_the_key_s_is_refused(kv):
    kv.init("w", nd.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^kvstore push: key 'w' holds shape \(2, 3\), the array given has shape "
                                         r"\(3, 3\)$"):
        kv.push("w", nd.ones((3, 3)))
    with pytest.raises(ValueError, match=r"^kvstore pull: key 'w' holds shape \(2, 3\), the array given has shape "
                                         r"\(6,\)$"):
        kv.pull("w", out=nd.zeros(6))
    with pytest.raises(ValueError, match=r"^kvstore pushpull: key 'w' holds shape"):
        kv.pushpull("w", nd.ones((2, 3)), out=nd.zeros((3, 2)))
    out = nd.zeros((2, 3))
    kv.pull("w", out=out)   # the refused calls changed nothing
    assert (out.asnumpy() == 1).all()


def test_keys_and_values_must_pair_up(kv):
    kv.init(["a", "b"], [nd.ones(2), nd.ones(3)])
    with pytest.raises(ValueError, match="^kvstore push: 2 keys need 2 values, got 1$"):
        kv.push(["a", "b"], [nd.ones(2)])
    with pytest.raises(KeyError, match="key 'c' was never initialized"):
        kv.push("c", nd.ones(2))
    with pytest.raises(TypeError, match="^kvstore push: key 'a' needs an NDArray, not int$"):
        kv.push("a", 5)
    # (a store of mx.kv.create takes any key as the string Perl makes of it, as AI::MXNet did: 1.5 is "1.5";
    # one that mxnet's own code makes, a Trainer's, takes mxnet's keys)
    with pytest.raises(TypeError, match="^kvstore init: a key is an integer or a string, not float$"):
        kvstore._native("local").init(1.5, mx.nd.ones(2))
    kv.init(1.5, nd.ones(2))
    kv.push("1.5", nd.ones(2))


def test_broadcast_initializes_and_checks_its_outputs(kv):
    with pytest.raises(ValueError, match=r"^kvstore broadcast: key '3' holds shape \(2,\), the array given has "
                                         r"shape \(3,\)$"):
        kv.broadcast(3, nd.ones(2), out=nd.zeros(3))
    out = nd.zeros(2)
    kv.broadcast(3, nd.ones(2) * 4, out=out)
    assert (out.asnumpy() == 4).all()
    kv.push(3, nd.ones(2))


def test_the_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(kvstore.TIMEOUT_VARIABLE, raising=False)
    assert kvstore.timeout() == 300
    monkeypatch.setenv(kvstore.TIMEOUT_VARIABLE, "2.5")
    assert kvstore.timeout() == 2.5
    for bad in ("soon", "0", "-1"):
        monkeypatch.setenv(kvstore.TIMEOUT_VARIABLE, bad)
        with pytest.raises(ValueError, match=f"^AI_MXNET_BRIDGE_KV_TIMEOUT must be a .*number of seconds, not '{bad}'"):
            kvstore.timeout()


def test_the_watchdog_ends_a_block_that_never_ends():
    code = ("from bridge.api.kvstore import watchdog; import time\n"
            "with watchdog(0.2, 'gave up'):\n    pass\n"
            "print('one', flush=True)\n"
            "with watchdog(0.2, 'gave up'):\n    time.sleep(5)\n"
            "print('two')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "one\n", "gave up\n")


# -- a worker's part of the data -------------------------------------------------------------------------

def test_contiguous_parts_have_one_length():
    parts = [list(sampler.SplitSampler(11, num_parts=3, part_index=i)) for i in range(3)]
    assert parts == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]   # the rest (9, 10) is left out: the same steps for all
    assert len(sampler.SplitSampler(11, num_parts=3, part_index=1)) == 3


def test_with_a_batch_size_each_part_is_its_share_of_every_batch():
    parts = [list(sampler.SplitSampler(13, num_parts=2, part_index=i, batch_size=3)) for i in range(2)]
    assert parts == [[0, 1, 2, 6, 7, 8], [3, 4, 5, 9, 10, 11]]   # batches of 6: 0-5, 6-11; 12 is left out
    # the workers' batches of step k, put together, are the one-process batch k
    loaders = [gluon.data.DataLoader(gluon.data.ArrayDataset(nd.arange(stop=13)), batch_size=3,
                                     sampler=gluon.data.SplitSampler(13, num_parts=2, part_index=i, batch_size=3))
               for i in range(2)]
    steps = [np.concatenate([b.asnumpy() for b in batches]) for batches in zip(*loaders)]
    assert [s.tolist() for s in steps] == [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]


def test_shuffle_reorders_within_the_part():
    np.random.seed(3)
    part = list(sampler.SplitSampler(100, num_parts=4, part_index=2, shuffle=True))
    assert sorted(part) == list(range(50, 75)) and part != sorted(part)


@pytest.mark.parametrize("kwargs, message", [
    (dict(length=10, num_parts=0), "num_parts must be an integer of at least 1, not 0"),
    (dict(length=10, num_parts=2, part_index=2), r"part_index must be 0 \.\. 1, not 2"),
    (dict(length=-1), "length must be an integer of at least 0, not -1"),
    (dict(length=10, batch_size=0), "batch_size must be an integer of at least 1, not 0"),
    (dict(length=10, num_parts=2.5), "num_parts must be an integer of at least 1, not 2.5"),
])
def test_sampler_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match="^SplitSampler: " + message + "$"):
        sampler.SplitSampler(**kwargs)


# -- the launcher's own rules ----------------------------------------------------------------------------

def test_bridge_launch_is_a_console_script():
    scripts = importlib.metadata.entry_points(group="console_scripts")
    assert [s.value for s in scripts if s.name == "bridge-launch"] == ["bridge.tools.launch:main"]


@pytest.mark.parametrize("argv, message", [
    (["perl", "x.pl"], "-n NUM_WORKERS (at least 1) is required"),
    (["-n", "2"], "no command to run"),
    (["-n", "2", "--launcher", "ssh", "perl"], "--launcher ssh needs -H HOSTFILE"),
    (["-n", "2", "--launcher", "local", "-H", "hosts", "perl"], "-H is for --launcher ssh or mpi, not local"),
    (["-n", "2", "--launcher", "mpi", "-H", "/no/such/hosts", "perl"], "no hostfile /no/such/hosts"),
    (["-n", "2", "--launcher", "local", "--env", "NO_SUCH_VARIABLE_HERE", "perl"],
     "--env NO_SUCH_VARIABLE_HERE: no variable NO_SUCH_VARIABLE_HERE here (give NAME:VALUE)"),
    (["-n", "2", "--launcher", "nowhere", "perl"], "argument --launcher: invalid choice: 'nowhere' (choose from "
                                                   "'local', 'ssh', 'mpi', 'sge', 'yarn', 'slurm')"),
])
def test_bad_arguments_are_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        launch.parse(argv)
    assert info.value.code == 2
    assert capsys.readouterr().err.endswith("\nbridge-launch: error: " + message + "\n")


def test_everything_after_the_options_is_the_command():
    args = launch.parse(["-n", "2", "--launcher", "local", "perl", "-Iperl_shim/lib", "x.pl", "-n", "5", "--env"])
    assert args.command == ["perl", "-Iperl_shim/lib", "x.pl", "-n", "5", "--env"]
    assert args.num_servers == 2   # as many servers as workers unless told
    assert launch.parse(["-n", "1", "-s", "0", "--launcher", "local", "--", "-x"]).command == ["-x"]


def test_env_items():
    assert launch._env_item("OMP_NUM_THREADS") == ("OMP_NUM_THREADS", None)
    assert launch._env_item("OMP_NUM_THREADS:3") == ("OMP_NUM_THREADS", "3")
    assert launch._env_item("A=x:y") == ("A", "x:y")
    assert launch._env_item("PATH:/a=b:/c") == ("PATH", "/a=b:/c")


def test_a_member_s_role_and_host_are_read_from_dmlc_s_command_lines():
    ssh = "ssh -o StrictHostKeyChecking=no h1 -p 22 'export DMLC_ROLE=server; export DMLC_NODE_HOST=h1; cd /x; y'"
    assert (launch._find(ssh, "DMLC_ROLE"), launch._find(ssh, "DMLC_NODE_HOST")) == ("server", "h1")
    assert launch._find("mpirun -n 2  -env DMLC_ROLE worker  cmd", "DMLC_ROLE") == "worker"
    assert launch._find("DMLC_ROLE=worker srun -N 2 cmd", "DMLC_ROLE") == "worker"
    assert launch._find("rsync -az . h1:/x", "DMLC_ROLE") is None


def test_a_failed_member_is_one_line_with_its_status():
    # the workers' command fails at once: the launcher stops the scheduler and server and says who failed
    proc = subprocess.run([sys.executable, "-P", LAUNCH, "-n", "1", "-s", "1", "--launcher", "local", "sh", "-c",
                           "exit 3"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert proc.stderr.strip().splitlines()[-1].startswith("bridge-launch: worker 0 (pid ")
    assert proc.stderr.strip().endswith(") exited with status 3; stopped 2 other members")


def member(command, role="worker"):
    return subprocess.run([sys.executable, "-P", LAUNCH, "--member"] + command, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "DMLC_ROLE": role})


def test_a_member_ends_as_its_command_ends():
    assert member(["sh", "-c", "exit 7"]).returncode == 7
    assert member(["sh", "-c", "kill -TERM $$"]).returncode == -signal.SIGTERM
    proc = member(["no-such-command-here"])
    assert proc.returncode == 127
    assert proc.stderr == "bridge-launch: worker: cannot run no-such-command-here: No such file or directory\n"


def test_member_statuses_read_as_words():
    assert launch._status(0) == (0, "exited with status 0")
    assert launch._status(3) == (3, "exited with status 3")
    assert launch._status(-9) == (137, "was killed by signal 9 (SIGKILL)")
