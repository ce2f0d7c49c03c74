"""The progress database's own errors (Chinese)."""

MESSAGES = {
    "store.moved_aside": "把它移开（mv '{path}' '{path}.broken'），llmprep 会新建一个；其他内容不受影响",
    "store.foreign_fix": "把它移开（mv '{path}' '{path}.broken'），llmprep 会新建一个；其他内容不受影响；或把 LLMPREP_HOME 设为另一个目录",
    "store.cannot_open": "无法打开进度数据库（{error}）",
    "store.cannot_open_fix": "请确认目录存在且可写，或设置 LLMPREP_HOME",
    "store.foreign": "这个文件是 SQLite 数据库，但不是 llmprep 的进度数据库",
    "store.newer": "进度数据库由更新版本的 llmprep 写入（schema {version}；此版本最多认识 {supported}），因此未做任何改动",
    "store.newer_fix": "请升级 llmprep（pip install -U llmprep），或把 LLMPREP_HOME 设为另一个目录",
    "store.locked": "进度数据库被锁住了 {seconds} 秒",
    "store.locked_fix": "另一个 llmprep 正在写入；等它完成后重试",
    "store.disk_full": "磁盘已满",
    "store.disk_full_fix": "请释放一些空间后重试",
    "store.damaged": "进度数据库已损坏（{error}）",
    "store.read_only": "进度数据库是只读的",
    "store.read_only_fix": "请让该文件及其目录可写，或把 LLMPREP_HOME 设到别处",
}
