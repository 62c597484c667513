"""The guide page (填报指南): adding a record in the GitHub web editor, and every diagnostic code.

The code list is generated from the rule table, never written by hand per code, so a new rule
shows up here by itself. Text from the table is escaped for Markdown and HTML: the page is
rendered by MkDocs with whatever extensions the site enables, so examples go in indented code
blocks (core Markdown, shown literally) and prose has every character that some extension might
take as markup written as an HTML entity.
"""

from __future__ import annotations

import datetime as dt
import re

from ..model.rules import ERROR, RULES, Rule
from ..model.schema import RECORD
from ..model.skeleton import skeleton_text

SEVERITY = {
    ERROR: "错误：必须改正。有错误的记录不能合并，网站也不会更新。",
    "warning": "警告：不妨碍发布，但说明程序或期限有问题，请核对后处理。",
}
SEVERITY_SHORT = {ERROR: "错误", "warning": "警告"}

# Characters that core Markdown or a common extension (emphasis, links, tables, attribute lists,
# strike-through, mark, caret, emoji, maths) may read as markup anywhere in a line.
_SPECIAL = set("\\`*_{}[]<>&|~^=:!#$")


def text(value: str) -> str:
    """Plain text made inert in Markdown: special characters become numeric HTML entities,
    and line breaks become spaces (a paragraph stays a paragraph)."""
    value = " ".join(value.split())
    return "".join(f"&#{ord(c)};" if c in _SPECIAL else c for c in value)


def code_block(value: str) -> str:
    """An indented code block: core Markdown, shown literally (HTML in it is escaped)."""
    lines = value.rstrip("\n").split("\n")
    return "\n".join(("    " + line).rstrip() for line in lines)


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class _Dots(dict):
    def __missing__(self, key: str) -> str:
        return "……"


def _fill(template: str, values: dict) -> str:
    """A rule's template with its ``{field}`` slots filled; ``{{`` becomes ``{``."""
    try:
        return template.format_map(values)
    except (ValueError, IndexError, AttributeError):
        return template.replace("{{", "{").replace("}}", "}")


def example(value: str) -> str:
    """A wrong or right example from the table: templates filled, ``\\n`` as a line break."""
    return _fill(value, _Keep()).replace("\\n", "\n")


def general_hint(rule: Rule) -> str:
    """The rule's hint when it says something without the values of a particular record."""
    if not rule.hint:
        return ""
    slots = re.findall(r"(?<!\{)\{[^{}]*\}(?!\})", rule.hint)
    rest = re.sub(r"(?<!\{)\{[^{}]*\}(?!\})", "", rule.hint)
    if slots and len(re.sub(r"[\s\W]", "", rest)) < 12:
        return ""
    return _fill(rule.hint, _Dots())


STEPS_WEB = [
    "打开本站的源代码仓库（GitHub 上的项目页面），用自己的 GitHub 账号登录。",
    "依次点开 `content` 文件夹和本村的文件夹 `content/村代码/`。村代码是村名的拼音，"
    "登记在 `content/villages.yml` 中，例如 `dongwang`。",
    "点右上方的 **Add file**（添加文件），选择 **Create new file**（新建文件）。",
    "在文件名一栏填写 `年份-序号.md`，例如 `2024-004.md`：序号接着本村文件夹里同一年最大的编号往下排，"
    "写满三位数字。",
    "把下面“记录模板”中的内容整段复制，粘贴到编辑框中。把 `id` 改成与文件名相同（不要 `.md`），"
    "把 `village` 改成本村代码，填好 `title`（标题）、`category`（类别）和第一步党支部会提议的实际情况，"
    "最后一个 `---` 下面写事项说明。",
    "点右上方绿色的 **Commit changes...**（提交更改）。在弹出的窗口里写一句说明，例如"
    "“新增 2024-004 村东道路硬化”，选择 **Create a new branch for this commit and start a pull request**"
    "（为这次提交新建分支并发起合并请求），再点 **Propose changes**（提议更改）。",
    "在接下来的页面上点 **Create pull request**（创建合并请求）。",
    "等待自动检查，一般一两分钟。页面下方的检查结果出现绿色的对勾表示通过，红色的叉表示有错误。",
    "有错误时，点页面上方的 **Files changed**（更改的文件）：出错的那一行下面有提示框（annotation），"
    "写着错误代码、错在哪里和怎样改。点提示框中的代码，或在本页下方“全部检查代码”中查找它。",
    "改正错误：在 **Files changed** 中点文件右上方的 **...**，选择 **Edit file**（编辑文件），改好后点 "
    "**Commit changes...**，提交到同一个分支。检查会自动重新进行。",
    "检查全部通过后，由负责审核的同志核对内容，点 **Merge pull request**（合并），再点 **Confirm merge**"
    "（确认合并）。合并后网站在几分钟内自动更新。",
]

