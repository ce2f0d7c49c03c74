"""控制台自身输出的标签。"""

MESSAGES = {
    "console.error": "错误：",
    "console.where": "位置：",
    "console.fix": "解决办法：",
    "console.warning": "警告：",
    "console.interrupted": "已中断（Ctrl-C）；已作答或已记录的内容都已保存",
    "console.store_waiting": "另一个 llmprep 正在写入进度数据库（也许在导入？），稍候；不会丢失任何内容",
}
