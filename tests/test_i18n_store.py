"""The lower layers speak Chinese: typed times, amounts, phones and text refused, git's and the cache's
troubles, broken order files, and `import`'s refusals, notes and summary.

Each command runs in a process of its own in zh_CN, as in test_i18n; the sentences of the layers
below the commands are also asked of the real functions in one process of their own.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path


def run(*args: str, lang: str = "zh_CN", **settings: str) -> subprocess.CompletedProcess:
    """repairctl args in a process of its own, in lang, with settings added to its environment."""
    return subprocess.run([sys.executable, "-m", "repairctl", *args], capture_output=True, text=True,
                          env={**_environment(), "REPAIRCTL_LANG": lang, **settings})


def _environment() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("REPAIRCTL_LANG", "REPAIRCTL_ROOT")}

# three or more English words in a row (a comma-separated list of code words is none): what no Chinese
# sentence holds once commands in backticks, quoted values, paths and options are set aside
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")


def english(line: str) -> list[str]:
    """The runs of English words left in line outside `commands`, 'values', paths and --options."""
    plain = re.sub(r"`[^`]*`|'[^']*'|\S*/\S*|--[\w-]+", " ", line)
    return ENGLISH.findall(plain)


def lines_with(text: str, *words: str) -> list[str]:
    """The lines of text holding each of words, one per word, each without English left in it."""
    found = []
    for word in words:
        line = next((line for line in text.splitlines() if word in line), None)
        assert line is not None, f"{word!r} not in:\n{text}"
        assert not english(line), line
        found.append(line)
    return found


def test_the_lower_layers_sentences_are_chinese():
    # the real functions, in one process of its own whose language is zh_CN
    script = textwrap.dedent("""
        import datetime as dt, json, sys
        from zoneinfo import ZoneInfo
        from repairctl.errors import RepairError
        from repairctl.store import gitlog, yamlio
        from repairctl.text import clock, inputs, money
        tz, said = ZoneInfo("Asia/Shanghai"), []
        def refused(call, *args, **kw):
            try:
                call(*args, **kw)
            except (RepairError, ValueError) as exc:
                said.append(str(exc))
        refused(clock.parse_time, "上午14点", tz)
        refused(clock.parse_time, "昨天 25:00", tz)
        refused(clock.parse_time, "2126-01-01 09:00", tz)
        refused(clock.parse_time, "2026-03-29 02:30", ZoneInfo("Europe/Berlin"))
        refused(clock.stored_time, "2026-11-25 08:00", tz)
        refused(money.parse, "35x")
        refused(money.parse, "12.345")
        refused(inputs.check_phone, "12345")
        refused(inputs.check_text, "--unit", " ", required=True)
        refused(inputs.check_text, "--name", "张\\n三")
        refused(yamlio.parse, "a:\\n  - 1\\n b: 2", "x.yaml")
        refused(yamlio.parse, "a:\\n\\tb: 1", "x.yaml")
        refused(yamlio.load_fast, "/")
        said.append(inputs.fault("张\\u200b三", lines=False))
        notes = []
        clock.parse_time("2026-10-25 02:30", ZoneInfo("Europe/Berlin"), notes=notes)
        said += notes
        said.append(gitlog.explain("fatal: No space left on device"))
        said.append(gitlog.explain("*** Please tell me who you are."))
        print(json.dumps(said, ensure_ascii=False))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**_environment(), "REPAIRCTL_LANG": "zh_CN"})
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said == [
        "时间 '上午14点' 把 14:00 说成了上午；请写 14:00 或 下午2点",
        "时间 '昨天 25:00' 的小时或分钟不存在；请写成 2026-11-23 14:05、14:05、14点05、下午2点半 或 昨天 16:30",
        "时间 '2126-01-01 09:00' 在 2126 年；请写 2000 到 2099 年之间的年份，例如 2026-11-23 14:00",
        "时间 '2026-03-29 02:30' 在 Europe/Berlin 不存在：时钟拨快时跳过了这段时间；请核对小时",
        "时间 2026-11-25 08:00 没有 UTC 偏移；请写成 2026-11-23T14:05:00+08:00 这样",
        "金额 '35x' 不是数字；请写成 35、35.5、35元 或 ¥35 这样",
        "金额 '12.345' 的小数超过两位",
        "--phone '12345' 不是电话号码；手机请写成 13812345678 这样，座机写成 0755-12345678 这样",
        "--unit 是空的；请填写，例如 --unit 3栋1201",
        "--name 含有换行；请写成一行",
        "x.yaml:3:2: YAML 语法错误：找不到应有的键（这组“键: 值”从第 1 行开始）",
        "x.yaml:2:1: YAML 语法错误：出现了不能放在开头的字符（如制表符）",
        "/: 无法读取：这是一个文件夹",
        "含有看不见的字符 U+200B（零宽空格），会让文字和看到的不一样；请删掉它",
        "2026-10-25 02:30 在 Europe/Berlin 出现了两次（时钟拨回）：按第一次读，即 2026-10-25T02:30:00+02:00；"
        "要第二次请写 2026-10-25T02:30:00+01:00",
        "磁盘已满（git 报告：磁盘没有空间了）：什么也没有提交；请腾出一些空间，再运行一次该命令",
        "git 不知道你是谁；请运行：git config user.name '你的名字' && git config user.email you@example.com",
    ]


