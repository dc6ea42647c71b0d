"""What the simulated desk says about each catalogue item: data for orders/simulate.py, no logic.

A real desk's month reads item by item: a tap drips, a lamp does not light, a bicycle's chain came off.
ITEMS gives each in-house item (catalog.yaml's codes) the owner's words at the phone (`says`, the
order's description), the technician's words at the close (`work`), the parts such a job uses
(`materials`: name and unit price in yuan; on an item timed per metre the part is bought by the
metre, so its quantity is the job's), what an unsatisfied owner says of this job at the callback
(`unhappy`) and, for items timed per metre or per unit, how many a job covers (`quantity`).
Any job may also draw the complaints of ANY_JOB; CHARGED only where a fee was charged.
"""

from __future__ import annotations

from typing import NamedTuple


class Words(NamedTuple):
    """The desk's words for one catalogue item."""

    says: tuple[str, ...]
    work: str
    materials: tuple[tuple[str, float], ...] = ()
    unhappy: tuple[str, ...] = ()
    quantity: tuple[int, int] = (1, 1)


def _w(says, work, materials=(), unhappy=(), quantity=(1, 1)) -> Words:
    return Words(tuple(says), work, tuple(materials), tuple(unhappy), quantity)


LAMP = ("灯还是不亮", "灯还是一闪一闪的")
TRIP = ("又跳闸了", "过了一天又跳闸了")
SOCKET = ("插座还是没电", "开关还是接触不良")
DRIP = ("还在滴水", "接口还在渗水")
LOCK = ("钥匙还是不好拧", "锁还是不太好用")
FIXED_ON_WALL = ("挂得有点歪", "墙上的孔打歪了")

ITEMS = {
    # 一 供电类
    "E01": _w(["客厅灯不亮", "卧室灯泡烧了", "卫生间灯泡不亮了", "阳台灯不亮"], "更换灯泡", [("灯泡", 12)], LAMP),
    "E02": _w(["书房节能灯管不亮", "节能灯管闪个不停", "客厅节能灯坏了"], "更换节能灯管", [("节能灯管", 18)], LAMP),
    "E03": _w(["厨房日光灯不亮", "日光灯管两头发黑", "光管一直闪"], "更换日光灯管", [("日光灯管", 15)], LAMP),
    "E04": _w(["日光灯支架松脱了", "日光灯架烧坏了", "厨房灯架掉下来了"], "更换日光灯支架", [("日光灯支架", 35)], LAMP),
    "E05": _w(["灯罩裂了", "卧室灯罩掉下来了", "阳台灯罩破了"], "更换灯罩", [("灯罩", 25)], ("灯罩装得不牢",)),
    "E06": _w(["客厅吸顶灯不亮", "吸顶灯灯座烧坏了", "卧室吸顶灯要换"], "更换吸顶灯", [("吸顶灯", 85)], LAMP),
    "E07": _w(["床头壁灯不亮", "走廊壁灯坏了", "壁灯开关没反应"], "更换壁灯", [("壁灯", 60)], LAMP),
    "E08": _w(["餐厅吊灯不亮", "吊灯要换新的", "吊灯晃得厉害"], "更换吊灯", [("吊灯", 120)], LAMP),
    "E09": _w(["插座面板烧黑了", "开关按下去弹不起来", "卧室插座没电", "开关面板裂了"], "更换开关、插座面板",
              [("开关面板", 18), ("插座面板", 15)], SOCKET),
    "E10": _w(["空开一合上就跳", "电箱里的断路器坏了", "断路器推不上去"], "更换断路器", [("断路器", 45)], TRIP),
    "E11": _w(["卫生间排风扇不转", "排气扇响声很大", "厨房换气扇不转了"], "更换排风扇", [("排风扇", 95)],
              ("排风扇还是很响",)),
    "E12": _w(["总闸跳闸", "一开热水器就跳闸", "家里突然没电了", "厨房一用电就跳闸"], "查出跳闸原因并排除",
              [("断路器", 45)], TRIP),
    "E13": _w(["插座有点漏电", "热水器外壳麻手", "卫生间插座漏电跳闸"], "查出漏电点并处理", [("绝缘胶布", 3)],
              ("还是有点麻手", *TRIP)),
    "E14": _w(["光管盘要挪个位置", "灯盘要移到餐桌上方"], "光管盘移位", [("电线", 3)], ("位置还是不合适",)),
    "E15": _w(["光管盘坏了要换", "厨房灯盘不亮要换"], "更换光管盘", [("光管盘", 80)], LAMP),
    "E16": _w(["阳台线管破了", "穿线管老化开裂", "线管被老鼠咬破了"], "更换阻燃导线管", [("阻燃线管", 6)],
              ("线管没有固定好",), (1, 6)),
    "E17": _w(["书房要装一套日光灯", "车库要装日光灯架"], "安装日光灯管、架", [("日光灯支架", 35)], LAMP),
    "E18": _w(["厨房要加装插座", "阳台要装个开关", "床头要加一个插座"], "安装开关、插座", [("插座面板", 15)], SOCKET),
    "E19": _w(["要装个小配电箱", "阳台要加装配电箱"], "安装小型配电箱", [("小型配电箱", 120)], TRIP),
    "E20": _w(["阳台要拉一路明线", "储物间要布线装灯"], "安装明敷线路", [("电线", 3.5)], ("线没有拉直",), (2, 8)),
    # 二 给排水类
    "W01": _w(["厨房水龙头一直滴水", "卫生间水龙头关不紧", "阳台水龙头坏了", "水龙头拧不动"], "更换水龙头",
              [("水龙头", 35), ("生料带", 2)], (*DRIP, "水龙头还是关不紧")),
    "W02": _w(["总阀关不严", "进户闸阀漏水", "阀门拧不动"], "更换小闸阀", [("闸阀", 28)], ("阀门还在漏",)),
    "W03": _w(["水表不走了", "水表玻璃碎了", "水表接口漏水"], "更换水表", [("水表", 120)], ("水表还是不走",)),
    "W04": _w(["水表走得慢，要清洗", "水表里有沙子"], "清洗水表（已声明度量不准确与清洗无关）", (),
              ("水表读数还是不对",)),
    "W05": _w(["马桶一直流水", "马桶水箱漏水", "马桶底座渗水"], "维修马桶", [("马桶进水阀", 40), ("排水阀", 35)],
              ("马桶还在流水", *DRIP)),
    "W06": _w(["洗手盆下面漏水", "面盆接口渗水", "洗脸盆下面一直滴水"], "维修洗手盆", [("密封胶", 10)], DRIP),
    "W07": _w(["进水软管爆了", "厨房软管漏水", "热水器进水管滴水"], "更换给水软管", [("给水软管", 15)], DRIP),
    "W08": _w(["洗手盆下水管漏水", "面盆下水管断了", "下水管有臭味"], "更换洗手盆下水管", [("下水管", 18.5)],
              ("还有臭味", *DRIP)),
    "W09": _w(["厨房下水道堵了", "卫生间地漏不通", "洗菜盆下水很慢"], "疏通下水道", (), ("下水还是很慢",)),
    # 三 土木、其它类
    "C01": _w(["卧室门锁坏了", "房门锁打不开", "木门锁把手掉了"], "更换木门锁", [("木门锁", 45)], LOCK),
    "C02": _w(["入户门锁打不开", "防盗门锁芯坏了", "钥匙插进去拧不动"], "更换防盗门锁芯", [("防盗门锁芯", 85)], LOCK),
    "C03": _w(["信箱锁坏了", "信箱钥匙丢了，要换锁"], "更换信箱锁", [("信箱锁", 12)], LOCK),
    "C04": _w(["抽屉锁打不开", "书桌抽屉锁坏了"], "更换抽屉锁", [("抽屉锁", 10)], LOCK),
    "C05": _w(["球形锁拧不动", "卫生间门把手锁坏了"], "更换拧手锁", [("球形锁", 35)], LOCK),
    "C06": _w(["门闩插不上", "阳台门插销坏了"], "更换门闩锁", [("插销", 8)], ("插销还是插不到位",)),
    "C07": _w(["卧室门关不上", "窗户合页松了", "房门下垂擦地"], "调整门窗、更换合页", [("合页", 8)],
              ("门还是关不严",)),
    "C08": _w(["抽屉拉手掉了", "柜子拉手松了"], "维修抽屉拉手", [("拉手", 6)], ("拉手又松了",)),
    "C09": _w(["橱柜门掉了", "柜门合不上", "橱柜铰链坏了"], "维修橱柜，更换铰链", [("橱柜铰链", 10)],
              ("柜门还是合不上",)),
    "C10": _w(["客厅要挂一幅字画", "要帮忙挂画"], "安装字画", [("挂钩", 3)], FIXED_ON_WALL),
    "C11": _w(["卫生间要装镜子", "镜框要挂到墙上"], "安装镜框", [("膨胀螺丝", 1)], FIXED_ON_WALL),
    "C12": _w(["卧室要挂窗帘", "窗帘轨道掉了"], "挂窗帘", [("窗帘轨道", 45)], ("窗帘拉不顺",)),
    "C13": _w(["墙上要打几个孔", "要钻孔装置物架"], "钻胶塞孔", [("胶塞", 1)], FIXED_ON_WALL),
    "C14": _w(["单车链条掉了", "自行车后胎没气", "单车刹车不灵", "自行车链条生锈卡住了"], "维修单车",
              [("自行车内胎", 25), ("刹车线", 10), ("链条", 30)], ("刹车还是不灵", "车胎又没气了"), (1, 2)),
}

