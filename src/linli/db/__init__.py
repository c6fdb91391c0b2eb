from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.db.engine import get_engine, make_engine
from linli.db.session import get_session_factory, unit_of_work

__all__ = [
    "AreaScoped",
    "Base",
    "Timestamped",
    "UTCDateTime",
    "get_engine",
    "get_session_factory",
    "make_engine",
    "unit_of_work",
]
