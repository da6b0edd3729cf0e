"""What every room of the domain uses, and nothing of theirs: the error type and its
problems, where the shipped data files lie, column helpers over pandas and Arrow, and
the order of a graph. Imports nothing else of `ledger`."""
