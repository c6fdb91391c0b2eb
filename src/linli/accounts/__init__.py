"""Accounts: users, their role grants and their own sign-in settings, administered.

The tables are the layers' (users, API tokens: linli.authn.models; grants: linli.authz.models), which
sign people in and check their permissions below the domains; creating and changing accounts, granting
and revoking roles, one's own password and tokens, with their pages and API, are this domain's:
`repository` (reads), `service` (audited writes; `grant_role` is the one place a role is granted),
`api`, `views`, `demo` (the demo's accounts)."""
