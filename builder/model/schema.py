"""The record model as data: every key, its kind, whether it is required, and what it means.

The validator walks this table (codes E010–E013), ``builder new`` writes its skeleton from it,
and ``schema/record.json`` is generated from it, so the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STEPS = ("proposal", "deliberation", "review", "resolution", "disclosure", "implementation", "result")
MEETINGS = STEPS[:4]  # the steps that are meetings: attendance, quorum, votes
# The steps' names (records.md §1): the diagnostics use them, and so does every page.
STEP_LABELS = {
    "proposal": "党支部会提议",
    "deliberation": "“两委”会商议",
    "review": "党员大会审议",
    "resolution": "村民代表会议决议",
    "disclosure": "决议公开",
    "implementation": "组织实施",
    "result": "实施结果公开",
}
ASSEMBLY_LABEL = "村民会议决议"  # a resolution made by the villagers' assembly instead
APPROVAL_LABEL = "乡镇审核"  # v1.1 `approval`: the township's review, between disclosure and implementation


def step_label(step: str, data: dict) -> str:
    """The step's name as site.md has it; a resolution is named by the body that made it."""
    if step == "resolution" and (data.get("resolution") or {}).get("body") == "assembly":
        return ASSEMBLY_LABEL
    return STEP_LABELS[step]

CATEGORIES = {
    "land": "土地承包与流转",
    "assets": "集体资产处置与出租",
    "project": "集体经济项目",
    "public-works": "公益事业与基础设施",
    "finance": "集体收益使用",
    "compensation": "征地补偿分配",
    "homestead": "宅基地使用",
    "subsidy": "误工补贴与补助标准",
    "other": "其他重大事项",
}

ID_PATTERN = r"^\d{4}-\d{3}$"
VILLAGE_PATTERN = r"^[a-z0-9-]+$"


@dataclass(frozen=True)
class F:
    """One field. ``kind`` is str, text (Markdown), count, money, percent, date, enum, list,
    strlist or map; ``fields`` describes a map, ``item`` a list's items."""

    kind: str
    what: str
    required: bool = False
    options: tuple = ()
    max_len: int = 0
    pattern: str = ""
    fields: dict = field(default_factory=dict)
    item: F | None = None
    example: object = None
    # v1.1 (records.md §8): a map or list that may instead be this one word, e.g. ``votes:
    # unanimous`` or ``objections: none``; ``word_what`` says what the word means.
    word: str = ""
    word_what: str = ""
    signed: bool = False  # a count: a negative one is left to the rules (attendance: E040), not E012


def _count(what: str, example: int, signed: bool = False) -> F:
    return F("count", what, required=True, example=example, signed=signed)


ATTENDANCE = F("map", "到会人数", required=True, fields={
    # Attendance may be typed negative: E040 reports it (records.md §5), not E012.
    "expected": _count("应到人数", 9, signed=True),
    "present": _count("实到人数", 8, signed=True),
    "online": F("count", "其中线上参会人数（视频或手机应用参会，算在实到人数内）", example=2, signed=True),
})
VOTES = F("map", "表决票数；到会的人全部赞成而没有记票数的，写 unanimous（全票通过）", fields={
    "for": _count("赞成票", 8),
    "against": _count("反对票", 0),
    "abstain": _count("弃权票", 0),
}, word="unanimous", word_what="全票通过（到会的人全部赞成）")
METHODS = ("ballot", "hands", "online", "mixed")
METHOD = F("enum", "表决方式：ballot 投票表决，hands 举手表决，online 线上表决，mixed 线上线下结合",
           options=METHODS, example="hands")
OUTCOME = F("enum", "结果：passed 通过，rejected 未通过", options=("passed", "rejected"), example="passed")
NOTES = F("text", "说明（Markdown）", example="会议内容")


def _meeting(what: str, votes_required: bool) -> F:
    return F("map", what, fields={
        "date": F("date", "会议日期", required=True, example="2024-03-02"),
        "attendance": ATTENDANCE,
        "votes": F("map", VOTES.what, required=votes_required, fields=VOTES.fields, word=VOTES.word,
                   word_what=VOTES.word_what),
        "method": METHOD,
        "outcome": OUTCOME,
        "notes": NOTES,
    })


_resolution = _meeting("第四步：村民代表会议或村民会议决议", votes_required=True)
RESOLUTION = F("map", _resolution.what, fields={
    "body": F("enum", "决议机构：representatives 村民代表会议，assembly 村民会议", required=True,
              options=("representatives", "assembly"), example="representatives"),
    **_resolution.fields,
    "households": F("map", "到会户代表（仅村民会议）", fields={
        "expected": _count("应到户数", 380, signed=True),
        "present": _count("实到户数", 260, signed=True),
    }),
    "text": F("text", "决议内容（Markdown）", required=True, example="同意……"),
})



def _objections(what: str, date: str, answered: str, summary: str, response: str) -> F:
    """v1.1: objections raised while a disclosure or a result was posted (``none`` when there
    were none). The examples differ by posting, so that a skeleton filled in as written passes."""
    return F("list", what + "：没有异议写 none（公示期间无异议），有异议时逐条填写", item=F("map", "一条异议", fields={
        "date": F("date", "提出异议的日期", required=True, example=date),
        "summary": F("str", "异议内容（不写个人身份证号、电话）", required=True, example=summary),
        "response": F("str", "答复内容；与答复日期一起填写", example=response),
        "answered": F("date", "答复日期；与答复内容一起填写", example=answered),
    }), word="none", word_what="公示期间无异议")


