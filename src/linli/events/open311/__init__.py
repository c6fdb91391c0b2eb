"""Open311 GeoReport v2 at /open311/v2/: event categories as services, events as service requests."""
