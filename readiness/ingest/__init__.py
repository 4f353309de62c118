"""Stage one: walk the dataset folder and read every table."""