CHANNELS = F("strlist", "公开方式，至少一项，如 公开栏、微信群、网站", required=True, example=["公开栏", "微信群"])

RECORD: dict[str, F] = {
    "id": F("str", "编号：年份-三位序号，与文件名相同", required=True, pattern=ID_PATTERN, example="2024-003"),
    "title": F("str", "标题，1–80 字", required=True, max_len=80, example="关于……的事项"),
    "village": F("str", "村代码，与所在文件夹相同", required=True, pattern=VILLAGE_PATTERN, example="dongwang"),
    "category": F("enum", "类别", required=True, options=tuple(CATEGORIES), example="land"),
    "summary": F("str", "一句话摘要，不超过 200 字", max_len=200, example="一句话摘要"),
    "budget": F("money", "预算（元），最多两位小数", example="120000.00"),
    "funding": F("list", "资金来源（可选）：各来源金额（元），合计应等于预算", item=F("map", "一项资金来源", fields={
        "source": F("str", "来源，如 财政奖补、村集体收益、农户自筹", required=True, example="财政奖补"),
        "amount": F("money", "金额（元），最多两位小数", required=True, example="120000.00"),
    })),
    "proposal": _meeting("第一步：党支部会提议", votes_required=False),
    "deliberation": _meeting("第二步：“两委”会商议", votes_required=False),
    "review": _meeting("第三步：党员大会审议", votes_required=True),
    "resolution": RESOLUTION,
    "disclosure": F("map", "第五步：决议公开", fields={
        "date": F("date", "张贴公示的第一天", required=True, example="2024-03-16"),
        "until": F("date", "公示期最后一天", required=True, example="2024-03-23"),
        "channels": CHANNELS,
        "objections": _objections("公示期间的异议", "2024-03-18", "2024-03-21", "第三组农户对地块边界有异议",
                                  "已重新测量并调整"),
        "notes": NOTES,
    }),
    "approval": F("map", "乡镇审核（可选）：开工前乡镇党委、政府的审核或备案", fields={
        "by": F("str", "审核单位", required=True, example="青禾镇党委、政府"),
        "date": F("date", "审核日期：不早于决议，不晚于实施开始", required=True, example="2024-03-25"),
        "notes": F("str", "审核意见", example="审核同意"),
    }),
    "implementation": F("map", "组织实施（可选）", fields={
        "responsible": F("str", "负责实施的组织或人", example="村委会"),
        "start": F("date", "开始日期", example="2024-04-01"),
        "due": F("date", "计划完成日期，可以是将来的日期", required=True, example="2024-06-30"),
        "updates": F("list", "实施进展，按日期先后", item=F("map", "一次进展", fields={
            "date": F("date", "日期", required=True, example="2024-05-01"),
            "progress": F("percent", "进度 0–100", required=True, example=50),
            "note": F("text", "进展说明", example="完成土地平整"),
        })),
    }),
    "result": F("map", "第六步：实施结果公开", fields={
        "date": F("date", "结果公开日期", required=True, example="2024-07-05"),
        "completed": F("date", "实施完成日期，不晚于公开日期", required=True, example="2024-06-28"),
        "cost": F("money", "实际支出（元）；填写了预算时必填", example="118500.00"),
        "summary": F("text", "结果说明（Markdown）", required=True, example="已完成……"),
        "channels": F("strlist", CHANNELS.what, example=["公开栏", "网站"]),
        "acceptance": F("map", "验收（可选）：完工后的验收", fields={
            "date": F("date", "验收日期：不早于完成日期，不晚于结果公开日期", required=True, example="2024-07-02"),
            "by": F("str", "验收单位或方式", required=True, example="镇村联合验收"),
        }),
        "objections": _objections("结果公开后的异议", "2024-07-08", "2024-07-12", "反映路面有两处裂缝",
                                  "施工单位已返修"),
    }),
    "attachments": F("list", "附件，放在 content/村代码/编号/ 文件夹中", item=F("map", "一个附件", fields={
        "file": F("str", "文件名", required=True, example="决议公告.pdf"),
        "title": F("str", "附件标题", example="决议公告扫描件"),
    })),
    "corrections": F("list", "修订记录：公开后的修改，最新的在最后", item=F("map", "一次修订", fields={
        "date": F("date", "修订日期", required=True, example="2024-07-10"),
        "reason": F("str", "修订原因", required=True, example="更正实际支出金额"),
    })),
}

VILLAGE: dict[str, F] = {
    "id": F("str", "村代码（小写字母、数字、连字符）", required=True, pattern=VILLAGE_PATTERN, example="dongwang"),
    # Bounded: a name is part of page titles, and a township's name of its address and file names.
    "name": F("str", "村名，不超过 40 字", required=True, max_len=40, example="东王村"),
    "township": F("str", "所属乡镇，不超过 40 字", max_len=40, example="张村镇"),
    "party_members": F("count", "党员人数", example=42),
    "representatives": F("count", "村民代表人数", example=45),
    "households": F("count", "户数", example=380),
    "adult_villagers": F("count", "年满十八周岁的村民人数", example=1150),
    # Where a villager takes an objection (each matter page and notice names it). The phone is
    # published on every page of the village: public by definition, like public_phones.
    "supervision_contact": F("str", "村务监督委员会联系人（公开），如 主任 王某某", max_len=40, example="主任 王某某"),
    "supervision_phone": F("str", "村务监督委员会联系电话（公开）", max_len=40, example="0371-62345678"),
}
SUPERVISION = ("supervision_contact", "supervision_phone")