# the items an owner may call in as an emergency (a burst hose, the power out): the rest can wait an hour
URGENT = frozenset({"E10", "E12", "E13", "W02", "W05", "W07", "W09"})

# jobs of no catalogue item, which the desk takes on as small repairs (catalog.yaml 说明 01)
UNCOVERED = ("阳台晾衣架摇不下来", "纱窗破了", "浴室毛巾架松了", "门吸掉了", "猫眼松了")

ANY_JOB = ("师傅来晚了", "地面没有清理干净")
CHARGED = ("收费太贵",)
# what the clerk did about each kind of complaint; an item's own complaint gets a return visit
FOLLOWUP = {"师傅来晚了": "已向业户道歉，并提醒维修人员守时", "地面没有清理干净": "已安排人员上门清理，并向业户道歉",
            "收费太贵": "已向业户解释收费标准和材料价格"}
REWORK_NOTE = "已安排返修并回复业户"

# the close without the owner's signature, and why (closing.sign_off; a one-line field, so no full-width comma,
# which --unsigned would fold to an ASCII one)
UNSIGNED = ("业户不在家", "业户赶时间未签字", "家中只有老人在")
# why the supervisor sent finished work back (inspection.inspect), by the item's category, and for any job
FAILED_INSPECTION = {"water": ("接口仍渗水", "软管接头没有拧紧"), "power": ("线头没有包好", "灯具安装不牢固"),
                     "civil": ("安装不牢固", "螺丝没有拧紧"), None: ("现场没有清理",)}
DELAY = ("配件需订购", "业户出差，约定回来后再修", "需等业户自购材料")
CORRECTION = {"phone": "业户来电更正电话", "unit": "房号登记错了，业户来电更正"}
