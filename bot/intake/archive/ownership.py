"""Which channel handles a line, so a line heard by both the robot and the archive is handled once.

The archive and the robot give one line different msgids, so the inbox's key alone cannot tell
them apart; a rule that both sides can apply to the line itself does:
- a chat listening to "mentions" is the robot's alone (the archive skips all of its lines);
- in a chat listening to "all", a line that @-mentions the bot is the robot's: one can only @ a
  member, so the robot is in that chat and WeCom calls it back for exactly this line (its reply is
  passive and may carry buttons); every other line is the archive's.
"""
from __future__ import annotations

from bot.web.robot_messages import mention_pattern


def addressed_to_robot(content: str, bot_names: tuple[str, ...]) -> bool:
    """True when the line starts by @-mentioning the bot (the robot's callback carries it)."""
    return bool(content) and mention_pattern(bot_names).match(content) is not None
