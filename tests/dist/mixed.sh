#!/bin/sh
# A worker of tests/test_distributed.py: the job's first worker runs the Perl example, the others its Python twin.
if [ "$DMLC_TASK_ID" = 0 ]; then
    exec perl -Iperl_shim/lib examples/distributed_train.pl "$@"
fi
exec "${PYTHON:-.venv/bin/python}" examples/distributed_train.py "$@"
