"""AI::MXNet::Gluon::Utils where the bridge differs from mxnet.gluon.utils: `download` downloads nothing.

A file a script would download (a model zoo's pretrained parameters, a dataset) is read where it would have been
written: when it is there, download returns its path; when not, the error names the file, the address it comes
from and where to put it. AI::MXNet's ModelZoo (unmodified) reads its pretrained files through this.
"""
import os

import mxnet as mx


class NotDownloaded(FileNotFoundError):
    """A file that would have been downloaded is missing."""


def download(url, path=None, overwrite=False, sha1_hash=None, retries=5, verify_ssl=True):
    """The path the file at url would be downloaded to (path, a directory to put it in, or the current
    directory), when the file is there (overwrite changes nothing: nothing is fetched); else NotDownloaded."""
    name = url.split("/")[-1]
    target = name if path is None else os.path.join(path, name) if os.path.isdir(path) else path
    target = os.path.expanduser(target)
    if os.path.isfile(target) and (not sha1_hash or mx.gluon.utils.check_sha1(target, sha1_hash)):
        return target
    problem = "has other contents than expected (sha1)" if os.path.isfile(target) else "is not there"
    raise NotDownloaded("%s %s, and the bridge downloads nothing: put %s (from %s) at %s"
                        % (target, problem, name, url, target))


FUNCTIONS = {"download": download}
