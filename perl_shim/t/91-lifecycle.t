#!/usr/bin/env perl
# The process around the bridge: exiting with live arrays, gradients and open recording scopes; dying;
# Ctrl-C in a long loop; signal handlers around a record/backward loop; dying with work in flight; fork after
# loading. Each runs in a child perl and must end cleanly and quickly.
# AI_MXNET_LIFECYCLE_RUNS sets how many exits are tried (make test: 10, and 2 that die with work in flight;
# make soak: 100 of each, the work-in-flight ones also 2 at a time).
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
my $IN_FLIGHT_RUNS = $ENV{AI_MXNET_LIFECYCLE_RUNS} // 2;    # (each takes seconds: make soak runs 100)
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


# The same script in $count child perls at once: ([exit status, stdout, stderr], ...), each output read from a
# file (a child never blocks on a full pipe while another is waited for).
sub run_scripts {
    my ($count, $code, %opt) = @_;
    my ($fh, $file) = tempfile(SUFFIX => '.pl', UNLINK => 1);
    print $fh $code;
    close $fh;
    my @children = map {
        my ($out, $out_file) = tempfile(UNLINK => 1);
        my ($err, $err_file) = tempfile(UNLINK => 1);
        my $pid = open3(my $in, '>&' . fileno($out), '>&' . fileno($err), @PERL, $file);
        close $in;
        {pid => $pid, out => $out_file, err => $err_file};
    } 1 .. $count;
    my $deadline = time + ($opt{timeout} // 60);
    for my $child (@children) {
        my $waited;
        until (($waited = waitpid($child->{pid}, WNOHANG)) || time > $deadline) { sleep 0.05 }
        unless ($waited) { kill 'KILL', $child->{pid}; waitpid($child->{pid}, 0); $child->{status} = undef; next }
        $child->{status} = $?;
    }
    local $/;
    return map {
        my $child = $_;
        my ($out, $err) = map { open my $h, '<', $child->{$_} or die $!; scalar(<$h>) // '' } qw(out err);
        [$child->{status}, $out, defined $child->{status} ? $err : 'timed out'];
    } @children;
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

# Dying with work in flight (hybridized Blocks, a Trainer, operations nobody waited for): only the message, exit
# status 255, promptly; also with two such runs at once (mxnet's teardown once aborted or hung there).
my $IN_FLIGHT = <<'PERL';
use strict; use warnings; use AI::MXNet qw(mx); use AI::MXNet::Gluon qw(gluon); use AI::MXNet::Gluon::NN qw(nn);
package Mix { use AI::MXNet::Gluon::Mouse; extends 'AI::MXNet::Gluon::HybridBlock';
  sub BUILD { my $self = shift; $self->name_scope(sub { $self->d1(nn->Dense(64, activation => 'relu')); $self->d2(nn->Dense(10)) }) }
  sub hybrid_forward { my ($self, $F, $x) = @_; $self->d2->($self->d1->($x)) } }
package main;
my @nets = map { my $n = Mix->new; $n->initialize; $n->hybridize; $n } 1 .. 2;
my $trainer = gluon->Trainer($nets[0]->collect_params, 'adam', {learning_rate => 0.01});
my $x = nd->random->uniform(shape => [128, 256]);
our @keep;
for my $i (1 .. 3) {
    my $loss;
    mx->autograd->record(sub { $loss = $nets[0]->($x)->sum });
    $loss->backward;
    $trainer->step(128);
    push @keep, (map { $_->($x) } @nets), nd->dot($x, $x->T);
}
mx->autograd->record(sub { push @keep, $nets[1]->($x), nd->dot($x->T, $x); die "stopped with work in flight\n" });
PERL
for my $parallel (1, 2) {
    my ($bad, $slow) = (0, 0);
    for my $round (1 .. ($parallel == 1 ? $IN_FLIGHT_RUNS : $IN_FLIGHT_RUNS / 2)) {
        my $start = time;
        for my $result (run_scripts($parallel, $IN_FLIGHT, timeout => 120)) {
            my ($status, $out, $err) = @$result;
            $bad++ unless defined $status && $status >> 8 == 255 && $err eq "stopped with work in flight\n";
            diag("status " . ($status // 'none') . ": $err") unless defined $status && $err eq "stopped with work in flight\n";
        }
        $slow++ if time - $start > 60;
    }
    is($bad, 0, "dying with work in flight, $parallel at a time: exit status 255 and only the message each time");
    is($slow, 0, '... and promptly');
}

# A Perl signal handler that sets a flag stops a record/backward loop (with a Function written in Perl in the
# graph); an ALRM handler that dies is caught and the process goes on; both exit cleanly.
my $SIGNALS = <<'PERL';
use strict; use warnings; use AI::MXNet qw(mx);
$| = 1;
package Square { use parent -norequire, 'AI::MXNet::AutoGrad::Function';
  sub forward { $_[0]->save_for_backward($_[1]); $_[1] * $_[1] }
  sub backward { my ($x) = $_[0]->saved_tensors; 2 * $x * $_[1] } }
package main;
my $x = nd->random->uniform(shape => [64, 64]);
$x->attach_grad;
my $step = sub { my $y; mx->autograd->record(sub { $y = Square->new->(nd->dot($x, $x))->sum }); $y->backward };
my $mode = shift // 'int';
if ($mode eq 'int') { my $stop = 0; local $SIG{INT} = sub { $stop = 1 }; $step->(); print "ready\n"; $step->() until $stop }
elsif ($mode eq 'alrm_die') { local $SIG{ALRM} = sub { die "timeout\n" }; alarm 1; eval { $step->() while 1 }; print "caught $@" }
else { my $stop = 0; local $SIG{ALRM} = sub { $stop = 1 }; alarm 1; $step->() until $stop }
$step->();
print "stopped\n";
PERL
{
    my ($status, $out, $err) = run_script($SIGNALS, signal => 'INT', timeout => 60);
    is($status, 0, 'a flag-setting $SIG{INT} handler stops a record/backward loop, and the process exits 0');
    is($out, "ready\nstopped\n", '... after the loop') or diag($err);
    for my $mode (qw(alrm_die alrm_flag)) {
        (my $code = $SIGNALS) =~ s/shift \/\/ 'int'/'$mode'/;
        my ($status, $out, $err) = run_script($code, timeout => 60);
        is($status, 0, "\$SIG{ALRM} ($mode) around the loop: the process exits 0") or diag($err);
        like($out, qr/stopped\n\z/, '... after the loop');
    }
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
