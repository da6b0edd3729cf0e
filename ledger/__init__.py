"""The funding ledger: needs, sources and flows for Ukraine's security and
reconstruction, reconciled as low–high ranges at dated ECB rates."""

from __future__ import annotations

__version__ = "0.1.0"
