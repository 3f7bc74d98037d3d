"""OpenReview exports: `load.py` is the front door, `records.py` the shared types,
`from_json.py` and `from_bibtex.py` the two forms an export comes in."""
