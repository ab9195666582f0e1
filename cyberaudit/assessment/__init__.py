"""Assessment: joining findings and answers, evaluating a workspace, scoring it."""
