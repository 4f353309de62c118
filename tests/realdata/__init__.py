"""The real-data corpus: build.py writes it, judge.py compares an audit with the truths, report.py prints the confusion table."""
