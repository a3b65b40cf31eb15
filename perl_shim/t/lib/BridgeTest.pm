package BridgeTest;

# Helpers shared by the Perl tests.

use strict;
use warnings;
use Test::More ();
use Exporter 'import';
use Cwd qw(abs_path);
use File::Spec;
use POSIX ();
use Scalar::Util qw(blessed);

our @EXPORT = qw(vals near dies_one_line shim_lib venv_python in_child);

# The directory that `use AI::MXNet` loads from: the checkout's lib, or blib/lib when the distribution is
# built. Child perls get it with -I, so they run the same copy (and find the same venv).
sub shim_lib {
    my ($dir) = grep { !ref && -e File::Spec->catfile($_, 'AI', 'MXNet.pm') } @INC;
    return abs_path($dir);
}

# The Python of the venv that the bridge loaded (plain Python mxnet, to compare with).
sub venv_python { File::Spec->catfile($AI::MXNet::Bridge::VENV, 'bin', 'python') }

# The values of an NDArray as a flat Perl list (row-major), through PDL.
sub vals { [ $_[0]->aspdl->list ] }

# Compare two flat lists of numbers within a relative tolerance.
sub near {
    my ($got, $want, $name, $tol) = @_;
    $tol //= 1e-5;
    my $ok = @$got == @$want;
    for my $i (0 .. $#$want) {
        $ok = 0 unless defined $got->[$i] && abs($got->[$i] - $want->[$i]) <= $tol * (1 + abs($want->[$i]));
    }
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::ok($ok, $name) or Test::More::diag("got [@$got], expected [@$want]");
}

# A die of one line (at most a trailing newline) that matches $like: what bad input must give.
sub dies_one_line {
    my ($code, $like, $name) = @_;
    my $ok = eval { $code->(); 1 };
    my $error = "$@";
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::ok(!$ok && $error =~ $like && ($error =~ tr/\n//) <= 1, $name) or Test::More::diag($error);
}

# Run $code in a forked child, so that a call which kills the process (libmxnet's SIGFPE) fails one named
# test instead of the whole script. Returns "value: VALUES" (an NDArray's values, which waits for libmxnet to
# have run it), "died: MESSAGE" or "killed by signal N".
sub in_child {
    my ($code) = @_;
    pipe(my $read, my $write) or die "pipe: $!";
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        close $read;
        my $r = eval {
            my $v = $code->();
            'value: ' . (blessed($v) && $v->can('aspdl') ? join(' ', $v->aspdl->list) : $v // 'undef');
        };
        print {$write} $r // "died: $@";
        close $write;
        POSIX::_exit(0);
    }
    close $write;
    my $out = do { local $/; <$read> };
    waitpid($pid, 0);
    return $? & 127 ? 'killed by signal ' . ($? & 127) : $out;
}

1;
