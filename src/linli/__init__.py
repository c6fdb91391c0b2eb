"""Linli (邻里): community governance and service platform."""

__version__ = "0.1.0"
