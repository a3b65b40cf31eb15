#!/usr/bin/env perl
# Loading truncated, corrupted or hostile NDArray files: each load works or dies with a message; none may
# crash, hang or eat the machine's memory (libmxnet trusts the sizes in a file; bridge/arrays/files.py checks them).
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use AI::MXNet qw(mx);

my $dir = tempdir(CLEANUP => 1);
my $good = "$dir/good.nd";
nd->save($good, {a => nd->array([[1, 2, 3], [4, 5, 6]]), b => nd->array([7], dtype => 'int32')});
my $bytes = do { open my $fh, '<:raw', $good or die $!; local $/; <$fh> };

srand($ENV{AI_MXNET_FUZZ_SEED} // 4242);
my ($loaded, $refused, $silent) = (0, 0, 0);
for my $i (1 .. 300) {
    my $copy = $bytes;
    if ($i % 3 == 0) { $copy = substr($copy, 0, int rand length $copy) }    # truncated
    else { substr($copy, int rand length $copy, 1) = chr int rand 256 for 1 .. 1 + int rand 4 }
    open my $out, '>:raw', "$dir/bad.nd" or die $!;
    print $out $copy;
    close $out;
    if (eval { nd->load("$dir/bad.nd"); 1 }) { $loaded++ }
    else { $refused++; $silent++ unless "$@" =~ /\S/ }
}
ok($loaded + $refused == 300, "300 corrupted files: $loaded loaded, $refused refused, no crash or hang");
is($silent, 0, 'every refusal says why');
like((eval { nd->load_frombuffer("garbage bytes") } // $@) . '', qr/not an MXNet NDArray file/,
     'a buffer that is no NDArray file is refused with a message');
is_deeply([nd->load($good)->{a}->aspdl->list], [1 .. 6], 'and a good file still loads');

done_testing;
