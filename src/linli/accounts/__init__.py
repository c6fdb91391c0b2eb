"""Accounts: users, their grants and their own sign-in settings (the administration pages and API).

The routes still live in linli.authn and linli.authz (api, views); they move here."""
