"""The record model: pure (standard library and PyYAML only), so it also runs in a browser."""
