#!/usr/bin/env perl
# AI::MXNet::Progress: silent unless STDERR is a terminal (or forced); when on, the epoch line carries the
# epoch, the mean loss of its batches and a speed.
use strict;
use warnings;
use Test::More;
use AI::MXNet::Progress;

{
    local $ENV{AI_MXNET_PROGRESS};
    delete $ENV{AI_MXNET_PROGRESS};
    open my $fh, '>', \my $out or die;
    SKIP: {
        skip 'STDERR is a terminal here, so the progress display is meant to be on', 2 if -t STDERR;
        my $p = AI::MXNet::Progress->new(epochs => 1, batches => 3, fh => $fh);
        $p->update(epoch => 0, batch => $_, loss => 1) for 0 .. 2;
        $p->done;
        ok !$p->enabled, 'off when STDERR is not a terminal';
        is $out // '', '', 'prints nothing when off';
    }
}
{
    open my $fh, '>', \my $out or die;
    my $p = AI::MXNet::Progress->new(epochs => 2, batch_size => 10, fh => $fh, force => 1);
    ok $p->enabled, 'force => 1 turns it on';
    $p->update(epoch => 0, batch => $_, loss => [1, 2, 6]->[$_]) for 0 .. 2;
    $p->update(epoch => 1, batch => 0, loss => 0.5);
    $p->done;
    like $out, qr/epoch 1\/2: loss 3\.0000, [\d.]+ samples\/s\n/, 'epoch 1: mean of 1, 2, 6 is 3';
    like $out, qr/epoch 2\/2: loss 0\.5000, [\d.]+ samples\/s\n\z/, 'epoch 2 line at done';
    like $out, qr/\repoch 1\/2  batch 3  loss 3\.0000/, 'a one-line log, rewritten in place, without a length';
}
{
    local $ENV{AI_MXNET_PROGRESS} = 0;
    ok !AI::MXNet::Progress->new(epochs => 1)->enabled, 'AI_MXNET_PROGRESS=0 turns it off';
    $ENV{AI_MXNET_PROGRESS} = 1;
    ok(AI::MXNet::Progress->new(epochs => 1)->enabled, 'AI_MXNET_PROGRESS=1 turns it on');
}
done_testing;
