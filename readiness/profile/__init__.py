"""Stage two: count, infer types and formats, find personal data and labels."""
