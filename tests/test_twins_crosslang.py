"""Cross-language tests of classes written in Perl that extend AI::MXNet's (bridge/handles/twins.py): an optimizer
written in Perl trains as the same optimizer written in Python; AI::MXNet's ModelZoo (pure Perl on top of
AI::MXNet, run unmodified) builds every model with the parameter names and shapes of Python's model zoo, and
computes what Python's computes with the same parameters.

The ModelZoo tests need AI::MXNet's source, which is not part of this project: set AI_MXNET_PERL_PACKAGE to
a `perl-package` directory of apache/mxnet (branch v1.x) to run them; AI_MXNET_MODELZOO_ALL=1 runs all 34
models (`make test-modelzoo`), else a few small ones.
"""
import json
import os
import pathlib
import re
import subprocess
import sys

import mxnet
import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def run(command, timeout=600):
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def numbers(text):
    return np.array([float(n) for n in re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", text)])


def test_an_optimizer_written_in_perl_trains_as_the_same_one_in_python():
    perl = run(["perl", "-Iperl_shim/lib", "examples/perl_optimizer.pl"])
    python = run([sys.executable, "examples/perl_optimizer.py"])
    assert perl.count("step ") == 5 and "last layer's weights:" in perl
    assert len(numbers(perl)) == 5 + 24
    np.testing.assert_allclose(numbers(perl), numbers(python), rtol=1e-6, atol=1e-7)
    # and the twist is there: plain SGD (the Perl script with the built-in 'sgd') ends elsewhere
    plain = run(["perl", "-Iperl_shim/lib", "-e",
                 (ROOT / "examples/perl_optimizer.pl").read_text().replace("'clippedsgd'", "'sgd'")])
    assert not np.allclose(numbers(plain)[-24:], numbers(perl)[-24:], atol=1e-4)


# -- AI::MXNet's ModelZoo ---------------------------------------------------------------------------------------

PERL_PACKAGE = os.environ.get("AI_MXNET_PERL_PACKAGE", "")
MODELS = {  # name -> input size (the smallest each model's fixed pooling takes, or one that keeps it quick)
    "resnet18_v1": 64, "resnet34_v1": 64, "resnet50_v1": 64, "resnet101_v1": 64, "resnet152_v1": 64,
    "resnet18_v2": 64, "resnet34_v2": 64, "resnet50_v2": 64, "resnet101_v2": 64, "resnet152_v2": 64,
    "vgg11": 32, "vgg13": 32, "vgg16": 32, "vgg19": 32, "vgg11_bn": 32, "vgg13_bn": 32, "vgg16_bn": 32,
    "vgg19_bn": 32, "alexnet": 64, "densenet121": 224, "densenet161": 224, "densenet169": 224,
    "densenet201": 224, "squeezenet1.0": 224, "squeezenet1.1": 224, "inceptionv3": 299,
    "mobilenet1.0": 64, "mobilenet0.75": 64, "mobilenet0.5": 64, "mobilenet0.25": 64,
    "mobilenetv2_1.0": 64, "mobilenetv2_0.75": 64, "mobilenetv2_0.5": 64, "mobilenetv2_0.25": 64,
}
QUICK = ["resnet18_v1", "resnet18_v2", "mobilenet0.25", "mobilenetv2_0.25", "squeezenet1.1", "alexnet"]
CHOSEN = list(MODELS) if os.environ.get("AI_MXNET_MODELZOO_ALL") else QUICK

modelzoo = pytest.mark.skipif(
    not (pathlib.Path(PERL_PACKAGE) / "AI-MXNet-Gluon-ModelZoo" / "lib").is_dir(),
    reason="AI::MXNet's ModelZoo source: set AI_MXNET_PERL_PACKAGE to a perl-package directory")


def perl_with_modelzoo(code, *args):
    lib = pathlib.Path(PERL_PACKAGE)
    return run(["perl", "-Iperl_shim/lib", f"-I{lib / 'AI-MXNet-Gluon-Contrib' / 'lib'}",
                f"-I{lib / 'AI-MXNet-Gluon-ModelZoo' / 'lib'}", "-e", code, "--", *map(str, args)], timeout=1800)


# Each model: AI::MXNet's get_model, the parameters Python saved, hybridized, one forward pass; printed as JSON.
PERL_RUN = r"""
use strict; use warnings;
use JSON::PP;
use AI::MXNet::Gluon::ModelZoo qw(get_model);
my ($folder, @names) = @ARGV;
my %result;
for my $name (@names) {
    my $net = get_model($name);
    $net->load_parameters("$folder/$name.params");
    $net->hybridize;
    my $out = $net->(nd->load("$folder/$name.input")->[0]);
    my $params = $net->_collect_params_with_prefix;
    $result{$name} = {params => {map { $_ => $params->{$_}->shape } keys %$params},
                      output => [$out->aspdl->flat->list]};
}
print encode_json(\%result);
"""


@modelzoo
def test_every_model_of_ai_mxnet_modelzoo_is_python_model_zoos(tmp_path):
    expected = {}
    mxnet.random.seed(3)
    for name in CHOSEN:
        net = mxnet.gluon.model_zoo.vision.get_model(name)
        net.initialize(mxnet.init.Xavier())
        size = MODELS[name]
        x = mxnet.nd.random.uniform(shape=(1, 3, size, size))
        out = net(x)
        net.save_parameters(str(tmp_path / f"{name}.params"))
        mxnet.nd.save(str(tmp_path / f"{name}.input"), [x])
        expected[name] = ({k: list(p.shape) for k, p in net._collect_params_with_prefix().items()},
                          out.asnumpy().ravel())
    result = json.loads(perl_with_modelzoo(PERL_RUN, tmp_path, *CHOSEN))
    for name in CHOSEN:
        params, output = expected[name]
        assert result[name]["params"] == params, name
        np.testing.assert_allclose(result[name]["output"], output, rtol=1e-3, atol=1e-5, err_msg=name)


@modelzoo
def test_a_missing_pretrained_file_is_one_line_naming_it(tmp_path):
    code = ("use AI::MXNet::Gluon::ModelZoo qw(get_model); "
            "eval { get_model('squeezenet1.1', pretrained => 1, root => $ARGV[0]) }; print $@")
    message = perl_with_modelzoo(code, tmp_path)
    zip_file = tmp_path / "squeezenet1.1-33ba0f93.zip"
    assert message == (f"{zip_file} is not there, and the bridge downloads nothing: put squeezenet1.1-33ba0f93.zip "
                       f"(from http://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/models/"
                       f"squeezenet1.1-33ba0f93.zip) at {zip_file} at {message.split(' at ')[-1]}")
    assert message.count("\n") == 1
