"""Moved to bot/local/isolation.py (benchmarks use it too, and bench/ does not import tests/); kept so
that branches started before the move still import it. New code imports bot.local.isolation."""
from bot.local.isolation import PrivateDatabase, RedisLease, run_name  # noqa: F401
