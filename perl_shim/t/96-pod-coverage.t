#!/usr/bin/env perl
# Every public sub of every module of the shim has its entry in the module's POD (an =head2 or =item naming
# it), so `perldoc AI::MXNet::X` answers for each. Subs made at run time from tables (the NDArray methods,
# the namespaces' forwarders) belong to the bridge and are documented as groups; they are not named here.
use strict;
use warnings;
use Test::More;
use File::Find qw(find);
use File::Spec;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

eval { require Test::Pod::Coverage; Test::Pod::Coverage->VERSION(1.08); 1 }
    or plan skip_all => 'Test::Pod::Coverage 1.08 is not installed';

# (Test::Pod::Coverage's all_modules refuses paths with characters outside [\w:/.], a '-' among them)
my $lib = shim_lib();
my @modules;
find({ no_chdir => 1, wanted => sub {
    return unless /\.pm$/;
    (my $module = File::Spec->abs2rel($_, $lib)) =~ s{/}{::}g;
    push @modules, $module =~ s/\.pm$//r;
} }, "$lib/AI/MXNet.pm", "$lib/AI/MXNet");    # (only this distribution's)
@modules = sort @modules;
ok(@modules >= 20, 'the modules are found') or diag("only @modules");
# Hooks that Perl, Mouse and Storable call, not the user.
my $hooks = qr/^(?:BUILD|BUILDARGS|STORABLE_freeze|STORABLE_thaw|STORABLE_attach|TIE\w+|FETCH\w*|STORE\w*)$/;
for my $module (@modules) {
    Test::Pod::Coverage::pod_coverage_ok($module, {also_private => [$hooks]}, "$module: every public sub documented");
}

done_testing();
