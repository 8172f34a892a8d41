"""The WeCom conversation archive (会话内容存档) as a channel: every line of a grid chat, in order.

Issue #18 placed this under `bot/channels/`; in this house the inbound side of every channel lives in
`bot/intake/`, so the archive adapter is here (the outbound side stays in `bot/delivery/`).

- source.py   what an archive is (GetChatData / DecryptData / GetMediaData) and its typed records
- sdk.py      the real one: Tencent's Finance SDK through the pinned `pywecomarchive` wrapper
- keys.py     the corp's RSA private keys by publickey_ver (files or environment; never logged)
- lines.py    a decrypted archive JSON → an ArchivedLine (text, photos, recall, skip reasons)
- pull.py     the pull job: one puller at a time (Redis lock + a fenced cursor in the database),
              every bound `all` chat's line into the same inbox as the robot's, replies through the outbox
- replies.py  replies pushed to the chat's outbound route, one message per busy chat per batch
- parked.py   records we cannot open yet (missing key version, body that does not decrypt): kept, retried
"""
