"""The Perl boundary: where a Perl call enters Python (entry.py), AI::MXNet's calling convention (args.py),
Perl callbacks run on Perl's own thread (callbacks.py) and errors as a Perl user reads them (errors.py)."""
