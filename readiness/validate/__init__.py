"""Stage three, alongside checks: Great Expectations suites and their validation."""
