"""Stage five: readiness.json, the briefing packet, the PDF."""
