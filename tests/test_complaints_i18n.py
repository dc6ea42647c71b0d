"""What the complaint commands say in Chinese (issue 15 §3): a refusal, a success, overdue's row and check's
problem, with no English sentence left."""

from __future__ import annotations

from tests.test_complaints import complaint_file, file_complaint
from tests.test_i18n import run
from tests.test_i18n_orders import english_left


def test_complaint_commands_speak_chinese(clerk):
    complaint_id = file_complaint(clerk, at="2026-11-24 09:00")
    early = run("complaint", "close", complaint_id, "--result", "已处理", "--satisfied", cwd=clerk.root)
    assert early.returncode == 1
    assert f"错误：{complaint_id} 还没有首次答复：请先用 `repairctl complaint answer {complaint_id} --note 内容` 登记" \
        in early.stderr
    answered = run("complaint", "answer", complaint_id, "--note", "已致歉", cwd=clerk.root)
    assert answered.returncode == 0 and answered.stdout.strip() == f"{complaint_id} 已首次答复"
    made = run("complaint", "new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "噪音",
               "--at", "2026-11-24 09:00", cwd=clerk.root)
    assert made.stdout.strip() == "HQ-T000002 已受理：请在 24 小时内首次答复"
    late = run("overdue", cwd=clerk.root)
    assert late.returncode == 1 and "投诉首次答复" in late.stdout and "客服 → 工程主管" in late.stdout
    shown = run("complaint", "show", "HQ-T000002", cwd=clerk.root)
    assert "首次答复已超时：期限是 2026-11-25 09:00" in shown.stdout
    path = complaint_file(clerk, "HQ-T000002")
    path.write_text(path.read_text("utf-8").replace("channel: phone", "channel: fax"), "utf-8")
    checked = run("check", cwd=clerk.root)
    assert checked.returncode == 1 and "HQ-T000002.yaml:6:1: channel 必须是以下之一：phone" in checked.stdout
    assert not english_left(early.stderr + answered.stdout + made.stdout + late.stdout + shown.stdout
                            + checked.stdout)
