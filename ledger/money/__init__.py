"""Amounts and currencies: the pint registry and the parsing of amounts and units,
ECB rates (shipped and updated) and their conversion factors. Imports `core` and
`runtime`."""