def test_a_typed_time_refused_in_chinese(clerk):
    done = run("--root", str(clerk.root), "new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678",
               "--desc", "厨房水龙头漏水", "--at", "上午14点")
    assert done.returncode == 2
    lines_with(done.stderr, "时间 '上午14点' 把 14:00 说成了上午；请写 14:00 或 下午2点")
    assert clerk.git("status", "--porcelain") == ""


def test_import_refuses_its_cells_in_chinese_and_imports_in_chinese(clerk, tmp_path):
    header = "单元,业户姓名,联系电话,维修内容,项目代码,受理方式,紧急,受理时间,状态,备注"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([header, "3栋1201,张三,13812345678,厨房水龙头漏水,W01,飞鸽,也许,昨天 25:00,,x"]) + "\n",
                   encoding="utf-8")
    refused = run("--root", str(clerk.root), "import", str(bad))
    assert refused.returncode == 1
    lines_with(refused.stderr, "不认识的列 '备注'；可用的列有：单元 (unit)")
    # the sheet's own columns: this is no longer a header fault, so the rows are read
    bad.write_text("\n".join([header.removesuffix(",备注"), "3栋1201,张三,13812345678,厨房水龙头漏水,W01,飞鸽,也许,"
                              "昨天 25:00,"]) + "\n", encoding="utf-8")
    refused = run("--root", str(clerk.root), "import", str(bad))
    assert refused.returncode == 1
    lines_with(refused.stderr, "这些列不属于新维修单，已略过：状态",
               # FILE:ROW:COLUMN names the column: the sentence goes on from the cell's value
               "受理方式: '飞鸽' 不是受理方式；请写 电话, 来访",
               "紧急: '也许' 既不是“是”也不是“否”；请写 是 或 否",
               "受理时间: '昨天 25:00' 的小时或分钟不存在；请写成")
    assert not list(clerk.root.glob("records/orders/*/*/*.yaml"))
    good = tmp_path / "day.csv"
    good.write_text("\n".join([header.removesuffix(",状态,备注"),
                               "3栋1201,张三,13812345678,厨房水龙头漏水,W01,电话,否,2026-10-05 09:00",
                               "5栋302,李四,13900001111,客厅灯不亮,E01,来访,是,2026-10-05 09:20"]) + "\n",
                    encoding="utf-8")
    done = run("--root", str(clerk.root), "import", str(good))
    assert done.returncode == 0, done.stderr
    lines_with(done.stdout, "HQ-000001  第 2 行  3栋1201",
               "已从 day.csv 导入 2 张维修单（HQ-000001 … HQ-000002），一次提交")


def test_a_broken_order_file_is_told_in_chinese_and_the_cache_keeps_no_language(clerk):
    path = clerk.order_file(clerk.new())
    text = path.read_text("utf-8")
    path.write_text(text.replace("status: received", "status: received\nstatus: assigned"), encoding="utf-8")
    clerk.git("commit", "-q", "--no-verify", "-am", "a bad merge")  # committed: its cached row is trusted
    # no racy window: a file just written would be read again anyway, and the cache's rows not be used
    chinese = run("--root", str(clerk.root), "check", REPAIRCTL_RACY_SECONDS="0")
    assert chinese.returncode == 1
    lines_with(chinese.stdout + chinese.stderr, "键 `status` 重复（第 ")
    # the cache the Chinese run made holds its problems in Chinese: an English run must not show them
    english_run = run("--root", str(clerk.root), "check", lang="en", REPAIRCTL_RACY_SECONDS="0")
    assert "duplicate key `status`" in english_run.stdout + english_run.stderr
    assert "重复" not in english_run.stdout + english_run.stderr
    path.write_text(text.replace("status: received", "<<<<<<< ours\nstatus: received\n=======\n>>>>>>> theirs"),
                    encoding="utf-8")
    conflict = run("--root", str(clerk.root), "check")
    lines_with(conflict.stdout + conflict.stderr,
               "有未解决的合并冲突：保留正确的版本，删掉 <<<<<<< ======= >>>>>>> 这几行")


def test_git_troubles_are_chinese(clerk):
    done = run("--root", str(clerk.root), "sync")
    assert done.returncode == 1
    lines_with(done.stderr, "这个管理处没有用来共享的 git 远程仓库")
    lock = Path(clerk.root) / ".git" / "index.lock"
    lock.write_text("", encoding="utf-8")
    recovered = run("--root", str(clerk.root), "recover")
    assert recovered.returncode == 0, recovered.stderr
    lines_with(recovered.stdout, "已删除 ", "前一个被中断的命令留下的")
    assert not lock.exists()
