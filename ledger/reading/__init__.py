"""Bytes to a checked Ledger: text files and workbooks, cells, the schema, references
between rows, donors and blocs, other people's tables through a mapping, the template
and the upload sandbox. Imports `core`, `runtime` and `money`."""
