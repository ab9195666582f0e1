"""The interview: a pure engine over content and answers, and the answers file."""
