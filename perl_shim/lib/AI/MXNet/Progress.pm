package AI::MXNet::Progress;

# Progress of a training loop on the terminal: a Term::ProgressBar per epoch, and at each epoch's end a line
# with the epoch's mean loss and speed. Off when STDERR is not a terminal (logs and pipes stay clean), so a
# script prints the same with it as without it; `force => 1` (or AI_MXNET_PROGRESS=1) turns it on anyway.
# A bridge addition: AI::MXNet's Gluon loops printed their own lines.

use strict;
use warnings;
use Time::HiRes qw(time);

sub new {
    my ($class, %args) = @_;
    my $on = $args{force} // $ENV{AI_MXNET_PROGRESS} // -t STDERR;
    my $self = bless {epochs => $args{epochs} // 1, batches => $args{batches}, batch_size => $args{batch_size} // 1,
                      fh => $args{fh} // \*STDERR, on => $on ? 1 : 0, epoch => -1}, $class;
    require Term::ProgressBar if $self->{on} && $self->{batches};
    return $self;
}

sub enabled { $_[0]{on} }

# update(epoch => $e, batch => $i, loss => $value): after batch $i (from 0) of epoch $e (from 0).
sub update {
    my ($self, %at) = @_;
    return unless $self->{on};
    $self->_start_epoch($at{epoch} // 0) if ($at{epoch} // 0) != $self->{epoch};
    $self->{seen}++;
    $self->{loss_sum} += $at{loss} if defined $at{loss};
    my $done = ($at{batch} // $self->{seen} - 1) + 1;
    $self->{last} = $done;
    if ($self->{bar}) { $self->{next} = $self->{bar}->update($done) if $done >= $self->{next} }
    else {
        my $fh = $self->{fh};
        printf {$fh} "\repoch %d/%d  batch %d  loss %.4f  %.1f samples/s", $self->{epoch} + 1, $self->{epochs},
            $done, $self->_mean_loss, $self->_speed;
    }
    return;
}

# The epoch's summary line (called by the next epoch's first update, or by done).
sub done {
    my ($self) = @_;
    return unless $self->{on} && $self->{epoch} >= 0 && $self->{seen};
    my $line = sprintf "epoch %d/%d: loss %.4f, %.1f samples/s", $self->{epoch} + 1, $self->{epochs},
        $self->_mean_loss, $self->_speed;
    if ($self->{bar}) {
        $self->{bar}->update($self->{batches}) if $self->{last} < $self->{batches};
        $self->{bar}->message($line);
    }
    else { my $fh = $self->{fh}; print {$fh} "\r$line\n" }
    $self->{seen} = 0;
    return;
}

sub _start_epoch {
    my ($self, $epoch) = @_;
    $self->done;
    @$self{qw(epoch seen loss_sum start next last)} = ($epoch, 0, 0, time, 0, 0);
    $self->{bar} = $self->{batches}
        ? Term::ProgressBar->new({name => sprintf("epoch %d/%d", $epoch + 1, $self->{epochs}),
                                  count => $self->{batches}, ETA => 'linear', fh => $self->{fh},
                                  remove => 1})
        : undef;
    $self->{bar}->minor(0) if $self->{bar};
    return;
}

sub _mean_loss { $_[0]{seen} ? $_[0]{loss_sum} / $_[0]{seen} : 0 }
sub _speed { my $t = time - $_[0]{start}; $t > 0 ? $_[0]{seen} * $_[0]{batch_size} / $t : 0 }

1;

=head1 NAME

AI::MXNet::Progress - a training loop's progress on the terminal (epoch, batch, loss, speed)

=head1 SYNOPSIS

    use AI::MXNet::Progress;
    my $progress = AI::MXNet::Progress->new(epochs => $epochs, batches => scalar @batches, batch_size => 64);
    for my $epoch (0 .. $epochs - 1) {
        for my $i (0 .. $#batches) {
            ...;   # forward, backward, $trainer->step
            $progress->update(epoch => $epoch, batch => $i, loss => $loss->mean->asscalar);
        }
    }
    $progress->done;

=head1 DESCRIPTION

On a terminal, a Term::ProgressBar per epoch (with its ETA) on STDERR, and after each epoch one line
C<epoch 2/5: loss 0.4321, 5120.3 samples/s>. Without C<batches> (a loader of unknown length) it is one line,
rewritten in place. When STDERR is not a terminal it prints nothing, unless C<< force => 1 >> or the environment
variable C<AI_MXNET_PROGRESS=1>; C<AI_MXNET_PROGRESS=0> turns it off on a terminal too.

=head1 METHODS

=over

=item new(epochs => $n, batches => $n, batch_size => $n, force => $bool, fh => $handle)

A progress display; C<batches> (per epoch) and C<batch_size> may be left out; C<fh> is STDERR by default.

=item update(epoch => $epoch, batch => $i, loss => $loss)

After each batch (numbered from 0); the mean loss and the speed shown are of the epoch so far.

=item done

Ends the display (the last epoch's line).

=item enabled

Whether it shows anything (a terminal, or forced).

=back

=cut
