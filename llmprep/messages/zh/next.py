"""`llmprep next`。"""

MESSAGES = {
    "next.overall": "已通过 {passed}/{exercises} 个练习，已见 {seen}/{questions} 道题",
    "next.overall_no_bank": "已通过 {passed}/{exercises} 个练习，已见 {seen} 道题",
    "next.reviews_due": "现在有 {count} 张卡片待复习：{command}",
    "next.next_review": "现在没有待复习的卡片；下一张{when}到期。",
    "next.no_reviews": "还没有安排复习：运行 {command} 开始。",
    "next.exercise_new": "下一个练习：{exercise}（{title}）：{command}",
    "next.exercise_continue": "下一个练习：{exercise}（{title}），已尝试、尚未通过：{command}",
    "next.all_passed": "所有练习都已通过。试试 {command} 测一测速度。",
    "next.heading": "下一步做什么",
}