LATER_STEPS = [
    "事项往下办了一步（例如开过了“两委”会），就修改原来那条记录：打开记录文件，点右上方的铅笔图标 "
    "**Edit this file**（编辑此文件），把那一步每行开头的 `# `（井号和一个空格）删掉，把示例内容改成实际情况，"
    "然后和上面第 6 至 11 步一样提交、等待检查、合并。",
    "扫描件和照片作为附件：放进与记录编号同名的文件夹（如 `content/dongwang/2024-004/`），"
    "在 **Add file** → **Upload files**（上传文件）中上传；只能是 pdf、jpg、jpeg、png、webp，每个不超过 10 MB。"
    "再在记录的 `attachments` 中写上文件名和标题。附件中不要出现身份证号、手机号、银行卡号。",
    "决议或结果公开以后，内容原则上不再改动。确实需要更正时，在修改的同时在 `corrections`（修订记录）末尾新增一条，"
    "写明日期和原因；网站会公开显示修订记录。已经公开的记录不能删除。",
]

FIXING = [
    "每条检查结果都写明文件、行号、代码和说明，多数还有一句“提示”告诉你怎样改。",
    "- 以 **E** 开头的是**错误**：必须改正，否则不能合并，网站也不会更新。\n"
    "- 以 **W** 开头的是**警告**：不妨碍发布，但说明程序或期限上有问题（例如逾期未公开），请核对后处理。\n"
    "- 一个错误常常引出后面几个错误（例如缩进错了一行），先改第一个，提交后再看。\n"
    "- 最常见的是格式问题：冒号要用英文半角 `:` 并在后面留一个空格；缩进只用空格，不用 Tab 键；"
    "日期写成 `2024-03-05` 这样的年-月-日；金额只写数字，不写“元”，也不写千位分隔符。\n"
    "- 在自己的电脑上也可以检查：在项目文件夹中运行 `python -m builder validate content`；"
    "用 `python -m builder new --village 村代码 --title 标题` 可以生成一条新记录的模板。",
]


def guide_markdown(rules: dict[str, Rule] = RULES) -> str:
    """The whole guide page as Markdown."""
    example_date = dt.date.fromisoformat(RECORD["proposal"].fields["date"].example)
    skeleton = skeleton_text("2024-004", RECORD["village"].example, "关于……的事项", example_date)
    out = [
        "# 填报指南",
        "",
        "本页写给各村负责村务公开的同志：怎样在 GitHub 网页上新增和修改一条记录，"
        "以及自动检查没有通过时怎样改正。",
        "",
        "## 在 GitHub 网页上新增一条记录",
        "",
    ]
    out += [f"{i}. {step}" for i, step in enumerate(STEPS_WEB, start=1)]
    for paragraph in LATER_STEPS:
        out += ["", paragraph]
    out += ["", "## 记录模板", "",
            "以 `#` 开头的是填写说明，网站上不显示。第一步已经填了示例，改成实际情况；"
            "后面的步骤办完一步，删掉那一步每行开头的 `# ` 再填写。", "",
            code_block(skeleton), "",
            "## 检查没有通过怎么办"]
    for paragraph in FIXING:
        out += ["", paragraph]
    out += ["", "## 全部检查代码", "",
            "| 代码 | 级别 | 什么情况下出现 |", "|---|---|---|"]
    for rule in rules.values():
        out.append(f"| {text(rule.code)} | {SEVERITY_SHORT.get(rule.severity, text(rule.severity))} | {text(rule.title)} |")
    for rule in rules.values():
        out += ["", f"### {text(rule.code)} {text(rule.title)}", "",
                SEVERITY.get(rule.severity, text(rule.severity))]
        hint = rule.advice or general_hint(rule)
        if hint:
            out += ["", "怎样改：" + text(hint)]
        if rule.bad:
            out += ["", "错误的写法：", "", code_block(example(rule.bad))]
        if rule.good:
            out += ["", "改正后：", "", code_block(example(rule.good))]
    return "\n".join(out) + "\n"
