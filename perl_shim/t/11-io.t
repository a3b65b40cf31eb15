#!/usr/bin/env perl
# Saving and loading: nd->save / nd->load / nd->load_frombuffer in mxnet's file format (lists and hashes),
# files passed to and from plain Python mxnet, and Storable's freeze / thaw / dclone.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use Storable qw(freeze thaw dclone nstore retrieve);
use AI::MXNet qw(mx);
use lib "$FindBin::Bin/lib";
use BridgeTest;

my $dir = tempdir(CLEANUP => 1);
my $a = nd->array([[1, 2, 3], [4, 5, 6]]);
my $b = nd->array([10, 20], dtype => 'int64');

sub slurp { my ($file) = @_; open my $fh, '<:raw', $file or die "$file: $!"; local $/; <$fh> }

# --- a list
{
    my $file = "$dir/list.params";
    mx->nd->save($file, [$a, $b]);
    my $loaded = mx->nd->load($file);
    is(ref $loaded, 'ARRAY', 'load of a saved list is an array ref');
    is(scalar(@$loaded), 2, '... of two arrays');
    isa_ok($loaded->[0], 'AI::MXNet::NDArray');
    is_deeply(vals($loaded->[0]), [1 .. 6], '... the first with its values');
    is_deeply($loaded->[0]->shape, [2, 3], '... and shape');
    is($loaded->[1]->dtype, 'int64', '... the second keeps its dtype');
    my $again = mx->nd->load_frombuffer(slurp($file));
    is_deeply(vals($again->[1]), [10, 20], 'load_frombuffer reads the file\'s bytes');
}

# --- a hash (names with spaces, a key named like a parameter)
{
    my $file = "$dir/hash.params";
    mx->nd->save($file, {'first one' => $a, data => $b});
    my $loaded = mx->nd->load($file);
    is(ref $loaded, 'HASH', 'load of a saved hash is a hash ref');
    is_deeply([sort keys %$loaded], ['data', 'first one'], '... with the names');
    isa_ok($loaded->{'first one'}, 'AI::MXNet::NDArray', 'each value');
    is_deeply(vals($loaded->{'first one'}), [1 .. 6], '... with its values');
    is_deeply(vals(mx->nd->load_frombuffer(slurp($file))->{data}), [10, 20], 'load_frombuffer of a hash file');
}

# --- files to and from plain Python mxnet
{
    my $python = venv_python();
    SKIP: {
        skip "no $python", 4 unless -x $python;
        my $mine = "$dir/from_perl.params";
        mx->nd->save($mine, {w => $a, n => $b});
        my $code = "import mxnet as mx; d = mx.nd.load('$mine'); "
                 . "print(sorted(d), d['w'].asnumpy().tolist(), d['n'].dtype.__name__)";
        my $out = `"$python" -c "$code" 2>&1`;
        is($out, "['n', 'w'] [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]] int64\n", 'plain Python mxnet reads a file saved from Perl');
        my $theirs = "$dir/from_python.params";
        $code = "import mxnet as mx; mx.nd.save('$theirs', [mx.nd.array([[0.5, 1.5]], dtype='float64'), mx.nd.ones((3,))])";
        `"$python" -c "$code" 2>&1`;
        my $loaded = mx->nd->load($theirs);
        is(scalar(@$loaded), 2, 'a file saved by plain Python mxnet loads in Perl');
        is($loaded->[0]->dtype, 'float64', '... with its dtypes');
        is_deeply(vals($loaded->[0]), [0.5, 1.5], '... and values');
    }
}

# --- Storable
{
    my $copy = thaw(freeze($a));
    isa_ok($copy, 'AI::MXNet::NDArray', 'thaw(freeze($x))');
    is_deeply(vals($copy), [1 .. 6], '... has the values');
    is_deeply($copy->shape, [2, 3], '... and the shape');
    $copy .= 0;
    is_deeply(vals($a), [1 .. 6], '... and is a copy');
    my $deep = dclone({arrays => [$a, $b], name => 'x'});
    is($deep->{arrays}[1]->dtype, 'int64', 'dclone of a structure holding arrays keeps dtypes');
    is_deeply(vals($deep->{arrays}[0] + 1), [2 .. 7], '... and the arrays compute');
    nstore({w => nd->array([1.5, -2], dtype => 'float16')}, "$dir/store.sto");
    my $back = retrieve("$dir/store.sto");
    is($back->{w}->dtype, 'float16', 'nstore / retrieve through a file');
    is_deeply(vals($back->{w}), [1.5, -2], '... with the values');
}

done_testing;
