"""What residents read from the archive channel (Chinese display strings)."""

# One message for a busy chat: several reports of one batch acknowledged together.
BATCH_HEAD = "网格哨收到 {n} 条消息："
BATCH_LINE = "{mark} {name}：{reply}"
MARKS = "①②③④⑤⑥⑦⑧⑨⑩"
SOMEONE = "群成员"
