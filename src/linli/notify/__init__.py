"""Transactional outbox, its worker and delivery channels (in-app inbox); generic, for every domain."""
