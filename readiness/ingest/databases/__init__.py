"""One module per database kind (postgresql, sqlite, duckdb): connect read-only, list the tables,
count them in SQL, stream them out as Arrow, read the declared keys. ingest/database.py drives them."""
