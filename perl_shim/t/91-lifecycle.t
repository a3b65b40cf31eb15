#!/usr/bin/env perl
# The process around the bridge: exiting with live arrays, gradients and open recording scopes; dying;
# Ctrl-C in a long loop; fork after loading. Each runs in a child perl and must end cleanly and quickly.
# AI_MXNET_LIFECYCLE_RUNS sets how many exits are tried (make test: 10; the issue's figure: 100).
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempfile);
use IPC::Open3;
use Symbol qw(gensym);
use IO::Select;
use POSIX qw(WNOHANG);
use Time::HiRes qw(time sleep);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

my $RUNS = $ENV{AI_MXNET_LIFECYCLE_RUNS} // 10;
my @PERL = ($^X, '-I' . shim_lib());

# Run a script in a child perl; returns (exit status, stdout, stderr), killing it after $timeout seconds.
# With signal => NAME, the signal is sent once the child has printed a line "ready" (or the time is up).
sub run_script {
    my ($code, %opt) = @_;
    my ($fh, $file) = tempfile(SUFFIX => '.pl', UNLINK => 1);
    print $fh $code;
    close $fh;
    my $err = gensym;
    my $pid = open3(my $in, my $out, $err, @PERL, $file);
    close $in;
    my $deadline = time + ($opt{timeout} // 60);
    my $early = '';
    if ($opt{signal}) {
        my $select = IO::Select->new($out);
        while ($early !~ /^ready$/m && $select->can_read($deadline - time)) {
            sysread($out, $early, 4096, length $early) or last;
        }
        kill $opt{signal}, $pid;
    }
    my $waited;
    until (($waited = waitpid($pid, WNOHANG)) || time > $deadline) { sleep 0.05 }
    unless ($waited) { kill 'KILL', $pid; waitpid($pid, 0); return (undef, $early, 'timed out') }
    my $status = $?;
    local $/;
    return ($status, $early . (scalar(<$out>) // ''), scalar(<$err>) // '');
}

my $LIVE = <<'PERL';
use strict; use warnings; use AI::MXNet qw(mx);
my $x = nd->array([[1, 2], [3, 4]]);
$x->attach_grad;
my $y;
mx->autograd->record(sub { $y = $x * $x; $y->backward; our $keep = [$x->grad, $y, nd->ones([3, 3])]; });
our $global = nd->random->uniform(shape => [10, 10]);
mx->autograd->record(sub { my $z = $global * 2; print "done\n"; exit 0 });   # exit inside a scope
PERL

my @bad = grep {
    my ($status, $out, $err) = run_script($LIVE);
    !(defined $status && $status == 0 && $out eq "done\n" && $err eq '');
} 1 .. $RUNS;
is(scalar @bad, 0, "$RUNS exits with live arrays, gradients and an open recording scope: status 0, no output on stderr");

{
    my ($status, $out, $err) = run_script(<<'PERL');
use strict; use warnings; use AI::MXNet qw(mx);
my $x = nd->array([1, 2]);
$x->attach_grad;
mx->autograd->record(sub { my $y = $x * 2; die "stopped here\n" });
PERL
    is($status >> 8, 255, 'a script that dies inside record exits 255');
    is($err, "stopped here\n", '... and prints only its message');
}

{
    my ($status, $out, $err) = run_script(<<'PERL', signal => 'INT', timeout => 30);
use strict; use warnings; use AI::MXNet qw(mx);
$| = 1;
my $x = nd->ones([4, 4]) * 1.0001 + 0.5;
print "ready\n";
$x = $x * 1.0001 + 0.5 while 1;
PERL
    is($out, "ready\n", 'a long loop was running when Ctrl-C came');
    ok(defined $status, 'Ctrl-C stops it (the child ended; a hang is killed after 30 s)');
    is($status & 127, 2, '... by SIGINT') if defined $status;
}

{
    my ($status, $out, $err) = run_script(<<'PERL', timeout => 60);
use strict; use warnings; use AI::MXNet qw(mx);
my $x = nd->array([1, 2, 3]);
my $pid = fork;
if (!$pid) {
    my $r = eval { (nd->array([1, 2]) * 2)->sum->asscalar };
    print defined $r ? "child $r\n" : "child died: $@";
    exit 0;
}
waitpid($pid, 0);
print "parent ", ($x * 2)->sum->asscalar, "\n";
PERL
    is($status, 0, 'fork after loading: both processes end');
    like($out, qr/^child (?:6\n|died: .+)/m, '... the child works or dies with a message');
    like($out, qr/^parent 12$/m, '... and the parent still computes');
}

done_testing;
