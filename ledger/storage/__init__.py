"""Where ledgers are kept: the versioned store (SQLite or PostgreSQL), who may publish,
and the difference between two ledgers. Imports `core`, `runtime`, `money` and
`reading`."""
