"""`bulletin serve`: the web application over the pipeline (see app.py)."""
