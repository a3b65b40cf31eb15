#!/usr/bin/env perl
# Ordered hashes (Hash::Ordered, or any object with its keys/get/values methods) are hashes wherever AI::MXNet
# took a hash, in their own order. Hash::Ordered is not in Debian: a class of the same methods stands in for it.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use Cwd qw(abs_path);
use PDL;
use AI::MXNet qw(mx);
use lib "$FindBin::Bin/lib";
use BridgeTest;

{
    package Test::OrderedHash;    # Hash::Ordered's interface, as much as the bridge looks at
    sub new    { my ($class, @pairs) = @_; my %i; my @k; while (my ($k, $v) = splice @pairs, 0, 2) { push @k, $k; $i{$k} = $v } bless [\@k, \%i], $class }
    sub keys   { @{ $_[0][0] } }
    sub get    { $_[0][1]{ $_[1] } }
    sub values { my $self = shift; map { $self->[1]{$_} } @{ $self->[0] } }
}
{
    package Test::NotAHash;    # keys and get, but no values: not taken for a hash
    sub new  { bless {}, shift }
    sub keys { () }
    sub get  { undef }
}

my $dir = tempdir(CLEANUP => 1);
my $python = abs_path("$FindBin::Bin/../..") . '/.venv/bin/python';

# the names in an NDArray file, in the file's order, as plain Python mxnet reads them
sub names_in_file {
    my ($file) = @_;
    my $out = `"$python" -c "import mxnet as mx; print(' '.join(mx.nd.load('$file')))" 2>&1`;
    chomp $out;
    return $out;
}

{
    my $hash = Test::OrderedHash->new(zz => nd->ones([1]), aa => nd->zeros([1]), mm => pdl([5, 6]));
    mx->nd->save("$dir/ordered.params", $hash);
    SKIP: {
        skip 'no .venv python', 1 unless -x $python;
        is(names_in_file("$dir/ordered.params"), 'zz aa mm', 'an ordered hash given to nd->save keeps its order');
    }
    my $loaded = mx->nd->load("$dir/ordered.params");
    is_deeply([sort keys %$loaded], [qw(aa mm zz)], '... every pair is saved');
    is_deeply(vals($loaded->{mm}), [5, 6], '... a PDL value as an NDArray');

    my $iter = mx->io->NDArrayIter(nd->ones([4, 2]), Test::OrderedHash->new(label => nd->array([1, 2, 3, 4]),
                                                                          w => nd->zeros([4])), batch_size => 2);
    is_deeply([sort map { $_->[0] } @{ $iter->provide_label }], [qw(label w)],
              'NDArrayIter takes an ordered hash of labels, as AI::MXNet did');
}

mx->nd->save("$dir/one.params", Test::OrderedHash->new(only => nd->ones([2])));
is_deeply([keys %{ mx->nd->load("$dir/one.params") }], ['only'], 'an ordered hash of one pair');

dies_one_line(sub { mx->nd->save("$dir/not.params", Test::NotAHash->new) }, qr/./,
              'an object without the three methods is not taken for a hash');

done_testing;
