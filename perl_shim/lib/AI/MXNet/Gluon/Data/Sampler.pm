package AI::MXNet::Gluon::Data::Sampler;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::Data::Sampler` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::Data::Sampler - gluon->data's samplers; extend AI::MXNet::Gluon::Data::Sampler in Perl (next, reset, len)

=head1 SYNOPSIS

    use AI::MXNet::Gluon::Data::Sampler;    # before, or instead of, use AI::MXNet qw(mx)

=head1 DESCRIPTION

AI::MXNet had a module of this name; loading it here loads the bridge (L<AI::MXNet>), which provides the
package: gluon->data's samplers; extend AI::MXNet::Gluon::Data::Sampler in Perl (next, reset, len). docs/COMPATIBILITY.md gives the status of each name.

=cut
