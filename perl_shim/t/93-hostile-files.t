#!/usr/bin/env perl
# Loading truncated, corrupted or hostile files (NDArray files dense and sparse, parameter files, optimizer
# states, Symbol JSON): each load works or dies with a message; none may crash, hang, eat the machine's
# memory or run code (libmxnet trusts the sizes in a file, pickle runs what it names: bridge/api/loading.py).
use strict;
use warnings;
BEGIN { $ENV{MXNET_STORAGE_FALLBACK_LOG_VERBOSE} = 0 }    # (operators on sparse arrays say they densify)
use Test::More;
use File::Temp qw(tempdir);
use Storable ();
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);

my $dir = tempdir(CLEANUP => 1);
my $CASES = $ENV{AI_MXNET_FUZZ_FILES} // 60;    # per format (make fuzz runs a long profile)
srand($ENV{AI_MXNET_FUZZ_SEED} // 4242);

sub write_file { my ($path, $bytes) = @_; open my $fh, '>:raw', $path or die $!; print $fh $bytes; close $fh; $path }
sub read_file { my ($path) = @_; open my $fh, '<:raw', $path or die $!; local $/; <$fh> }

# A corrupt copy of $bytes: truncated, a few bytes changed, or an 8-byte field set to a hostile number.
sub corrupt {
    my ($bytes) = @_;
    my $kind = int rand 3;
    return substr($bytes, 0, int rand length $bytes) if $kind == 0;
    if ($kind == 1) { substr($bytes, int rand length $bytes, 1) = chr int rand 256 for 1 .. 1 + int rand 4; return $bytes }
    my $at = 8 * int rand(length($bytes) / 8);
    my @hostile = (-1, -5e6, 2**40, 2**62, 0, 1, 3, 5, 2**31);
    substr($bytes, $at, 8) = pack('q<', $hostile[rand @hostile]) if $at + 8 <= length $bytes;
    return $bytes;
}

# Every corrupt file of a format: loaded and used (so a bad index would be read), or refused with a message.
sub fuzz_format {
    my ($name, $bytes, $use, %opt) = @_;
    my ($worked, $refused, $silent) = (0, 0, 0);
    for my $i (1 .. $CASES) {
        my $copy = ($opt{corrupt} // \&corrupt)->($bytes);
        if (eval { $use->(write_file("$dir/bad.$name", $copy)); 1 }) { $worked++ }
        else { $refused++; $silent++ unless "$@" =~ /\S/ }
    }
    ok($worked + $refused == $CASES, "$CASES corrupt $name files: $worked used, $refused refused, no crash or hang");
    is($silent, 0, '... every refusal says why');
}

sub use_all { for my $array (ref $_[0] eq 'HASH' ? values %{ $_[0] } : @{ $_[0] }) { $array->sum->asscalar; ($array * 2)->tostype('default')->wait_to_read } }

my $good = "$dir/good.nd";
nd->save($good, {a => nd->array([[1, 2, 3], [4, 5, 6]]), b => nd->array([7], dtype => 'int32'),
                 c => nd->array([[1, 0, 2, 0], [0, 0, 0, 0], [0, 3, 0, 0]])->tostype('csr'),
                 r => nd->array([[0, 0], [1, 1], [0, 0], [2, 2]])->tostype('row_sparse')});
my $bytes = read_file($good);
fuzz_format('ndarray', $bytes, sub { use_all(nd->load($_[0])) });

my $dense = nn->Dense(3, in_units => 4);
$dense->initialize;
$dense->save_parameters("$dir/dense.params");
fuzz_format('params', read_file("$dir/dense.params"), sub { $dense->load_parameters($_[0]); $dense->(nd->ones([2, 4]))->wait_to_read });

my $trainer = gluon->Trainer($dense->collect_params, 'adam', {learning_rate => 0.1});
{ my $loss; mx->autograd->record(sub { $loss = $dense->(nd->ones([2, 4]))->sum }); $loss->backward; $trainer->step(2) }
$trainer->save_states("$dir/good.states");
fuzz_format('states', read_file("$dir/good.states"), sub {
    $trainer->load_states($_[0]);
    my $loss; mx->autograd->record(sub { $loss = $dense->(nd->ones([2, 4]))->sum }); $loss->backward; $trainer->step(2);
});

my $json = mx->sym->FullyConnected(mx->sym->var('x'), num_hidden => 3, name => 'fc')->tojson;
fuzz_format('json', $json, sub { mx->sym->load($_[0])->infer_shape_partial(x => [2, 4]) }, corrupt => sub {
    my ($text) = @_;    # a number in the JSON changed (a node or output index, a count), or bytes
    return corrupt($text) if rand() < 0.2;
    my @numbers = (-1, 0, 1, 2, 3, 5, 9, 2**31, 1e9);
    my @at;
    push @at, [$-[1], length $1] while $text =~ /(?<=[\[,\s])(\d+)(?=[,\]])/g;
    my ($position, $length) = @{ $at[rand @at] };
    substr($text, $position, $length) = $numbers[rand @numbers];
    return $text;
});

like((eval { nd->load_frombuffer("garbage bytes") } // $@) . '', qr/not an MXNet NDArray file/,
     'a buffer that is no NDArray file is refused with a message');
is_deeply([nd->load($good)->{a}->aspdl->list], [1 .. 6], 'and a good file still loads');


# A csr array whose indices point outside it crashed the first operator that read it (also through Gluon's
# load_parameters, which never ran the bridge's check): refused at load, by every reader
{
    nd->save("$dir/csr.nd", [nd->array([[1, 0, 2, 0], [0, 0, 0, 0], [0, 3, 0, 0]])->tostype('csr')]);
    my $csr = read_file("$dir/csr.nd");
    my %bad = ('a column index of 2**40' => [[0, 2, 2, 3], [0, 2**40, 1]],
               'a negative column index'  => [[0, 2, 2, 3], [0, -5e6, 1]],
               'a bad indptr'             => [[0, 3, 2, 3], [0, 2, 1]]);
    for my $case (sort keys %bad) {
        my $bytes = $csr;
        substr($bytes, -8 - 8 * 7, 8 * 7) = pack('q<*', map { @$_ } @{ $bad{$case} });
        write_file("$dir/bad.nd", $bytes);
        ok(!eval { nd->load("$dir/bad.nd")->[0]->sum->asscalar; 1 }, "a csr file with $case: nd->load dies");
        like("$@", qr/corrupt NDArray file: a csr array/, '... saying why');
    }
    my $dense = nn->Dense(2, in_units => 3);
    $dense->initialize;
    $dense->save_parameters("$dir/dense.params");
    my $params = read_file("$dir/dense.params");
    substr($params, 40, 8) = pack('q<', 2**40);
    write_file("$dir/dense.params", $params);
    ok(!eval { $dense->load_parameters("$dir/dense.params"); 1 }, 'a corrupt parameter file: load_parameters dies');
    like("$@", qr/dense\.params: corrupt or truncated NDArray file/, '... naming the file');
}

# A device or a stream: the header is read first (nd->load('/dev/zero') used to read until memory ran out)
ok(!eval { nd->load('/dev/zero'); 1 }, "nd->load('/dev/zero') dies");
like("$@", qr/not an MXNet NDArray file \(bad header\)/, '... at the header');
ok(!eval { nd->save("$dir/a\0b", [nd->ones([2])]); 1 }, 'a file name with a NUL in it is refused');
ok(!-e "$dir/a", '... and nothing is written');

# An optimizer states file is never unpickled as such: one whose pickle runs a command is refused
{
    my $marker = "$dir/ran";
    write_file("$dir/evil.states", "cposix\nsystem\n(S'touch $marker'\ntR.");
    my $dense = nn->Dense(2, in_units => 3);
    $dense->initialize;
    my $trainer = gluon->Trainer($dense->collect_params, 'sgd', {learning_rate => 0.1});
    ok(!eval { $trainer->load_states("$dir/evil.states"); 1 }, 'a states file that would run a command: load_states dies');
    like("$@", qr/evil\.states: refused posix\.system/, '... naming the file and what it asked for');
    ok(!-e $marker, '... and the command did not run');
    $trainer->save_states("$dir/good.states");
    ok(eval { $trainer->load_states("$dir/good.states"); 1 }, 'states the trainer saved load again') or diag($@);
}

# A Symbol JSON whose head names an output its node lacks (infer_shape read past the end): refused when thawed
# or imported
{
    my $x = mx->sym->var('x');
    my $frozen = Storable::freeze(mx->sym->FullyConnected($x, num_hidden => 3, name => 'fc'));
    (my $hostile = $frozen) =~ s/("heads": \[\[3), 0/$1, 5/ or die 'no heads in the frozen Symbol';
    ok(eval { Storable::thaw($frozen); 1 }, 'a Symbol thaws') or diag($@);
    ok(!eval { Storable::thaw($hostile); 1 }, 'a Symbol whose head reads a missing output does not');
    like("$@", qr/the heads read output 5 of node 'fc', which has 1/, '... saying why');
    (my $json = Storable::thaw($frozen)->tojson) =~ s/("heads": \[\[3), 0/$1, 5/;
    write_file("$dir/net-symbol.json", $json);
    ok(!eval { AI::MXNet::Gluon::SymbolBlock->imports("$dir/net-symbol.json", ['x']); 1 }, 'SymbolBlock->imports of it dies');
    like("$@", qr/net-symbol\.json: corrupt Symbol JSON/, '... naming the file');
}
is_deeply([nd->load($good)->{a}->aspdl->list], [1 .. 6], 'the process still loads good files');

done_testing;
