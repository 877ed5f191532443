"""Faults against the real services: what breaks, and that nothing is lost when it does."""
