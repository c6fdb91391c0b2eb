"""Linli's tests: shared fixtures in conftest.py, factories in factories*.py, a folder per domain."""

from pathlib import Path

# The repository (the folder holding src/ and tests/).
ROOT = Path(__file__).resolve().parent.parent
