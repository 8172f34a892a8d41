"""A message that carries no words: photos alone, or a voice message WeCom could not transcribe.

Photos alone open nothing: they wait for the sender's next report (handlers.photos, whose reply
counts them and asks for words). A voice message without a transcript gets a polite request to
type it. Voice with a transcript and photos with words arrive as text (the door sets `via`), so
every other handler reads them as it reads typed text.
"""
from __future__ import annotations

from handlers.context import Context
from handlers.events import IncomingMessage, Outcome

VOICE_UNCLEAR = "抱歉，这条语音没能识别出文字，请直接打字说一下遇到的问题，谢谢！"


class MediaOnly:
    name = "media_only"

    def match(self, msg: IncomingMessage, ctx: Context):
        if msg.msg_type == "image" and msg.photo_urls:
            return "photos"
        if msg.msg_type == "voice" and not msg.text.strip():
            return "voice"
        return None

    def handle(self, msg: IncomingMessage, ctx: Context, found: str) -> Outcome:
        if found == "voice":
            return Outcome(reply=VOICE_UNCLEAR, intent="non_text")
        # The words come later: handlers.photos keeps the photos waiting and asks for them.
        return Outcome(intent="photo")
