"""One module per file format, each a function ``read(path, request) -> Read``; registry.py
says which format a file has and which reader reads it."""
