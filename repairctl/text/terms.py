"""The one place where the code's English terms meet the desk's Chinese words.

Files and code say ``assigned`` or ``phone``; slips, notes, tables and workbooks
say 已派工 or 电话. Every Chinese label a document prints comes from here.
"""

from __future__ import annotations

from repairctl.text import i18n

STATUS = {
    "received": "已受理",
    "assigned": "已派工",
    "arrived": "已到场",
    "finished": "已完工",
    "called_back": "已回访",
    "cancelled": "已取消",
    "referred": "已推荐供应商",
    "declined": "业户不同意报价",
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
    "fee_settled": "确定收费",
    "called_back": "回访",
    "cancelled": "取消",
    "referred": "推荐供应商",
    "followed_up": "跟进回访",
    "quoted": "报价",
    "paid": "缴费",
    "edited": "更正",
    "inspected": "验收检查",
    "reopened": "重新打开",
    "delayed": "延期",
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
    "standard": "维修时限",  # the catalogue's work-time standard of the item (000 一览表)
    "rescheduled": "改约",
    "quote": "报价",
    "payment": "缴费",
    "acceptor": "验收人",  # who signs for a public area's job
    "followup": "跟进",
}

SATISFIED = {True: "满意", False: "不满意"}

# How the owner paid at the finance desk (000 §2.3: never the technician, never cash on site).
PAY_METHOD = {
    "cash": "现金",
    "wechat": "微信",
    "alipay": "支付宝",
    "card": "刷卡",
    "bank": "银行转账",
}

# An order's fee, derived (orders/payments.py): owed, paid at the finance desk, waived whole, or nothing charged.
FEE_STATE = {
    "due": "待缴",
    "paid": "已缴",
    "waived": "已减免",
    "none": "无费用",
}


def label(table: dict, key, default: str = "") -> str:
    """Return the Chinese word for key in table, or key itself if the table lacks it."""
    if key is None:
        return default
    return table.get(key, str(key))


def shown(table: dict, key, default: str = "") -> str:
    """The word for key on a terminal: the Chinese word, or in English the key itself (``assigned``, ``unit``)."""
    if key is None:
        return default
    return label(table, key) if i18n.language() != "en" else str(key).replace("_", " ")


# Words printed only on the repair slip (维修单) and the message note (留言条).
SLIP = {
    "title": "维修单",
    "note_title": "留言条",
    "category_item": "类别及项目",
    "supplier_job": "推荐专业供应商",
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
    "clerk": "受理人",
    "area": "区域",
    "dispatched": "派工时间",
    "trade": "工种",
    "due_arrival": "要求到场时间",
    "due_finish": "要求完工时间",
    "limit": "维修时限",
    "remark": "备注",
    "date": "日期",
    "signed": "已签",
    "unsigned": "未签",
    "caller": "报修人",
    "acceptor": "验收人签名",
    "acceptor_opinion": "验收意见",
    "callback_result": "回访结果",
}

# Words printed only on a technician's day sheet (派工单, `repairctl dispatch`).
DAYSHEET = {
    "title": "派工单",
    "technician": "维修人员",
    "date": "日期",
    "count": "共 {n} 单",
    "number": "序号",
    "id": "单号",
    "unit": "地址/单元",
    "contact": "联系人",
    "time": "预约时间",
    "item": "维修项目",
    "limit": "维修时限",
    "notes": "备注",
    "description": "维修内容",
    "none": "当日无派工",
    "carried": "前日未完成",
    "absent": "业户曾不在家（已留言）",
    "emergency": "紧急",
    "immediate": "即时",
    "arrived": "已到场",
    "finished": "已完工",
    "received_sign": "维修人员签收",
}


# Service-level clocks (服务时限): what is owed on each one, for `overdue` and the monthly workbook.
SLA_WHAT = {
    "arrival": "到场",
    "appointment": "预约上门",
    "finish": "完工",
    "callback": "回访",
    "fee": "确定收费",
    "followup": "跟进不满意回访",
    "payment": "缴费",
    "planned": "计划维修",  # a planned job done by its due day (orders/planned.py)
    "complaint": "投诉首次答复",
}

# The same clocks of an emergency order, named so the desk sees at once what is urgent.
SLA_WHAT_EMERGENCY = {
    "arrival": "紧急到场",
    "finish": "紧急完工",
}

# Who must act on a clock: before dispatch the desk (客服) must dispatch (never "未派工", which names no
# one); the desks that hold the others.
SLA_HOLDER = {
    "unassigned": "客服",
    "clerk": "客服",
    "supervisor": "工程主管",
    "finance": "财务",
}

# Column headers and cell words of the `overdue` table.
OVERDUE = {
    "id": "单号",
    "unit": "地址/单元",
    "what": "时限",
    "due": "到期时间",
    "late": "超时/剩余",
    "holder": "责任人",
    "late_by": "超时",
    "left": "剩余",
    "minutes": "分钟",
    "hours": "小时",
    "days": "天",
}


