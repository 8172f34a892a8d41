from tests.broadcast.support import fake_wechat, settings  # noqa: F401  (fixtures)
