#!/usr/bin/env perl
# aspdl's C helper (AI::MXNet::Bridge::PDLData, perl_shim/PDLData): a fresh PDL's buffer without PDL's zero
# fill. It must take only the PDLs it is safe for, give PDL what PDL's own allocation gives (less the zeros),
# and aspdl must give the same PDLs through it as through PDL's own allocation.
use strict;
use warnings;
use Test::More;
use PDL::Lite;
use AI::MXNet qw(mx);

# Built by make setup (and by the distribution's Makefile.PL) wherever there is a C compiler.
unless (eval { require AI::MXNet::Bridge::PDLData; 1 }) {
    my $error = $@;
    require ExtUtils::CBuilder;
    plan skip_all => 'no C compiler: the helper is optional' unless ExtUtils::CBuilder->new(quiet => 1)->have_compiler;
    fail("there is a C compiler but AI::MXNet::Bridge::PDLData does not load (make setup builds it): $error");
    done_testing;
    exit;
}
my $allocate = \&AI::MXNet::Bridge::PDLData::allocate;
is(AI::MXNet::NDArray::_allocator(), $allocate, 'aspdl uses the helper');

my $float = PDL::Type->new('float');
sub rss_kb { open my $fh, '<', '/proc/self/statm' or return 0; (split ' ', scalar <$fh>)[1] * 4 }

# --- a fresh PDL: allocated, the right length, and every PDL operation works on it once written
{
    my $p = PDL->new_from_specification($float, 300, 200);
    ok(!$p->allocated, 'a fresh PDL has no buffer');
    is($allocate->($p), 1, 'allocate takes a fresh PDL');
    ok($p->allocated, 'it is allocated after');
    is($allocate->($p), 0, 'a second allocate declines: it is allocated');
    my $data = $p->get_dataref;
    is(length($$data), 300 * 200 * 4, 'its buffer holds 300 x 200 floats');
    $$data = pack('f*', 0 .. 59_999);
    $p->upd_data;
    is($p->at(299, 199), 59_999, 'written through get_dataref, read back by PDL');
    is($p->slice('1:2,1')->sum, 301 + 302, 'a slice of it');
    is(($p->reshape(60_000) + 1)->at(59_999), 60_000, 'reshaped, then arithmetic');
    is($p->copy->max, 59_999, 'a copy of it');
}

# --- what it declines, each left as PDL made it
{
    my $z = PDL->new_from_specification($float, 100, 100);
    $z->make_physical;
    is($allocate->($z), 0, 'declines a PDL PDL already allocated');
    is($z->sum, 0, '... which keeps its zeros');

    my $parent = PDL->new_from_specification($float, 100, 100);
    $parent->make_physical;
    my $slice = $parent->slice('0:49');
    is($allocate->($slice), 0, 'declines a slice (it has a parent)');
    $slice .= 7;
    is($parent->sum, 50 * 100 * 7, '... which still writes through to its parent');

    my $one = PDL->new_from_specification($float, 1);
    is($allocate->($one), 0, 'declines a PDL whose data lives in the pdl struct (one value)');
    $one->make_physical;
    is($one->at(0), 0, '... which PDL then allocates, zeroed');

    is($allocate->(PDL->new_from_specification($float, 0)), 0, 'declines an empty PDL');
    is($allocate->(PDL->null), 0, 'declines a null PDL (no dims)');
    my $huge = PDL->new_from_specification(PDL::Type->new('double'), 2**40, 2**21);    # 2**61 doubles: 2**64 bytes
    is($allocate->($huge), 0, 'declines a PDL whose byte count overflows (PDL itself then refuses or dies)');
    ok(!$huge->allocated, '... and leaves it unallocated');
}

# --- anything but a PDL: one catchable line; the process goes on
for my $case ([undef, 'undef'], ['a string', 'a string'], [[1, 2], 'an array ref'], [nd->ones([2]), 'an NDArray']) {
    my ($value, $name) = @$case;
    ok(!eval { $allocate->($value); 1 }, "allocate($name) dies");
}
ok(eval { nd->ones([300, 300])->aspdl->sum == 90_000 }, 'aspdl works after those');

# --- a PDL subclass held in a hash ({PDL => ...}, as PDL's docs describe) is a PDL too
{
    package My::PDL;
    our @ISA = ('PDL');
}
{
    my $h = bless { PDL => PDL->new_from_specification($float, 100, 100) }, 'My::PDL';
    is($allocate->($h), 1, 'allocate takes the PDL inside a hash-based subclass');
    ok($h->{PDL}->allocated, '... and allocates that PDL');
}

# --- aspdl through the helper gives what it gives through PDL's own allocation, for every dtype
for my $dtype (qw(float32 float64 float16 uint8 int8 int32 int64)) {
    my $x = nd->arange(start => 0, stop => 30_000, dtype => $dtype)->reshape([100, 300]);    # over 64 kB for 4- and 8-byte types
    $x = $x->astype($dtype);
    my $fast = $x->aspdl;
    my $plain = do { local $AI::MXNet::NDArray::ALLOCATE = 0; $x->aspdl };
    is_deeply([$fast->dims], [$plain->dims], "$dtype: same dims");
    is($fast->type . '', $plain->type . '', "$dtype: same type");
    ok(${ $fast->get_dataref } eq ${ $plain->get_dataref }, "$dtype: the same bytes");
}
{
    my $x = nd->random->uniform(shape => [1000, 1000]);
    my $p = $x->aspdl;
    my $plain = do { local $AI::MXNet::NDArray::ALLOCATE = 0; $x->aspdl };
    ok(${ $p->get_dataref } eq ${ $plain->get_dataref }, '1000x1000 random floats: the same bytes both ways');
    my @spots = ([0, 0], [999, 999], [17, 923], [500, 1]);
    is_deeply([map { $p->at(reverse @$_) } @spots], [map { $x->at($_->[0])->at($_->[1])->asscalar } @spots],
              'and the values mxnet holds at four places');
}

# --- no leak: 300 aspdl of 4 MB each (a lost buffer a call would be 1.2 GB)
{
    my $x = nd->random->uniform(shape => [1000, 1000]);
    $x->aspdl for 1 .. 20;
    my $before = rss_kb();
    $x->aspdl for 1 .. 300;
    my $grown = rss_kb() - $before;
    cmp_ok($grown, '<', 40_000, "300 aspdl of 4 MB: RSS grew $grown kB");
}

done_testing;
