"""Organizations and social forces: the registry, party-building alliances and their three lists, dual reporting."""
