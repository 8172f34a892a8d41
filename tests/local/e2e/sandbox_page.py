"""What a person does on the sandbox page, as small steps the e2e tests read like a script."""
from __future__ import annotations

import re
from pathlib import Path

try:
    from playwright.sync_api import Locator, Page, expect
except ImportError:  # the `browser` fixture skips (or, under CI, fails) and says why
    Locator = Page = expect = None  # type: ignore[assignment,misc]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"  # gitignored


def shot(page: Page, name: str) -> Path:
    """A screenshot of the phone as it is now, for people reviewing a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


class ChatPage:
    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url

    def open(self) -> None:
        self.page.goto(self.base_url + "/sandbox")
        expect(self.page.locator("#persona option").first).to_be_attached()

    def be(self, user_id: str) -> None:
        """Switch persona, from the list or from inside a chat."""
        if self.page.locator("#chat-screen").is_visible():
            self.page.select_option("#chat-persona", user_id)
        else:
            self.page.select_option("#persona", user_id)

    def enter(self, chat_id: str) -> None:
        if self.page.locator("#chat-screen").is_visible():
            self.page.click("#back")
        self.page.click(f'.chat-item[data-chat-id="{chat_id}"]')
        expect(self.page.locator("#chat-screen")).to_be_visible()

    def say(self, text: str) -> None:
        self.page.fill("#composer-input", text)
        self.page.click("#send")
        expect(self.page.locator(".msg.mine .bubble", has_text=text).last).to_be_visible()
        # WeCom waits 5 s for an answer and tries 3 times; on a loaded machine the sandbox may too.
        expect(self.page.locator("#send")).to_be_enabled(timeout=20_000)

    def bot_says(self, pattern: str) -> Locator:
        """The newest bot message matching the regex, once it is on screen."""
        found = self.page.locator(".msg.bot .bubble").filter(has_text=re.compile(pattern)).last
        expect(found).to_be_visible()
        return found

    def quote(self, bubble: Locator) -> None:
        bubble.click()
        expect(self.page.locator("#quote-bar")).to_be_visible()

    def attach(self, *paths: Path) -> None:
        """Pick photos with the 📷 button's file chooser; they show above the composer until sent."""
        self.page.set_input_files("#photo-input", [str(p) for p in paths])
        expect(self.page.locator("#attach-bar img")).to_have_count(len(paths))

    def card(self, title_pattern: str) -> Locator:
        """The newest card whose title matches."""
        found = self.page.locator('[data-testid="card"]').filter(has_text=re.compile(title_pattern)).last
        expect(found).to_be_visible()
        return found

    def press(self, card: Locator, button: str) -> None:
        card.get_by_role("button", name=button, exact=True).click()
