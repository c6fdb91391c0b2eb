"""Principal: who is acting, with their grants; the one place AreaScopes are made."""

from __future__ import annotations

from dataclasses import dataclass, field

from linli.authz.permissions import ROLE_PERMISSIONS, Permission, Role, refusal
from linli.authz.scope import AreaScope, build_scope
from linli.kit import codes
from linli.kit.errors import Forbidden, NotFound
from linli.kit.i18n import t


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    username: str
    grants: tuple[tuple[Role, str], ...]  # (role, unpadded area code)
    system: bool = False
    via: str = "session"  # "session", "token" or "cli"
    _scopes: dict = field(default_factory=dict, compare=False, repr=False)

    def scope(self, permission: Permission = Permission.areas_read) -> AreaScope:
        """The subtrees where this principal holds `permission`."""
        if permission not in self._scopes:
            if self.system:
                self._scopes[permission] = build_scope((), everything=True)
            else:
                self._scopes[permission] = build_scope(
                    code for role, code in self.grants if permission in ROLE_PERMISSIONS[role]
                )
        return self._scopes[permission]

    @property
    def visible(self) -> AreaScope:
        """What the principal may see at all: answers outside it are 404."""
        return self.scope(Permission.areas_read)

    def roles_scope(
        self, *, permission: Permission | None = None, excluding: frozenset[Role] = frozenset()
    ) -> AreaScope:
        """The subtrees of the grants whose role is not in `excluding` (and carries `permission`, if
        given): "where is this principal staff" is `roles_scope(excluding=frozenset({Role.resident}))`."""
        key = ("roles", permission, frozenset(excluding))
        if key not in self._scopes:
            wanted = (
                code
                for role, code in self.grants
                if role not in excluding and (permission is None or permission in ROLE_PERMISSIONS[role])
            )
            self._scopes[key] = build_scope((), everything=True) if self.system else build_scope(wanted)
        return self._scopes[key]

    def first_area_with(self, permission: Permission) -> str | None:
        """The (unpadded) area of the first grant carrying `permission`: where a link to that
        permission's page goes. None if no grant carries it."""
        for role, code in self.grants:
            if permission in ROLE_PERMISSIONS[role]:
                return codes.unpad(code)
        return None

    def has_role(self, role: Role) -> bool:
        return any(r == role for r, _code in self.grants)

    @property
    def roles_held(self) -> tuple[tuple[Role, str], ...]:
        """The (role, unpadded area) pairs, to show to the person (a permission question asks
        `can`, `scope` or `roles_scope` instead)."""
        return self.grants

    @property
    def grant_areas(self) -> tuple[str, ...]:
        """The areas of the grants, in grant order (an area twice if two roles are held there)."""
        return tuple(code for _role, code in self.grants)

    def can(self, permission: Permission, area_code: str) -> bool:
        return self.scope(permission).contains(area_code)

    def holds_anywhere(self, permission: Permission) -> bool:
        return not self.scope(permission).empty

    def permissions_at(self, area_code: str) -> frozenset[Permission]:
        if self.system:
            return frozenset(Permission)
        padded = codes.pad(area_code)
        perms: set[Permission] = set()
        for role, code in self.grants:
            if codes.in_subtree(padded, code):
                perms |= ROLE_PERMISSIONS[role]
        return frozenset(perms)

    def check(self, permission: Permission, area_code: str, *, what: str = "this") -> None:
        """404 if the place is invisible to the principal, 403 if visible but not permitted."""
        if not self.visible.contains(area_code):
            raise NotFound(t("{what} does not exist", what=what))
        if not self.can(permission, area_code):
            raise Forbidden(refusal(permission))

    @property
    def audit_name(self) -> str:
        return self.username


def principal_for(user_id: int | None, username: str, grants, *, via: str = "session") -> Principal:
    return Principal(user_id=user_id, username=username, grants=tuple((Role(r), c) for r, c in grants), via=via)


def system_principal(actor: str = "cli") -> Principal:
    """The operator at the command line: all places, all permissions."""
    return Principal(user_id=None, username=actor, grants=(), system=True, via="cli")
