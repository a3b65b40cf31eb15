#!/usr/bin/env perl
# Errors: MXNet and bridge errors die as Perl exceptions with MXNet's own message and the caller's
# file and line, the Python traceback only on request, and the process keeps working afterwards.
use strict;
use warnings;
use Test::More;
use Scalar::Util qw(blessed);
use AI::MXNet qw(mx);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

my $FILE = __FILE__;

# --- a shape mismatch in dot
{
    my $a = nd->ones([2, 3]);
    my $b = nd->ones([2, 3]);
    my $line = __LINE__ + 1;
    my $ok = eval { nd->dot($a, $b); 1 };
    my $err = $@;
    ok(!$ok, 'dot of [2,3] and [2,3] dies');
    ok(blessed($err) && $err->isa('AI::MXNet::Error'), 'the exception is an AI::MXNet::Error');
    my $text = "$err";
    my ($first) = split /\n/, $text;
    like($first, qr/dot shape error/, 'the first line has MXNet\'s message "dot shape error"');
    like($first, qr/\[2,3\] X \[2,3\]/, 'the first line names both shapes');
    like($first, qr/ at \Q$FILE\E line $line\.$/, 'the first line ends with this file and the line of the call');
    unlike($text, qr/Traceback/, 'no Python traceback in the message');
    unlike($text, qr/File "[^"]*\.py"/, 'no Python file names in the message');
    unlike($text, qr/Stack trace|\bframe #|c_api|libmxnet/, 'no C++ stack trace in the message');
    is(scalar(() = $text =~ /\n/g), 1, 'the message is a single line');
    like($err->message, qr/dot shape error/, '->message is MXNet\'s message');
    unlike($err->message, qr/ at \Q$FILE\E line/, '->message has no file and line');
    is($err->type, 'MXNetError', '->type is MXNetError');
    like($err->traceback, qr/Traceback/, '->traceback keeps the Python traceback');
    like($err->traceback, qr/dot shape error/, '->traceback has the message too');
    ok($err, 'the exception is true in boolean context');

    {
        local $ENV{AI_MXNET_BRIDGE_DEBUG} = 1;
        like("$err", qr/Traceback/, 'with AI_MXNET_BRIDGE_DEBUG=1 the message includes the traceback');
        like("$err", qr/\A[^\n]*dot shape error[^\n]* at \Q$FILE\E line $line\.\n/, '... after the first line');
        my $ok2 = eval { nd->dot($a, $b); 1 };
        like("$@", qr/Traceback/, 'a fresh error under AI_MXNET_BRIDGE_DEBUG=1 prints its traceback');
    }
    {
        local $ENV{AI_MXNET_BRIDGE_DEBUG} = 0;
        unlike("$err", qr/Traceback/, 'AI_MXNET_BRIDGE_DEBUG=0: no traceback');
    }

    # the process still computes correctly
    my $c = nd->dot($a, nd->ones([3, 2]));
    is_deeply($c->shape, [2, 2], 'dot of [2,3] and [3,2] works after the error');
    is_deeply(vals($c), [3, 3, 3, 3], '... with the right values');
    is_deeply(vals(nd->dot(nd->array([[1, 2], [3, 4]]), nd->array([[5, 6], [7, 8]]))), [19, 22, 43, 50],
              'a 2x2 matrix product is right');
}

# an error from a method call and from an operator carry the caller's line too
{
    my $x = nd->ones([2, 2]);
    my $line = __LINE__ + 1;
    eval { $x->reshape([3, 3]) };
    like("$@", qr/target shape size is larger.* at \Q$FILE\E line $line\./, 'an MXNet error in a method call names this line');
    $line = __LINE__ + 1;
    eval { my $y = $x + nd->ones([3]) };
    ok(blessed($@) && $@->isa('AI::MXNet::Error'), '+ of incompatible shapes dies with an AI::MXNet::Error');
    like("$@", qr/ at \Q$FILE\E line $line\./, '... naming this line');
    $line = __LINE__ + 1;
    eval { my $y = PDL->new_from_specification(PDL::float(), 2, 2) - $x };
    like("$@", qr/ at \Q$FILE\E line $line\./, 'an error inside PDL\'s operator (a PDL on the left) names this line');
    $line = __LINE__ + 1;
    eval { $x->asscalar };
    like("$@", qr/size must be 1.* at \Q$FILE\E line $line\./, 'asscalar of 4 elements dies, naming this line');

    # from inside a sub in another package: the line of the call in that sub
    {
        package Some::User::Code;
        sub bad { AI::MXNet::NDArray->dot($_[0], $_[0]) }
    }
    my $sub_line = __LINE__ - 2;
    eval { Some::User::Code::bad(nd->ones([2, 3])) };
    like("$@", qr/ at \Q$FILE\E line $sub_line\./, 'an error inside a user sub names the line in that sub');
}

# --- an unknown operator
{
    my $ok = eval { nd->no_such_op(nd->ones([1])); 1 };
    ok(!$ok, 'nd->no_such_op dies');
    like("$@", qr/unknown operator no_such_op/, 'the message says "unknown operator no_such_op"');
    unlike("$@", qr/Traceback/, '... without a Python traceback');
    my $line = __LINE__ + 1;
    eval { nd->no_such_op };
    like("$@", qr/unknown operator no_such_op.* at \Q$FILE\E line $line\./, 'nd->no_such_op without arguments: same, with this line');
    eval { nd->relux(nd->ones([1])) };
    like("$@", qr/unknown operator relux/, 'a misspelt operator is unknown');
    like("$@", qr/relu\b/, '... and the message suggests relu');
    # a real operator reached the same way works
    is_deeply(vals(nd->relu(nd->array([-1, 2]))), [0, 2], 'nd->relu works');
    is_deeply(vals(nd->array([-1, 2])->relu), [0, 2], '$x->relu works');
    is_deeply(vals(mx->nd->maximum(nd->array([1, 5]), nd->array([3, 4]))), [3, 5], 'mx->nd->maximum works');
    # AI::MXNet's NDArray methods maximum and minimum (number or NDArray argument)
    is_deeply(scalar(eval { vals(nd->array([1, 5])->maximum(2.5)) }), [2.5, 5], '$x->maximum(2.5) works') or diag($@);
    is_deeply(scalar(eval { vals(nd->array([1, 5])->minimum(nd->array([3, 4]))) }), [1, 4], '$x->minimum($y) works') or diag($@);
    my $ok2 = eval { nd->array([1])->no_such_method; 1 };
    ok(!$ok2, 'an unknown method on an NDArray dies');
    like("$@", qr/no_such_method/, '... naming the method');
}

# --- integer division by zero (and of the smallest integer by -1) would abort the process in libmxnet: it
# dies instead, by operator and by every name of a dividing operator. Each runs in a child process, so a
# missing guard fails its own test ("killed by signal 8") instead of killing this script.
{
    my ($i, $zero) = (nd->array([7, 8], dtype => 'int32'), nd->array([1, 0], dtype => 'int32'));
    my %division = (
        '$i / $zero'                => sub { $i / $zero },
        '$i / 0'                    => sub { $i / 0 },
        '5 / $zero'                 => sub { 5 / $zero },
        '$i % $zero'                => sub { $i % $zero },
        'nd->divide'                => sub { nd->divide($i, $zero) },
        'nd->true_divide'           => sub { nd->true_divide($i, $zero) },
        'nd->broadcast_div'         => sub { nd->broadcast_div($i, $zero) },
        'nd->elemwise_div'          => sub { nd->elemwise_div($i, $zero) },
        '$i->broadcast_div($zero)'  => sub { $i->broadcast_div($zero) },
        'nd->divide(5, $zero)'      => sub { nd->divide(5, $zero) },
    );
    for my $name (sort keys %division) {
        like(in_child($division{$name}), qr/^died: integer division by zero \(libmxnet would abort the process\) at /,
             "$name dies saying so");
    }
    my $min = nd->array([-2147483648], dtype => 'int32');
    like(in_child(sub { nd->broadcast_div($min, nd->array([-1], dtype => 'int32')) }),
         qr/^died: integer overflow: int32 minimum divided by -1/, 'int32 minimum / -1 dies saying so');
    is(in_child(sub { $i / nd->array([2, -4], dtype => 'int32') }), 'value: 3 -2', 'a child that divides reports its values');
    is_deeply(vals(nd->broadcast_div($i, nd->array([2, 4], dtype => 'int32'))), [3, 2], 'integer division still divides');
    is_deeply(vals(nd->divide(nd->array([1]), nd->array([0]))), ['Inf'], 'float division by zero is Inf, as in mxnet');
}

# --- 1000 failing calls in a loop break nothing
{
    my $x = nd->ones([2, 3]);
    my ($died, $right) = (0, 0);
    for my $i (1 .. 100) { eval { nd->dot($x, $x) } }    # warm-up
    my $rss_before = rss_kb();
    for my $i (1 .. 1000) {
        my $ok = eval { nd->dot($x, $x); 1 };
        $died++ if !$ok && "$@" =~ /dot shape error/;
        my $ok2 = eval { nd->no_such_op; 1 };
        $died++ if !$ok2 && "$@" =~ /unknown operator/;
    }
    my $rss_after = rss_kb();
    is($died, 2000, '2000 failing calls all died with their own message');
    for my $i (1 .. 10) { $right++ if nd->dot($x, nd->ones([3, 1]) * $i)->sum->asscalar == 2 * 3 * $i }
    is($right, 10, 'after them, ten computations are right');
    SKIP: {
        skip 'no /proc/self/status', 1 unless defined $rss_before && defined $rss_after;
        cmp_ok($rss_after - $rss_before, '<', 50_000, 'memory grows by less than 50 MB over 2000 errors')
            or diag("RSS before $rss_before kB, after $rss_after kB");
    }
    ok(!mx->autograd->is_recording, 'the autograd state is untouched');
}

sub rss_kb {
    open my $fh, '<', '/proc/self/status' or return undef;
    while (<$fh>) { return $1 if /^VmRSS:\s+(\d+)/ }
    return undef;
}

# --- a ragged list
{
    my $line = __LINE__ + 1;
    my $ok = eval { nd->array([[1, 2], [3]]); 1 };
    my $err = $@;
    ok(!$ok, 'nd->array of a ragged list dies');
    ok(blessed($err) && $err->isa('AI::MXNet::Error'), '... with an AI::MXNet::Error');
    like("$err", qr/ at \Q$FILE\E line $line\.\n\z/, '... naming this line, on one line');
    unlike("$err", qr/Traceback/, '... without a Python traceback');
    ok(!eval { nd->array([1, [2, 3]]); 1 }, 'nd->array([1, [2, 3]]) dies');
    ok(!eval { nd->array([[1, 2], 'x']); 1 }, 'nd->array with a string among rows dies');
    is_deeply(vals(nd->array([[1, 2], [3, 4]])), [1, 2, 3, 4], 'a regular list works afterwards');
}

# --- a die in user code still works as usual around the bridge
{
    my $ok = eval { my $x = nd->ones([1]); die "mine\n"; 1 };
    is($@, "mine\n", 'a plain Perl die is untouched');
    eval { eval { nd->no_such_op }; die "outer: $@" };
    like($@, qr/^outer: unknown operator no_such_op/, 'an error can be rethrown with a prefix');
}

done_testing();
