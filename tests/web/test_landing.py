"""The front door: `/` is a Chinese page with links, not a bare 404; the walk-through comes from the README."""
from __future__ import annotations

from bot.web.landing import walkthrough_text


def test_root_is_a_chinese_landing_page_without_the_sandbox_outside_it(client):
    resp = client.get("/")
    assert resp.status_code == 200
    page = resp.data.decode()
    assert 'lang="zh-CN"' in page and "网格哨" in page
    assert 'href="/console/' in page  # the console
    assert 'href="/walkthrough"' in page
    assert "/sandbox" not in page  # this process runs no sandbox: no dead link


def test_walkthrough_is_the_readme_section(client):
    resp = client.get("/walkthrough")
    assert resp.status_code == 200
    page = resp.data.decode()
    assert "A two-minute walk-through" in page
    assert "3号楼下水道堵了" in page
    assert "Talking to the bot with curl" not in page  # stops at the next section


def test_walkthrough_section_missing_gives_none(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Something else\n\n## Other\ntext\n", encoding="utf-8")
    assert walkthrough_text(readme) is None
    assert walkthrough_text(tmp_path / "absent.md") is None
    readme.write_text("# X\n### A two-minute walk-through (the sandbox)\nstep <b>1</b>\n## Next\nno\n", encoding="utf-8")
    assert walkthrough_text(readme) == "### A two-minute walk-through (the sandbox)\nstep <b>1</b>"


def test_walkthrough_text_is_escaped(client, monkeypatch, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("### A two-minute walk-through\n<script>alert(1)</script>\n", encoding="utf-8")
    monkeypatch.setattr("bot.web.landing.README", readme)
    page = client.get("/walkthrough").data.decode()
    assert "<script>alert(1)</script>" not in page
