"""The dashboard's thin Streamlit layer: every widget calls a typed function of `ledger`."""
