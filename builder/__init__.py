"""Cunwu: village-affairs records to a public transparency site."""

__version__ = "0.1.0"
