"""Stage three: findings from the profile, one module per family."""
