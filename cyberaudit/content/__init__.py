"""Content: locating, loading and linting the question banks, frameworks and profiles."""
