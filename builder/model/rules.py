"""The rule table: every diagnostic code with its severity, Chinese message and hint.

Checks, the command line, the documentation page and the tests all read this one table, so a
code means the same thing everywhere. Messages and hints are ``str.format`` templates; the
check that raises a code supplies the fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str  # one line for the guide page: when the code is raised
    message: str  # template, filled by the check
    hint: str = ""  # template; may be overridden by the check for a sharper hint
    bad: str = ""  # a wrong example for the guide page
    good: str = ""  # the same example put right
    advice: str = ""  # the guide's "怎样改" where the hint needs one record's values to say anything


RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        Rule("E001", ERROR, "文件不是 UTF-8 编码的文本",
             "文件不是 UTF-8 编码的文本（{detail}）",
             "请用 UTF-8 编码保存文件（记事本“另存为”时选择 UTF-8）",
             "用 GBK 编码保存的记录", "另存为 UTF-8"),
        Rule("E002", ERROR, "YAML 格式错误",
             "YAML 格式错误：{detail}",
             "检查这一行的冒号、缩进和引号：冒号用英文半角“:”，冒号后留一个空格，缩进用空格",
             "title：关于村东道路硬化的事项", "title: 关于村东道路硬化的事项"),
        Rule("E003", ERROR, "没有找到文件开头的 YAML 信息区",
             "没有找到文件开头的 YAML 信息区（front matter）{detail}",
             "记录第一行必须是三个减号 ---，信息填完后再用一行 --- 结束，正文写在后面",
             "id: 2024-003（第一行没有 ---）", "---\\nid: 2024-003\\n…\\n---"),
        Rule("E004", ERROR, "文件过大",
             "文件过大（{size}），记录文件不能超过 1 MB",
             "记录只写文字；扫描件、照片请作为附件放在同名文件夹中",
             "把照片内容粘贴进记录", "照片作为 attachments 附件"),
        Rule("E005", ERROR, "记录不是普通文件",
             "{detail}",
             "记录必须是 content/村代码/ 文件夹中的普通文件，不能是链接",
             "指向其他目录的符号链接", "把文件本身放进村文件夹"),
        Rule("E006", ERROR, "文件看起来是记录，但名称不以 .md 结尾",
             "{name}：{detail}，这个文件不会被检查，也不会发布到网站上",
             "请把文件改名为 编号.md，例如 2026-007.md",
             "2026-007.md.txt（记事本保存时加了 .txt）", "2026-007.md"),
        Rule("E007", ERROR, "记录中有控制字符",
             "{where}有控制字符 {char}，网站和订阅无法显示",
             "控制字符看不见，多是从别处复制文字时带进来的，或是引号中的 \\x、\\0 等转义：请删除它，必要时重新输入这一段",
             'title: "关于\\x07道路硬化的事项"', "title: 关于道路硬化的事项"),
        Rule("E010", ERROR, "缺少必填项",
             "缺少必填项 {field}",
             "请补上 {field}：{what}",
             "resolution: 中没有 votes", "votes: {{for: 36, against: 2, abstain: 0}}",
             advice="按提示补上缺少的字段；每一步办完后填写该步的日期、参会人数和结果，见上面的记录模板"),
        Rule("E011", ERROR, "不认识的字段",
             "不认识的字段 {field}",
             "{suggest}",
             "titel: 关于……", "title: 关于……",
             advice="字段名只能用记录模板中的写法（英文小写）；多半是拼写错了，提示会给出最接近的正确字段名"),
        Rule("E012", ERROR, "字段的类型或取值不对",
             "{field} 的值不对：{detail}",
             "{fix}",
             "budget: 120,000", "budget: 120000.00",
             advice="按提示改成规定的写法：数字不加逗号和单位，人数写整数，只能从几个选项中选的按提示选一个"),
        Rule("E013", ERROR, "日期格式不对或日期不存在",
             "{field} 不是有效的日期：{value}",
             "日期写成 年-月-日，月和日都用两位数，例如 {example}",
             "date: 2024年3月5日", "date: 2024-03-05",
             advice="日期写成 年-月-日，月和日都用两位数，例如 2024-03-05；核对日期是否真实存在（如没有 2 月 30 日）"),
        Rule("E021", ERROR, "编号格式不对或与文件名不一致",
             "{detail}",
             "编号写成 年份-三位序号（如 2024-003），并与文件名（不含 .md）完全一致",
             "文件 2024-003.md 中 id: 2024-3", "id: 2024-003"),
        Rule("E022", ERROR, "村代码未登记或与所在文件夹不一致",
             "{detail}",
             "village 填写 villages.yml 中登记的村代码，并与记录所在文件夹同名",
             "dongwang/2024-003.md 中 village: xiwang", "village: dongwang"),
        Rule("E030", ERROR, "日期先后顺序不对",
             "{detail}",
             "核对会议记录上的日期；各步骤必须按 4+2 的先后顺序进行",
             "两委会商议日期早于党支部会提议", "按实际先后填写日期"),
        Rule("E031", ERROR, "前面的步骤缺失",
             "有{step}，但缺少前面的{missing}",
             "4+2 程序不能跳步：先补上{missing}的记录",
             "有 review 但没有 deliberation", "补上 deliberation",
             advice="4+2 程序不能跳步：先补上前面缺少的步骤的记录，再填后面的步骤"),
        Rule("E032", ERROR, "未通过的步骤之后又有后续步骤",
             "{rejected}未通过，事项已终止，不能再有{step}",
             "未通过的事项不再继续；如要重新议定，请另建一条新记录",
             "proposal 未通过，后面仍有 deliberation", "删除后续步骤，另建新记录"),
        Rule("E040", ERROR, "到会人数不对",
             "{detail}",
             "应到人数必须大于 0，实到人数不能为负，也不能多于应到人数",
             "attendance: {{expected: 40, present: 42}}", "attendance: {{expected: 42, present: 40}}"),
        Rule("E041", ERROR, "未达法定人数",
             "{step}未达法定人数：{detail}",
             "未达法定人数的会议无效，须重新召开；如果人数填错了，请核对签到表",
             "党员大会应到 42 人，实到 20 人", "实到至少 22 人"),
        Rule("E042", ERROR, "票数之和多于实到人数",
             "{step}票数之和多于实到人数：赞成 {for_} + 反对 {against} + 弃权 {abstain} = {total}，实到 {present} 人",
             "核对表决票数和签到人数",
             "实到 30 人，赞成 28、反对 2、弃权 1", "赞成 27、反对 2、弃权 1"),
        Rule("E043", ERROR, "填写的结果与票数矛盾",
             "{step}填写的结果“{stated}”与票数不符：赞成 {for_} 票，实到 {present} 人，按票数应为“{actual}”",
             "赞成票超过实到人数的一半才算通过；请核对票数或结果",
             "实到 9 人、赞成 4 票，outcome: passed", "outcome: rejected"),
        Rule("E050", ERROR, "公示期太短",
             "公示期只有 {days} 天（{start} 至 {until}），至少应为 {min_days} 天",
             "把 until 改为 {suggest} 或更晚，并按实际公示时间张贴",
             "date: 2024-03-16, until: 2024-03-20", "until: 2024-03-22",
             advice="把 until 改到公示满规定天数或更晚的日期，并按实际公示时间张贴"),
        Rule("E051", ERROR, "日期晚于今天",
             "{field} 的日期 {value} 晚于今天（{today}）",
             "还没有发生的步骤先不要写；只有 implementation.due 和 disclosure.until 可以填将来的日期",
             "提前填写下周的会议", "会议开完后再填写"),
        Rule("E060", ERROR, "记录中有身份证号码",
             "记录中出现了身份证号码（{masked}）",
             "公开的记录不得包含个人身份证号码，请删除",
             "承包人身份证号 …", "只写姓名或“承包人张某”"),
        Rule("E061", ERROR, "记录中有手机号码",
             "记录中出现了手机号码（{masked}）",
             "公开的记录不得包含个人手机号码；村委会的公开电话请登记在 mkdocs.yml 的 public_phones 中",
             "联系人手机 …", "联系村委会办公室"),
        Rule("E062", ERROR, "记录中有银行卡号",
             "记录中出现了银行卡号（{masked}）",
             "公开的记录不得包含银行卡号，请删除",
             "补偿款打入卡号 …", "补偿款打入本人账户"),
        Rule("E070", ERROR, "附件有问题",
             "附件 {file}：{detail}",
             "附件放在 content/村代码/记录编号/ 文件夹中，只能是 pdf、jpg、jpeg、png、webp，每个不超过 10 MB",
             "file: ../其他/扫描件.pdf", "file: 决议公告.pdf"),
        Rule("E080", ERROR, "已公开的内容被修改却没有修订记录",
             "已公开的{step}与 {base} 中的版本不同，但没有新增修订记录",
             "公开后的内容如需更改，请在 corrections 末尾新增一条 {{date: 今天, reason: 更改原因}}"
             "（公示期间收到的异议和后来的答复可以直接补上，不算更改）",
             "直接改动已公开的实际支出", "改动并新增 corrections 条目"),
        Rule("E081", ERROR, "已公开的记录被删除",
             "已在 {base} 中公开的记录 {file} 被删除",
             "已公开的事项不能删除；如有错误，请在记录中修改并新增修订记录",
             "删除已公示的记录文件", "保留文件，新增 corrections"),
        Rule("E090", ERROR, "villages.yml 缺失或有错",
             "{detail}",
             "content/villages.yml 以 villages: 开头，每个村一项，含 id 和 name，id 不能重复",
             "两个村都用 id: dongwang", "每个村一个不同的 id"),
        Rule("W040", WARNING, "应到人数与登记数不一致",
             "{step}应到 {expected} 人，与 villages.yml 登记的{what} {registry} 不一致",
             "核对签到表；如登记数已变化，请同时更新 villages.yml",
             "党员 42 人，审议应到 40 人", "应到 42 人"),
        Rule("W050", WARNING, "决议公开晚于规定期限",
             "决议 {resolution} 通过，{disclosure} 才公开，晚于规定的 {days} 天",
             "决议通过后应在 {days} 天内公开",
             "决议后第 12 天公开", "决议后 7 天内公开",
             advice="决议通过后应在规定天数内公开；已经公开的，按实际张贴日期填写 disclosure"),
        Rule("W051", WARNING, "结果公开晚于规定期限",
             "{completed} 完工，{result} 才公开结果，晚于规定的 {days} 天",
             "实施完成后应在 {days} 天内公开结果",
             "完工后第 30 天公开结果", "完工后 15 天内公开",
             advice="实施完成后应在规定天数内公开结果；已经公开的，按实际张贴日期填写 result"),
        Rule("W052", WARNING, "决议逾期未公开",
             "决议 {resolution} 通过，至今未公开，已超过 {deadline} 的公开期限",
             "尽快张贴公示，并补上 disclosure",
             "决议通过一个月仍未公示", "张贴公示并填写 disclosure"),
        Rule("W053", WARNING, "实施结果逾期未公开",
             "计划 {due} 完成，已超过 {days} 天宽限期（{deadline}），至今未公开实施结果",
             "尽快公开实施结果并补上 result；如工期延长，请在 implementation.updates 中说明",
             "计划 6 月完工，年底仍无结果", "公开结果并填写 result"),
        # v1.1 (records.md §8)
        Rule("W054", WARNING, "公示期间的异议逾期未答复",
             "{step}期间 {date} 提出的异议“{summary}”至今没有答复，{when}已于 {deadline} 结束",
             "答复提出异议的村民后，在这条异议中填写 response（答复内容）和 answered（答复日期）",
             "objections: [{{date: 2024-03-18, summary: 对地块边界有异议}}]，公示期已过",
             "{{date: 2024-03-18, summary: 对地块边界有异议, response: 已重新测量, answered: 2024-03-21}}"),
        Rule("W060", WARNING, "实际支出超过预算",
             "实际支出 {cost} 元超过预算 {budget} 元（超出 {over} 元）",
             "在 result.summary 中说明超支原因",
             "预算 120000，支出 125000，无说明", "在结果说明中写明原因"),
        # v1.1 (records.md §8)
        Rule("W061", WARNING, "资金来源合计与预算不一致",
             "资金来源合计 {total} 元，比预算 {budget} 元{more} {diff} 元",
             "核对 funding 中各项金额和 budget；各来源金额之和应等于预算",
             "budget: 360000.00，funding 为 200000.00 + 150000.00",
             "funding 为 200000.00 + 160000.00"),
        Rule("W070", WARNING, "记录文字中有 HTML 代码",
             "{field} 中有 HTML 代码 {tag}，网站上会按原样显示为文字，不会执行",
             "记录只用 Markdown 书写，不要粘贴网页代码",
             "<b>重要</b>", "**重要**"),
        Rule("W071", WARNING, "文字太长或格式太复杂，网站上不排版",
             "{field} {reason}，网站上按纯文本显示，不排版（不显示链接、加粗和列表）",
             "把很长的内容分成几段、每段之间空一行，去掉多余的“[”“`”“>”和列表符号；很长的表格或清单请作为附件上传",
             "正文是从表格里粘贴来的三万字，或一行里有上千个“[”", "正文分成几段，大表格作为附件"),
    ]
}


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int | None
    code: str
    message: str
    hint: str = ""
    severity: str = field(default="")

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", RULES[self.code].severity)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


class _Blank(dict):
    """Leaves unknown template fields empty rather than failing: a missing field in a
    message must never turn a diagnostic into a crash."""

    def __missing__(self, key: str) -> str:
        return ""


def diag(file: str, line: int | None, code: str, /, hint: str | None = None, **fields: object) -> Diagnostic:
    """Build a diagnostic from the table; ``hint`` replaces the table's hint when given."""
    rule = RULES[code]
    values = _Blank(fields)
    message = rule.message.format_map(values)
    hint_text = hint if hint is not None else rule.hint.format_map(values)
    return Diagnostic(file, line, code, message, hint_text)
