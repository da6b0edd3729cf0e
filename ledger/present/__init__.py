"""What a reader sees: view models (tables and headline), wording, charts, number
formatting, citations, CSV text and the report writers. Imports every room but
`storage`."""
