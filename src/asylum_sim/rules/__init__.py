"""Rules: evaluation of the condition language and of the rule catalogue."""
