"""Import every model module so Base.metadata knows all tables (Alembic, tests, create_all)."""

from linli.alerts import models as alerts_models  # noqa: F401
from linli.areas import models as areas_models  # noqa: F401
from linli.audit import models as audit_models  # noqa: F401
from linli.authn import models as authn_models  # noqa: F401
from linli.authz import models as authz_models  # noqa: F401
from linli.db import meta  # noqa: F401
from linli.events import models as events_models  # noqa: F401
from linli.notices import models as notices_models  # noqa: F401
from linli.notify import models as notify_models  # noqa: F401
from linli.residents import models as residents_models  # noqa: F401
