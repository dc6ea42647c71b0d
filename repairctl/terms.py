"""The one place where the code's English terms meet the desk's Chinese words.

Files and code say ``assigned`` or ``phone``; slips, notes, tables and workbooks
say 已派工 or 电话. Every Chinese label a document prints comes from here.
"""

from __future__ import annotations

STATUS = {
    "received": "已受理",
    "assigned": "已派工",
    "arrived": "已到场",
    "finished": "已完工",
    "called_back": "已回访",
    "cancelled": "已取消",
    "referred": "已转介供应商",
}

CHANNEL = {
    "phone": "电话",
    "walk-in": "来访",
    "written": "书面",
    "staff": "员工转达",
    "online": "网上/APP",
}

URGENCY = {
    "immediate": "即时维修",
    "appointment": "预约维修",
    "emergency": "紧急维修",
}

SCOPE = {
    "unit": "业户单元",
    "public": "公共区域",
}

CALLBACK_METHOD = {
    "phone": "电话",
    "visit": "上门",
    "intercom": "对讲",
    "questionnaire": "问卷",
}

APPROVER_ROLE = {
    "director": "物业总监",
    "company": "公司领导",
}

EVENT = {
    "received": "受理",
    "assigned": "派工",
    "arrived": "到场",
    "absent": "业户不在家",
    "rescheduled": "改约",
    "finished": "完工",
    "fee_settled": "结算费用",
    "called_back": "回访",
    "cancelled": "取消",
    "referred": "转介供应商",
}

FIELD = {
    "id": "单号",
    "status": "状态",
    "received": "受理时间",
    "channel": "受理方式",
    "scope": "范围",
    "unit": "地址/单元",
    "name": "业户姓名",
    "phone": "联系电话",
    "description": "维修内容",
    "item": "维修项目",
    "urgency": "维修类型",
    "appointment": "预约时间",
    "technician": "维修人员",
    "arrived": "到场时间",
    "finished": "完工时间",
    "work": "维修情况",
    "materials": "材料",
    "labour": "人工费",
    "fee": "费用合计",
    "fee_pending": "费用待定",
    "waiver": "减免",
    "opinion": "业户意见",
    "signed_by": "业户签名",
    "callback": "回访",
    "supplier": "推荐供应商",
    "reason": "原因",
    "by": "经办人",
    "at": "时间",
}

SATISFIED = {True: "满意", False: "不满意"}


def label(table: dict, key, default: str = "") -> str:
    """Return the Chinese word for key in table, or key itself if the table lacks it."""
    if key is None:
        return default
    return table.get(key, str(key))


# Words printed only on the repair slip (维修单) and the message note (留言条).
SLIP = {
    "title": "维修单",
    "note_title": "留言条",
    "category_item": "类别及项目",
    "supplier_job": "转介专业供应商",
    "material_name": "名称",
    "qty": "数量",
    "unit_price": "单价",
    "amount": "金额",
    "materials_total": "材料小计",
    "approved_by": "减免批准人",
    "technician_signature": "维修人员签名",
    "yuan": "元",
    "no_cash": "维修不收现金",
    "visit": "上门时间",
    "office_phone": "客服电话",
}
