use strict;
use warnings;
# Files Gluon reads that AI::MXNet code brings: parameter files saved by the real AI::MXNet (it named the first
# child's parameters "0weight"), and files a script would download (a model zoo's pretrained parameters), which
# are read where they would have been put: nothing is downloaded.
use Test::More;
use File::Temp qw(tempdir);
use Digest::SHA ();
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);
use AI::MXNet::Gluon::Utils qw(download check_sha1);

my $dir = tempdir(CLEANUP => 1);

{
    my $net = nn->Sequential;
    $net->name_scope(sub { $net->add(nn->Dense(3, in_units => 2), nn->Dense(1, in_units => 3)) });
    $net->initialize;
    nd->save("$dir/ai_mxnet.params", {'0weight' => nd->ones([3, 2]), '0bias' => nd->zeros([3]),
                                      '1.weight' => nd->ones([1, 3]) * 2, '1.bias' => nd->ones([1])});
    $net->load_parameters("$dir/ai_mxnet.params");
    is_deeply [$net->(nd->ones([1, 2]))->aspdl->list], [13], "a file AI::MXNet saved ('0weight', '1.weight') loads";

    my $one = nn->Sequential;
    $one->add(nn->Dense(3, in_units => 2));
    $one->initialize;
    nd->save("$dir/one.params", {'0weight' => nd->ones([3, 2]), '0bias' => nd->ones([3])});
    $one->load_parameters("$dir/one.params");
    is_deeply [$one->(nd->ones([1, 2]))->aspdl->list], [3, 3, 3], 'also when every name is a first child\'s';

    $net->save_parameters("$dir/gluon.params");
    my $again = nn->Sequential;
    $again->name_scope(sub { $again->add(nn->Dense(3, in_units => 2), nn->Dense(1, in_units => 3)) });
    $again->load_parameters("$dir/gluon.params");
    is_deeply [$again->(nd->ones([1, 2]))->aspdl->list], [13], "Gluon's own names ('0.weight') as before";
    eval { $again->load_parameters("$dir/one.params") };
    like $@, qr/Parameter '1.weight' is missing/, 'a file that does not fit still dies with Gluon\'s message';
}

{
    my $url = 'http://example.com/models/weights.zip';
    eval { download($url, path => "$dir/weights.zip", overwrite => 1) };
    is $@, "$dir/weights.zip is not there, and the bridge downloads nothing: put weights.zip (from $url) at "
         . "$dir/weights.zip at ${\ __FILE__} line ${\ (__LINE__ - 2)}.\n", 'a missing file: one line naming it';
    open my $fh, '>', "$dir/weights.zip" or die;
    print $fh "zip";
    close $fh;
    is download($url, path => "$dir/weights.zip", overwrite => 1), "$dir/weights.zip", 'a file that is there';
    is download($url, path => $dir), "$dir/weights.zip", 'a directory as path';
    eval { download($url, path => $dir, sha1_hash => '0' x 40) };
    like $@, qr/^\Q$dir\E\/weights.zip has other contents than expected \(sha1\), and the bridge downloads nothing/,
        'a file with other contents';
    ok check_sha1("$dir/weights.zip", Digest::SHA::sha1_hex('zip')), 'check_sha1';
    is download($url, path => $dir, sha1_hash => Digest::SHA::sha1_hex('zip')), "$dir/weights.zip",
        'a file with the expected contents';
}

done_testing;