# Words of the monthly statistics (月度统计): the terminal summary and the Excel workbook.
MEASURE = {
    "received": "受理单数",
    "finished": "完成单数",
    "open": "未完成单数",
    "cancelled": "取消单数",
    "referred": "推荐供应商单数",
    "completion_rate": "完成率",
    "to_arrival_average": "受理至到场平均用时(分钟)",
    "to_arrival_p90": "受理至到场90%用时(分钟)",
    "to_finish_average": "受理至完工平均用时(分钟)",
    "to_finish_p90": "受理至完工90%用时(分钟)",
    "rework_count": "返修单数",
    "materials": "材料费(元)",
    "labour": "人工费(元)",
    "waived": "减免(元)",
    "pending_count": "费用待定单数",
    "pending_amount": "费用待定金额(元)",
    "due": "应收费用(元)",
    "households": "服务户数",
    "satisfied": "回访满意",
    "unsatisfied": "回访不满意",
    "satisfaction": "满意率",
    "on_time_arrival": "到场及时率",
    "on_time_appointment": "预约上门准时率",
    "on_time_finish": "完工及时率",
    "on_time_callback": "回访及时率",
    "rework_rate": "返修率",
    "callback_unit": "业户单元回访率",
    "callback_all": "完工单回访率",
    "callback_sample": "回访抽样户数",
    "declined": "业户不同意报价单数",
    "collected": "实收(元)",
    "outstanding": "未收(元)",
    "signed": "业户签认单数",
    "unsigned": "未签认单数",
    "worktime_rate": "标准工时达标率",
    "inspected": "验收检查单数",
    "first_pass_rate": "一次验收合格率",
    "inspection_rework": "返工次数",
    "delayed": "延期单数",
    "planned_due": "计划维修到期单数",  # planned maintenance (reports/maintenance.py)
    "planned_on_time": "计划维修按时完成",
    "planned_rate": "计划完成率",
    "planned_faults": "计划维修发现故障",
    "complaints_received": "投诉单数",  # complaints in the company's summary (reports/companybook.py)
    "complaints_in_time_rate": "投诉按时答复率",
}

SHEET = {
    "summary": "汇总",
    "category": "按类别",
    "item": "按项目",
    "technician": "按维修人员",
    "channel": "按渠道",
    "suppliers": "未覆盖与供应商",
    "unsatisfied": "不满意回访",
    "detail": "明细",
}

REPORT = {
    "title": "维修服务月度统计",
    "left_out": "注意：本期有 {count} 个工单文件无法读取，未计入以下数字",
    "left_out_file": "未计入的文件",
    "to": "至",
    "measure": "指标",
    "value": "本月",
    "target": "目标",
    "result": "是否达标",
    "passed": "达标",
    "failed": "未达标",
    "no_data": "无数据",
    "count": "单数",
    "finished": "完成数",
    "on_time": "及时率",
    "called_back": "回访数",
    "satisfied": "满意数",
    "satisfaction": "满意率",
    "category": "类别",
    "code": "编号",
    "item": "项目",
    "technician": "维修人员",
    "channel": "受理方式",
    "kind": "类型",
    "uncovered": "目录未覆盖",
    "supplier": "推荐供应商",
    "provider": "供应商",
    "name": "名称/内容",
    "orders": "单号",
    "method": "回访方式",
    "reason": "原因",
    "on_time_of": "达标",
    "yes": "是",
    "no": "否",
    "undecided": "未到期",
    "callback_result": "回访结果",
    "open_by_status": "未完成",
    "sample_required": "应抽样回访",
    "households_unit": "户",
    "orders_unit": "单",
    "yuan": "元",
    "none": "无",
    "received": "受理时间",
    "unit": "单元",
    "owner": "业户",
    "phone": "电话",
    "description": "内容",
    "status": "状态",
    "arrived": "到场时间",
    "finished_at": "完工时间",
    "materials": "材料费",
    "labour": "人工费",
    "waived": "减免",
    "fee_pending": "费用待定",
    "chart_category": "各类别单数",
    "chart_satisfaction": "回访满意度",
    "chart_on_time": "各时限及时率",
    "month_title": "{year}年{month}月",
    "period": "统计期间",
    "as_of": "统计时点",
    "figures": "本月数据",
    "page": "第 &P 页，共 &N 页",
    "provider_none": "未指定",  # a supplier job whose row of the seed's table names no provider
    "standard": "维修时限",
    "worktime_measured": "标准工时计量单数",
    "worktime_met": "标准工时达标单数",
    "worktime_rate": "标准工时达标率",
    "week_name": "维修服务周报",  # `report --week` (003 §4.1.4.3: 每周、每月进行统计)
    "week_title": "{year}年第{week}周（{first}—{last}）",
    "value_week": "本周",
    "figures_week": "本周数据",
}

# Words of the company's month (rollup): the terminal table and the company workbook.
COMPANY = {
    "title": "维修服务月度统计汇总",
    "rank": "排名",
    "site": "站点",
    "office": "管理处",
    "total": "合计",
    "met": "达标项数",
    "missed": "未达标项数",
    "target_of": "目标",
    "result_of": "结果",
    "summary": "公司汇总",
    "ranking": "排名",
    "left_out": "注意：{offices} 个管理处无法读取、{files} 个工单文件无法读取，未计入以上数字",
    "left_out_office": "未计入的管理处",
}

# Column headers of the `fees` table (the finance desk's list).
FEES = {
    "id": "单号",
    "unit": "地址/单元",
    "finished": "完工时间",
    "state": "费用状态",
    "fee": "应收(元)",
    "waived": "减免(元)",
    "paid": "实收(元)",
    "receipt": "收据号",
    "method": "缴费方式",
    "paid_at": "缴费时间",
}
