"""How work runs, not what it computes: a second core for long work, the memory
allocator and the caches (in memory and on disk). Imports only `ledger.core`."""
