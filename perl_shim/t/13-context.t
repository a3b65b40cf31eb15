#!/usr/bin/env perl
# Contexts: mx->cpu, mx->gpu, mx->Context, ->context, ctx => everywhere, the current default context, and a
# GPU on a machine without one, which dies with one line when used.
use strict;
use warnings;
use Test::More;
use AI::MXNet qw(mx);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

# --- making and comparing contexts
is(mx->cpu . '', 'cpu(0)', 'mx->cpu');
is(mx->cpu(1) . '', 'cpu(1)', 'mx->cpu(1)');
is(mx->gpu(2) . '', 'gpu(2)', 'mx->gpu(2) can be made and printed');
is(mx->cpu_pinned . '', 'cpu_pinned(0)', 'mx->cpu_pinned');
is(mx->Context('cpu', 3) . '', 'cpu(3)', "mx->Context('cpu', 3)");
is(mx->Context . '', 'cpu(0)', 'mx->Context is a new cpu(0), as AI::MXNet registered it (Context->new)');
is(mx->Context->cpu(2) . '', 'cpu(2)', '... and class methods still work on it');
is(mx->context, 'AI::MXNet::Context', 'mx->context too');
is(AI::MXNet::Context->new(device_type => 'gpu', device_id => 1) . '', 'gpu(1)', 'new(device_type =>, device_id =>)');
is(AI::MXNet::Context->new(mx->cpu(4)) . '', 'cpu(4)', 'new($context) copies it');
is(mx->cpu(4)->deepcopy . '', 'cpu(4)', 'deepcopy');
is(mx->gpu->device_type_id, 2, 'device_type_id of gpu is 2');
ok(mx->cpu(1) == mx->cpu(1), '== compares device and id');
ok(!(mx->cpu(1) == mx->cpu(2)), '... different ids differ');
ok(!(mx->cpu == 'cpu(0)'), '... a string is not a context (as in AI::MXNet)');
eval { AI::MXNet::Context->new(device_type => 'tpu') };
like($@, qr/^unknown device type 'tpu'/, 'an unknown device type dies');

# --- ctx => on creation, random, conversions
my $x = nd->array([[1, 2], [3, 4]], ctx => mx->cpu(1));
is($x->context . '', 'cpu(1)', 'array(ctx => mx->cpu(1))');
isa_ok($x->context, 'AI::MXNet::Context', '->context');
is(nd->zeros([2], ctx => mx->cpu(2))->context . '', 'cpu(2)', 'zeros(ctx =>)');
is(nd->arange(stop => 3, ctx => mx->cpu(2))->context . '', 'cpu(2)', 'arange(ctx =>)');
is(nd->random->uniform(shape => [2], ctx => mx->cpu(3))->context . '', 'cpu(3)', 'random->uniform(ctx =>)');
is(($x + 1)->context . '', 'cpu(1)', 'results stay on the context of their inputs');
is(mx->nd->array($x->aspdl, ctx => mx->cpu(5))->context . '', 'cpu(5)', 'array of a PDL with ctx =>');

# --- the current default context, shared with Python
is(mx->context->current_ctx . '', 'cpu(0)', 'current_ctx is cpu(0) at first');
AI::MXNet::Context->set_current(mx->cpu(1));
is(AI::MXNet::Context->current_context . '', 'cpu(1)', 'set_current changes current_context');
is(nd->ones([2])->context . '', 'cpu(1)', 'new arrays go to the current context');
AI::MXNet::Context->set_current(mx->cpu);
is(nd->ones([2])->context . '', 'cpu(0)', '... and back');

# --- a GPU that is not there
SKIP: {
    skip 'this machine has a GPU', 6 if mx->context->num_gpus;
    is(mx->context->num_gpus, 0, 'num_gpus is 0');
    for my $case (['nd->ones', sub { nd->ones([2], ctx => mx->gpu(0)) }],
                  ['nd->array', sub { nd->array([1], ctx => mx->gpu) }],
                  ['copyto', sub { $x->copyto(mx->gpu(0)) }],
                  ['as_in_context', sub { $x->as_in_context(mx->gpu(1)) }],
                  ['random->uniform', sub { nd->random->uniform(shape => [2], ctx => mx->gpu) }]) {
        my ($name, $code) = @$case;
        eval { $code->() };
        my $err = "$@";
        ok($err =~ /^gpu\(\d\) is not available: this mxnet has no GPU support \(mxnet 1\.9\.1, pip wheel\) at \S+ line \d+\.\n\z/,
           "$name on mx->gpu dies with one line") or diag($err);
    }
}
is_deeply(vals(nd->ones([2]) * 2), [2, 2], 'the process still computes afterwards');

# AI::MXNet's variable for the current context: `local $mx::Context = mx->cpu(1)`, back when the local ends
{
    is("$mx::Context", 'cpu(0)', '$mx::Context reads the current context');
    {
        local $mx::Context = mx->cpu(1);
        is(nd->zeros([1])->context . '', 'cpu(1)', 'arrays are made on the local context');
        is(mx->context->current_ctx . '', 'cpu(1)', 'which is current_ctx');
        ok(!eval { local $mx::Context = mx->cpu(2); die "inside\n" }, 'a die inside a local context');
        is(nd->zeros([1])->context . '', 'cpu(1)', '... leaves the outer one');
    }
    is(nd->zeros([1])->context . '', 'cpu(0)', 'back to cpu(0) after the local');
}

ok(!eval { AI::MXNet::Context->set_current('garbage'); 1 }, "set_current('garbage') dies");
like("$@", qr/^set_current takes a context/, '... saying what it takes');
is(nd->ones([1])->context . '', 'cpu(0)', '... and arrays are still made');
ok(!eval { mx->Context('tpu', 0); 1 }, "mx->Context('tpu', 0) dies");
like("$@", qr/unknown device type 'tpu'/, '... naming the device type');

done_testing;
