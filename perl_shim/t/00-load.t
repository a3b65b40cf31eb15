#!/usr/bin/env perl
# Loading the shim: exported names, class names, the bridge's configuration, and no _Inline cache.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use File::Spec;
use Cwd qw(getcwd);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

BEGIN { use_ok('AI::MXNet', qw(mx)) }
BEGIN { use_ok('AI::MXNet::AutoGrad', qw(autograd)) }

# mx is exported and is the class name
ok(defined &main::mx, 'mx is exported into main');
is(mx(), 'AI::MXNet', 'mx is the class name AI::MXNet');
is(mx->nd, 'AI::MXNet::NDArray', 'mx->nd is AI::MXNet::NDArray');
is(mx->autograd, 'AI::MXNet::AutoGrad', 'mx->autograd is AI::MXNet::AutoGrad');
is(mx->random, 'AI::MXNet::Random', 'mx->random is AI::MXNet::Random');
is(AI::MXNet::NDArray->random, 'AI::MXNet::Random', 'nd->random is AI::MXNet::Random');
is($AI::MXNet::VERSION, '1.5', 'AI::MXNet version 1.5');

# nd as a bare class name
my $x = nd->array([[1, 2], [3, 4]]);
isa_ok($x, 'AI::MXNet::NDArray', 'nd->array result');
is_deeply($x->shape, [2, 2], 'nd->array shape');
is(ref(nd->ones([3])), 'AI::MXNet::NDArray', 'nd->ones via the bare class name');
is(nd->ones([3])->sum->asscalar, 3, 'nd->ones([3])->sum is 3');
is(mx->nd->array([5])->asscalar, 5, 'mx->nd->array works too');

# nd as a bare class name works in another package as well (AI::MXNet before 1.5 made it global)
{
    package Some::Other::Package;
    my $y = nd->array([7, 8]);
    main::is($y->sum->asscalar, 15, 'nd works as a bare class name in another package');
}

# the autograd export
ok(defined &main::autograd, 'autograd is exported into main');
is(autograd(), 'AI::MXNet::AutoGrad', 'autograd is the class name AI::MXNet::AutoGrad');
ok(!autograd->is_recording, 'autograd->is_recording is false outside record');
my $r;
autograd->record(sub { $r = autograd->is_recording });
ok($r, 'autograd->record works through the exported name');

# contexts
is(mx->cpu . '', 'cpu(0)', 'mx->cpu prints cpu(0)');
is(mx->gpu(1) . '', 'gpu(1)', 'mx->gpu(1) prints gpu(1)');
is($x->context . '', 'cpu(0)', 'an array lives on cpu(0)');
isa_ok($x->context, 'AI::MXNet::Context');

# the configuration line
my $config = AI::MXNet::Bridge::config_line();
ok(defined $config && length $config, 'config_line is not empty');
like($config, qr/\bmxnet 1\.9\.1\b/, 'config_line mentions mxnet 1.9.1');
like($config, qr/\bpython 3\.\d+/, 'config_line mentions the python version');
like($config, qr/\bnumpy \d/, 'config_line mentions the numpy version');
like($config, qr/\bmxnet 1\.9\.1 \((?:mxnet, CPU build|mxnet-cu\d+, CUDA build, (?:no GPU seen|\d+ GPUs?: gpu\(0\) sm_\d+).*)\)/,
     'config_line names the mxnet build, and with CUDA the GPUs and their compute capability');

# Loading in a fresh process writes no _Inline folder into the current directory.
{
    my $lib = shim_lib();
    my $dir = tempdir(CLEANUP => 1);
    my $old = getcwd();
    chdir $dir or die "chdir $dir: $!";
    my $out = `"$^X" -I"$lib" -e "use AI::MXNet qw(mx); print nd->array([[1, 2], [3, 4]])->sum->asscalar, qq{\\n}" 2>&1`;
    my $status = $?;
    my @entries = do { opendir my $dh, $dir or die $!; grep { !/^\.\.?$/ } readdir $dh };
    chdir $old or die "chdir $old: $!";
    is($status, 0, 'child perl loading AI::MXNet exits 0') or diag($out);
    is($out, "10\n", 'child perl computes with AI::MXNet');
    ok(!-e File::Spec->catdir($dir, '_Inline'), 'no _Inline folder in the current directory');
    is_deeply(\@entries, [], 'nothing at all written into the current directory');
}

# Nothing is imported from the current directory: modules named as the standard library's, numpy's, mxnet's
# and the bridge's, lying in the directory perl starts in, are never run (Perl left `.` out of @INC for this).
{
    my $lib = shim_lib();
    my $dir = tempdir(CLEANUP => 1);
    my @names = qw(signal site os json ctypes inspect platform encodings numpy mxnet bridge);
    for my $name (@names) {
        open my $fh, '>', File::Spec->catfile($dir, "$name.py") or die $!;
        print $fh "open(r'$dir/ran_$name', 'w').close()\n";
        close $fh;
    }
    my $old = getcwd();
    chdir $dir or die "chdir $dir: $!";
    my $out = `"$^X" -I"$lib" -e "use AI::MXNet qw(mx); print nd->ones([2])->sum->asscalar, qq{\\n}" 2>&1`;
    my $status = $?;
    chdir $old or die "chdir $old: $!";
    is($status, 0, 'AI::MXNet loads with Python files named as modules in the current directory') or diag($out);
    is($out, "2\n", 'and computes');
    is_deeply([grep { -e File::Spec->catfile($dir, "ran_$_") } @names], [], 'none of those files ran');
}

done_testing();
