"""`llmprep watch`."""

MESSAGES = {
    "watch.watching": "正在监视 {file}：保存即重新检查，Ctrl-C 退出",
    "watch.missing": "{file} 不见了，等待它重新出现",
    "watch.passed_next": "通过。运行 `llmprep next` 看下一步（到期的复习或下一个练习）；继续保存会再次检查，Ctrl-C 退出。",
}
