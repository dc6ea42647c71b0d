"""What the columns of a sheet may be called, and the cell words a sheet may use.

The office's spreadsheets are typed by people: a column of phones may be headed 电话,
联系电话 or phone. Each field here lists every header a sheet may give it, Chinese as the
desk writes it and English for scripts; the first is the one repairctl writes. Headers are
matched ignoring case, spaces and a trailing colon or asterisk (store/csvio.py).
"""

from __future__ import annotations

INTAKE_HEADER = {
    "unit": ("单元", "地址", "地址单元", "地址/单元", "房号", "unit", "address"),
    "name": ("业户", "业户姓名", "姓名", "name", "owner"),
    "phone": ("电话", "联系电话", "phone", "tel"),
    "description": ("内容", "维修内容", "故障", "description", "desc"),
    "item": ("项目", "项目代码", "维修项目", "item", "code"),
    "channel": ("渠道", "受理方式", "channel"),
    "appointment": ("预约时间", "appointment"),
    "emergency": ("紧急", "emergency"),
    "public": ("公共区域", "public"),
    "at": ("受理时间", "时间", "at", "received"),
    "by": ("经办人", "by", "clerk"),
}

# Words a sheet may use for a channel besides CHANNEL's own labels (电话, 来访 …) and codes (phone …).
CHANNEL_WORDS = {"网上": "online", "app": "online", "来电": "phone", "上门": "walk-in", "walk in": "walk-in"}

# A yes/no cell (紧急, 公共区域); an empty cell is no.
YES = ("是", "yes", "y", "true", "1", "√", "✓")
NO = ("否", "no", "n", "false", "0", "")

# The columns of `export`, in order: one row per order, as the office reads it in Excel.
EXPORT = {
    "id": "单号",
    "at": "受理时间",
    "channel": "受理方式",
    "unit": "地址/单元",
    "public": "公共区域",
    "name": "业户姓名",
    "phone": "联系电话",
    "description": "维修内容",
    "item": "维修项目",
    "emergency": "紧急",
    "appointment": "预约时间",
    "by": "经办人",
    "technician": "维修人员",
    "status": "状态",
    "arrived": "到场时间",
    "finished": "完工时间",
    "materials": "材料费",
    "labour": "人工费",
    "waived": "减免",
    "fee": "费用合计",
    "callback": "回访结果",
}
FEE_PENDING = "待定"

# The optional registries in records/: owners of each unit, and the office's technicians.
UNITS_HEADER = {
    "unit": ("单元", "地址", "地址单元", "地址/单元", "房号", "unit"),
    "names": ("业户", "业户姓名", "业主", "姓名", "name", "names", "owner", "owners"),
    "phones": ("电话", "联系电话", "phone", "phones"),
}
STAFF_HEADER = {
    "name": ("姓名", "维修人员", "技工", "name"),
    "trade": ("工种", "专业", "trade"),
    "phone": ("电话", "联系电话", "phone"),
}
