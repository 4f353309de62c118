"""Personal data and secrets: found by column name and by value pattern, and masked in free text.

Only counts and kinds leave this package; matched values are never returned. Read in this order:
patterns.py (what personal data looks like), numbers.py (check digits and columns of numbers),
names.py (person names), scan.py (a column's verdict), mask.py (free text and names masked).
"""

from readiness.profile.pii.mask import mask, name_kind
from readiness.profile.pii.patterns import kind_by_name
from readiness.profile.pii.scan import PiiVerdict, detect, detect_numbers

__all__ = ["PiiVerdict", "detect", "detect_numbers", "kind_by_name", "mask", "name_kind"]
