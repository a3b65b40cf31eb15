"""Handles and Perl subclasses: Python objects that cross to Perl as handles blessed into AI::MXNet's classes
(objects.py), and the Python twins of classes written in Perl: Gluon Blocks (block.py) and autograd Functions
(function.py)."""
