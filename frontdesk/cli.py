"""The ``frontdesk`` program: starts the window, or runs a command (``demo`` …) without Qt.

Why it looks like this: the same program is the gui-script on the front-desk PC and the tool a
scheduled job calls, so the command line must never import Qt, must start fast (everything
heavy is imported inside the command that needs it), and must end in one clear Chinese line
instead of a traceback. Exit codes: 0 done, 1 a ``UserError`` (read-only file, database in use,
records already there …), 2 bad arguments, 70 a bug (details in the log file), 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, NoReturn

from frontdesk import __version__
from frontdesk.errors import UserError
from frontdesk.paths import DB_ENV, resolve_location

PROG = "frontdesk"
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 70
EXIT_INTERRUPTED = 130
MAX_DEMO_DAYS = 3660  # kept equal to frontdesk.services.demo.MAX_DAYS without importing it

# argparse's own messages are English; these turn the usual ones into Chinese.
_ARGPARSE_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"^the following arguments are required: (?P<a>.*)$", "缺少必需的参数：{a}"),
    (r"^unrecognized arguments: (?P<a>.*)$", "无法识别的参数：{a}"),
    (r"^argument (?P<a>.+?): invalid choice: (?P<v>.+?) \(choose from (?P<c>.*)\)$",
     "参数 {a} 的取值 {v} 无效（可选：{c}）"),
    (r"^argument (?P<a>.+?): invalid \w+ value: (?P<v>.*)$", "参数 {a} 的取值 {v} 无效"),
    (r"^argument (?P<a>.+?): expected one argument$", "参数 {a} 需要一个值"),
    (r"^argument (?P<a>.+?): ignored explicit argument (?P<v>.*)$", "参数 {a} 不接受取值 {v}"),
    (r"^ambiguous option: (?P<a>.+?) could match (?P<c>.*)$", "选项 {a} 有歧义，可能是：{c}"),
    (r"^argument (?P<a>.+?): (?P<m>.*)$", "参数 {a}：{m}"),
)


def _translate(message: str) -> str:
    for pattern, template in _ARGPARSE_MESSAGES:
        match = re.match(pattern, message)
        if match:
            return template.format(**match.groupdict())
    return message


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法：")


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that speaks Chinese: help sections, usage and errors."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._optionals.title = "选项"
        self._positionals.title = "参数"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 错误：{_translate(message)}\n")


def _bounded_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"应在 {low} 到 {high} 之间（收到 {value}）")
        return value

    return parse


def _any_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None


DB_HELP = (
    "数据库位置：SQLite 数据库文件的路径，或 PostgreSQL 地址（postgresql://用户@主机/库名）。"
    f"未指定时依次使用环境变量 {DB_ENV}、用户数据文件夹中的 frontdesk.sqlite"
)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line. Cheap: only the preset names are imported (no peewee, no Qt)."""
    from frontdesk.services.presets import DEFAULT_PRESET, PRESETS

    parser = _Parser(
        prog=PROG,
        description="FrontDesk 前台值班台：服务大厅的来访登记、检查巡检、投诉工单与晨会记录。\n"
        "不带命令时打开程序窗口。",
    )
    parser.add_argument("--db", metavar="位置", help=DB_HELP)
    parser.add_argument(
        "--version", action="version", version=f"FrontDesk {__version__}", help="显示版本号并退出"
    )
    commands = parser.add_subparsers(title="命令", dest="command", metavar="命令")

    presets = "；".join(f"{name}＝{preset.label}" for name, preset in PRESETS.items())
    demo = commands.add_parser(
        "demo",
        help="生成示范数据（最近 N 天的来访登记）",
        description="在数据库中生成截至今天的 N 天示范来访记录：工作日与周末不同、"
        "上午 9–11 点和下午 2–4 点为高峰、业务类型与分流去向搭配合理，"
        "含特殊客户、贵宾、资料不全、退保挽留、等候过久和未办理离开的客户。"
        "今天只生成到此刻为止的来访，最后几位仍在等候或办理中。\n"
        "数据库中已有来访记录时不会生成，除非加上 --append。",
    )
    demo.add_argument("--db", metavar="位置", default=argparse.SUPPRESS, help=DB_HELP)
    demo.add_argument(
        "--days", metavar="N", required=True, type=_bounded_int(1, MAX_DEMO_DAYS),
        help=f"生成最近多少天的数据（1–{MAX_DEMO_DAYS}，含今天）",
    )
    demo.add_argument(
        "--seed", metavar="S", type=_any_int,
        help="随机种子：相同的种子生成相同的数据（不指定时随机选取，并在结束时显示）",
    )
    demo.add_argument(
        "--preset", metavar="名称", choices=list(PRESETS),
        help=f"行业预设（{presets}）。未设置网点时默认 {DEFAULT_PRESET}",
    )
    demo.add_argument(
        "--append", action="store_true", help="数据库中已有来访记录时，仍然追加示范数据"
    )
    demo.set_defaults(handler=_run_demo)

    backup = commands.add_parser(
        "backup",
        help="立即备份数据库",
        description="用 SQLite 的在线备份复制数据库（程序开着也可以备份，副本完整一致）。\n"
        "不指定 --to 时写入数据库旁的 backups 文件夹，文件名带日期和时间，不会被自动清理。\n"
        "PostgreSQL 数据库请用 pg_dump 备份（见 README）。",
    )
    backup.add_argument("--db", metavar="位置", default=argparse.SUPPRESS, help=DB_HELP)
    backup.add_argument(
        "--to", metavar="文件", help="备份到这个文件（已存在时替换）；给出文件夹时在其中新建带时间的备份文件"
    )
    backup.set_defaults(handler=_run_backup)

    restore = commands.add_parser(
        "restore",
        help="从备份文件恢复数据库",
        description="先检查备份文件（是 FrontDesk 的数据库、完好、版本不比本程序新），"
        "显示其中的内容，确认后用它替换数据库；被替换的数据库另存为 "
        "frontdesk.replaced-日期-时间.sqlite。数据库正在使用时（FrontDesk 开着）不会恢复。\n"
        "PostgreSQL 数据库请用 pg_restore 恢复（见 README）。",
    )
    restore.add_argument("--db", metavar="位置", default=argparse.SUPPRESS, help=DB_HELP)
    restore.add_argument("file", metavar="文件", help="备份文件")
    restore.add_argument("--yes", action="store_true", help="不询问，直接恢复（用于脚本）")
    restore.set_defaults(handler=_run_restore)

    report = commands.add_parser(
        "report",
        help="导出日报或月报（PDF、Excel）",
        description="按 PRODUCT 的指标定义生成日报或月报，写成 PDF 和/或 Excel（电话号码打码）。"
        "给出文件夹时使用标准文件名（日报-网点-2026-11-20.pdf）。每次导出都记入审计日志。\n"
        "适合计划任务：成功以 0 退出，有问题时一行说明并以 1 退出。",
    )
    report_kinds = report.add_subparsers(title="报表", dest="report_kind", metavar="daily|monthly", required=True)
    daily = report_kinds.add_parser("daily", help="日报（默认昨天）", description="某一天的日报。")
    daily.add_argument("--date", metavar="YYYY-MM-DD", type=_date_arg, help="日期（默认昨天）")
    monthly = report_kinds.add_parser("monthly", help="月报（默认上个月）", description="某个月的月报。")
    monthly.add_argument("--month", metavar="YYYY-MM", type=_month_arg, help="月份（默认上个月）")
    for sub in (daily, monthly):
        sub.add_argument("--db", metavar="位置", default=argparse.SUPPRESS, help=DB_HELP)
        sub.add_argument("--pdf", metavar="文件", help="写成 PDF：文件，或文件夹（使用标准文件名）")
        sub.add_argument("--xlsx", metavar="文件", help="写成 Excel：文件，或文件夹（使用标准文件名）")
        sub.set_defaults(handler=_run_report)

    importing = commands.add_parser(
        "import",
        help="导入旧的来访登记（.xlsx 或 .csv）",
        description="把以前用 Excel 记的来访登记导入数据库：先逐行检查，全部无误才一次写入，"
        "有问题时列出每一行的行号和原因，一条也不写。同一个文件不会导入两次。"
        "列名见 frontdesk import template visitors 生成的模板。",
    )
    import_kinds = importing.add_subparsers(title="内容", dest="import_kind", metavar="visitors|template",
                                            required=True)
    visits_import = import_kinds.add_parser("visitors", help="导入来访登记", description="导入来访登记。")
    visits_import.add_argument("--db", metavar="位置", default=argparse.SUPPRESS, help=DB_HELP)
    visits_import.add_argument("file", metavar="文件", help=".xlsx 或 .csv（UTF-8 或 GBK 编码）")
    visits_import.add_argument("--add-missing-labels", action="store_true",
                               help="业务类型、分流去向不在列表中时自动添加（默认视为错误）")
    visits_import.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    visits_import.set_defaults(handler=_run_import)
    template = import_kinds.add_parser("template", help="生成导入模板（.xlsx）", description="生成导入模板。")
    template.add_argument("what", choices=["visitors"], metavar="visitors", help="模板的内容：visitors")
    template.add_argument("file", metavar="文件", help="模板文件（.xlsx），或文件夹")
    template.set_defaults(handler=_run_import_template)

    privacy = commands.add_parser(
        "privacy",
        help="个人信息：到期清除、按当事人请求导出或删除",
        description="《个人信息保护法》第十九、四十五、四十七条：来访人的姓名、电话和备注只保留设置中的月数；"
        "当事人可以查阅、复制、删除其个人信息。所有操作都记入审计日志（不记电话号码）。",
    )
    privacy.add_argument("--db", metavar="位置", default=argparse.SUPPRESS, help=DB_HELP)
    privacy_actions = privacy.add_subparsers(title="操作", dest="privacy_command", metavar="操作", required=True)
    purge = privacy_actions.add_parser(
        "purge", help="清除超过保留期的来访人姓名、电话和备注",
        description="清除超过保留期（设置“来访人姓名和电话保留 N 个月”）的来访的姓名、电话和备注："
        "今天往前推 N 个自然月的那一天（该月没有这一天时取月末）及以前到达的来访；"
        "业务类型、时间、结果等统计数字保留；已办结超过保留期的投诉和意见簿记录清除姓名、电话和证件号。"
        "程序每天启动时也会自动执行一次。")
    purge.add_argument("--dry-run", action="store_true", help="只显示将清除多少条，不清除")
    purge.set_defaults(handler=_run_privacy_purge)
    export = privacy_actions.add_parser(
        "export", help="导出某个电话号码的全部来访、投诉和意见记录（交给当事人）",
        description="把这个电话号码的全部记录写入文件：.pdf 或 .xlsx 含来访、投诉和意见；其他后缀写来访的 CSV。")
    export.add_argument("--phone", required=True, metavar="电话", help="当事人的电话号码")
    export.add_argument("--out", required=True, metavar="文件", help="写入的文件（.pdf、.xlsx 或 .csv）")
    export.set_defaults(handler=_run_privacy_export)
    erase = privacy_actions.add_parser(
        "erase", help="按当事人请求删除某个电话号码的姓名、电话和备注",
        description="清除这个电话号码全部来访记录中的姓名、电话和备注，以及投诉和意见记录中的姓名、电话和证件号；"
        "统计数字保留。")
    erase.add_argument("--phone", required=True, metavar="电话", help="当事人的电话号码")
    erase.add_argument("--reason", required=True, metavar="原因", help="删除的原因（如：当事人书面申请）")
    erase.set_defaults(handler=_run_privacy_erase)

    check = commands.add_parser(
        "check",
        help="检查数据库是否完好",
        description="只读地检查数据库：SQLite 文件的完整性和外键、数据库版本。"
        "完好时显示一行 OK 并以 0 退出；有问题时每个问题一行，以 1 退出。不会修改数据库。",
    )
    check.add_argument("--db", metavar="位置", default=argparse.SUPPRESS, help=DB_HELP)
    check.add_argument(
        "--trust", action="store_true",
        help="有意更换了数据库（或从别处拷来）时：把它现在的审计链记为本机以后比对的依据，然后检查",
    )
    check.set_defaults(handler=_run_check)
    _add_user_commands(commands)
    return parser


ROLE_HELP = "角色：front_desk（前台）、duty_manager（值班经理）、admin（管理员）"


def _add_user_commands(commands: argparse._SubParsersAction) -> None:
    user = commands.add_parser(
        "user",
        help="管理用户（无界面时设置账户、找回管理员密码）",
        description="在命令行中管理 FrontDesk 的用户，用于无界面的部署和找回密码。"
        "能在这台电脑上运行命令的人本来就能读写数据库文件，所以这些命令不再要求登录；"
        "每个操作都记入审计日志（以“命令行”的名义）。",
    )
    user.add_argument("--db", metavar="位置", default=argparse.SUPPRESS, help=DB_HELP)
    actions = user.add_subparsers(title="操作", dest="user_command", metavar="操作", required=True)
    password_help = "从标准输入读取密码（一行），用于脚本；不加时在终端上输入两次"

    add = actions.add_parser("add", help="新建用户", description="新建一个用户。" + ROLE_HELP)
    add.add_argument("name", metavar="用户名")
    add.add_argument("--role", metavar="角色", required=True, help=ROLE_HELP)
    add.add_argument("--display-name", metavar="姓名", default="", help="显示的姓名（默认同用户名）")
    add.add_argument("--password-stdin", action="store_true", help=password_help)
    add.set_defaults(handler=_run_user_add)

    listing = actions.add_parser("list", help="列出所有用户", description="列出所有用户：角色、状态、上次登录。")
    listing.set_defaults(handler=_run_user_list)

    reset = actions.add_parser(
        "reset-password", help="重置用户的密码（同时解除锁定）",
        description="为用户设置新密码，并解除因输错密码造成的锁定。",
    )
    reset.add_argument("name", metavar="用户名")
    reset.add_argument("--password-stdin", action="store_true", help=password_help)
    reset.set_defaults(handler=_run_user_reset)

    deactivate = actions.add_parser(
        "deactivate", help="停用用户（不删除：其记录保留其姓名）",
        description="停用用户：不能再登录；用户不会被删除，其登记的记录和审计日志保留其姓名。",
    )
    deactivate.add_argument("name", metavar="用户名")
    deactivate.set_defaults(handler=_run_user_deactivate)

    activate = actions.add_parser("activate", help="重新启用已停用的用户", description="重新启用已停用的用户。")
    activate.add_argument("name", metavar="用户名")
    activate.set_defaults(handler=_run_user_activate)
    for sub in (add, listing, reset, deactivate, activate):
        sub.add_argument("--db", metavar="位置", default=argparse.SUPPRESS, help=DB_HELP)


# ------------------------------------------------------------------ commands


def _progress_printer(stream: IO[str] | None) -> Callable[[int, int], None] | None:
    """A one-line percentage on an interactive terminal; silence in scripts and logs."""
    if stream is None or not getattr(stream, "isatty", lambda: False)():
        return None

    def show(done: int, total: int) -> None:
        stream.write(f"\r正在生成示范数据… {done * 100 // total:3d}%")
        if done == total:
            stream.write("\r" + " " * 30 + "\r")
        stream.flush()

    return show


def _run_demo(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import Location, close_database, open_database
    from frontdesk.services import demo
    from frontdesk.services.presets import PRESETS

    open_database(location)
    try:
        summary = demo.generate(
            args.days,
            seed=args.seed,
            preset=args.preset,
            append=args.append,
            progress=_progress_printer(sys.stderr),
        )
    finally:
        close_database()
    preset = PRESETS.get(summary.preset)
    print(
        f"已生成示范数据：{summary.first_day:%Y-%m-%d} 至 {summary.last_day:%Y-%m-%d}，"
        f"共 {summary.days} 天（营业 {summary.open_days} 天），来访 {summary.visits} 人次；"
        f"检查 {summary.inspection_runs} 次，整改项 {summary.corrective_actions} 项，设备故障 {summary.faults} 起；"
        f"投诉工单 {summary.tickets} 张；"
        f"会议记录 {summary.meetings} 次，典型案例 {summary.cases} 个。"
    )
    print(
        f"网点：{summary.branch_name}（{preset.label if preset else summary.preset}）；"
        f"随机种子：{summary.seed}；数据库：{Location(location).display()}"
    )
    if summary.today == "not_yet_open":
        print(f"今天尚未营业（{summary.opening_time:%H:%M} 开门），未生成今天的来访。")
    elif summary.today == "closed":
        print("今天不营业，未生成今天的来访。")
    else:
        print(f"此刻等候 {summary.waiting_now} 人，办理中 {summary.serving_now} 人。")
    from frontdesk.services.session import role_label

    created = [u for u in summary.users if u[3] is not None]
    if created:
        print("示范用户（密码只显示这一次，请记下）：")
        for username, name, role, password in created:
            print(f"  {role_label(role)}  用户名 {username}  密码 {password}  （{name}）")
    kept = [u for u in summary.users if u[3] is None]
    if kept:
        print("已有的示范用户，密码未改动：" + "、".join(u[0] for u in kept))
    return 0


def _run_backup(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import Location
    from frontdesk.services import backup

    written = backup.backup_location(Location(location), Path(args.to) if args.to else None)
    print(f"已备份到：{written}")
    _note_backup(location, written)
    return 0


def _note_backup(location: str, written: Path) -> None:
    """The backup in the audit trail, when the database is of this program's version (a backup
    never migrates); if the note cannot be written, the backup still stands, and says so."""
    from frontdesk.db.database import close_database, open_database
    from frontdesk.db.migrations import LATEST_VERSION, read_version
    from frontdesk.services import backup

    try:
        db = open_database(location, migrate=False)
        try:
            if read_version(db) == LATEST_VERSION:
                backup.record_backup(written)
        finally:
            close_database()
    except UserError as exc:
        print(f"{PROG}: 注意：备份已完成，但未能记入审计日志：{_one_line(exc.message)}", file=sys.stderr)


CONFIRM_PROMPT = "输入 yes 确认恢复："


def _confirmed() -> bool:
    """Ask on stdout, read one line from stdin; only ``yes`` confirms (no input at all aborts)."""
    sys.stdout.write(CONFIRM_PROMPT)
    sys.stdout.flush()
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line.endswith("\n"):
        sys.stdout.write("\n")  # end the prompt's line when the input ended without one
    return line.strip() == "yes"


def _run_restore(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import Location, close_database, open_database
    from frontdesk.services import backup

    loc = Location(location)
    if loc.is_postgres:
        raise backup.PostgresBackupError(backup.postgres_message())
    info = backup.inspect_backup(Path(args.file))
    current = backup.describe_database(loc.sqlite_path)
    print(f"备份文件：{info.path}（{info.size / 1_048_576:.1f} MB）")
    print(f"备份内容：{info.summary.describe()}")
    now_holds = f"现有{current.describe()}" if current else "现在不存在或无法读取"
    print(f"将被替换的数据库：{loc.display()}（{now_holds}）")
    if not args.yes and not _confirmed():
        raise UserError("没有确认（需要输入 yes），已取消恢复，数据库没有改动。")
    kept = backup.restore_location(loc, Path(args.file))
    print(f"已恢复：{loc.display()}")
    if kept is not None:
        print(f"原数据库已另存为：{kept}")
    # Opened once now, so that an older backup is migrated here, with a message if that fails,
    # and the restore goes into the restored database's trail.
    open_database(location)
    try:
        backup.record_restore(Path(args.file), kept)
    except UserError as exc:
        print(f"{PROG}: 注意：已恢复，但未能记入审计日志：{_one_line(exc.message)}", file=sys.stderr)
    finally:
        close_database()
    return 0


def _date_arg(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD，例如 2026-11-20：{text}") from None


def _month_arg(text: str) -> tuple[int, int]:
    from frontdesk.services.reporting import month_of

    try:
        return month_of(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份应写成 YYYY-MM，例如 2026-11：{text}") from None


def _run_report(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import close_database, open_database
    from frontdesk.reports import write_pdf, write_xlsx
    from frontdesk.services import reporting

    if not args.pdf and not args.xlsx:
        raise UserError("请用 --pdf 或 --xlsx（或两者）指定要写的文件或文件夹。")
    open_database(location)
    try:
        if args.report_kind == "monthly":
            year, month = args.month or reporting.default_month()
            report = reporting.monthly_report(year, month)
            from datetime import date

            first = date(year, month, 1)
        else:
            first = args.date or reporting.default_day()
            report = reporting.daily_report(first)
        written = []
        for target, suffix, write in ((args.pdf, ".pdf", write_pdf), (args.xlsx, ".xlsx", write_xlsx)):
            if target:
                path = reporting.target_path(Path(target), report, first, suffix)
                write(report, path)
                written.append(path)
                print(f"已导出：{path}")
        reporting.record_export(report, written)
    finally:
        close_database()
    return 0


def _run_import(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import close_database, open_database
    from frontdesk.services import imports

    open_database(location)
    try:
        result = imports.import_visits(Path(args.file), add_missing_labels=args.add_missing_labels,
                                       dry_run=args.dry_run)
    finally:
        close_database()
    span = (f"（{result.first_day:%Y-%m-%d} 至 {result.last_day:%Y-%m-%d}）"
            if result.first_day and result.last_day else "")
    if not result.ok:
        for line in imports.summary_lines(result):
            print(f"{PROG}: {line}", file=sys.stderr)
        more = "" if len(result.problems) < imports.MAX_ERRORS_SHOWN else "（只列出前 200 行）"
        _fail(f"{len(result.problems)} 行有问题{more}，没有导入任何记录。请改正后重新导入。")
        return EXIT_USER_ERROR
    added = f"；新增列表项：{'、'.join(result.added_labels)}" if result.added_labels else ""
    if result.dry_run:
        print(f"检查完毕：{result.rows} 条记录{span}全部无误，可以导入（--dry-run：没有写入）{added}。")
    else:
        print(f"已导入 {result.rows} 条来访记录{span}{added}。")
    return 0


def _run_import_template(args: argparse.Namespace, location: str) -> int:
    from frontdesk.services import imports

    written = imports.write_template(Path(args.file))
    print(f"已生成导入模板：{written}")
    return 0


def _trust_chain(location: str) -> None:
    """Note the database's audit chain as this computer's witness, if the chain itself holds."""
    from frontdesk.db.database import close_database, open_database
    from frontdesk.services import audit, witness

    db = open_database(location, migrate=False)
    try:
        report = audit.verify(db)
        if not report.ok:
            raise UserError(f"审计链本身不完整，不能记为依据：{report.problem}")
        witness.trust(db)
    finally:
        close_database()


def _run_check(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import Location
    from frontdesk.services import health

    if args.trust:
        _trust_chain(location)
    report = health.check_database(Location(location))
    if report.ok:
        print(report.ok_line())
        return 0
    for problem in report.problems:
        _fail(problem)
    return EXIT_USER_ERROR


# ------------------------------------------------------------------ users


def _read_password(args: argparse.Namespace) -> str:
    """The new password: one line of standard input (``--password-stdin``), or typed twice."""
    if args.password_stdin:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        return line[:-1] if line.endswith("\n") else line
    if sys.stdin is None or not sys.stdin.isatty():
        raise UserError("标准输入不是终端，无法输入密码：请加 --password-stdin，从标准输入读取密码。")
    import getpass

    first = getpass.getpass("密码：")
    if not first:
        raise UserError("密码不能为空。")
    if getpass.getpass("再输入一次：") != first:
        raise UserError("两次输入的密码不一致，未作改动。")
    return first


def _run_privacy_purge(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import close_database, open_database
    from frontdesk.services import privacy, settings

    open_database(location)
    try:
        from datetime import timedelta

        from frontdesk.services import clock

        months = settings.load().retention_months
        before = privacy.cutoff(clock.today(), months)
        if before is None:
            print("保留期设为永久保留，没有要清除的记录。")
            return 0
        visits, tickets = privacy.purge_due_count(), privacy.tickets_due_count()
        what = f"{visits} 条来访的姓名、电话和备注，{tickets} 条已办结的投诉/意见的姓名、电话和证件号"
        period = f"保留期 {months} 个月（{(before - timedelta(days=1)).date().isoformat()} 及以前）"
        if args.dry_run:
            print(f"{period}：将清除 {what}。")
            return 0
        privacy.purge()
        print(f"{period}：已清除 {what}。")
    finally:
        close_database()
    return 0


def _run_privacy_export(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import close_database, open_database
    from frontdesk.services import privacy

    open_database(location)
    try:
        count = privacy.export_person(args.phone, Path(args.out))
    finally:
        close_database()
    print(f"已导出 {count} 条记录：{args.out}")
    return 0


def _run_privacy_erase(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import close_database, open_database
    from frontdesk.services import privacy

    open_database(location)
    try:
        count = privacy.erase_person(args.phone, args.reason)
    finally:
        close_database()
    print(f"已清除 {count} 条记录（来访、投诉和意见）中的姓名、电话等个人信息。")
    return 0


def _open_for_users(location: str) -> None:
    from frontdesk.db.database import open_database

    open_database(location)


def _run_user_add(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import close_database
    from frontdesk.services import users

    users.check_role(args.role)
    users.clean_username(args.name)
    password = _read_password(args)
    _open_for_users(location)
    try:
        row = users.add_user(args.name, args.display_name, args.role, password)
    finally:
        close_database()
    print(f"已新建用户 {row.username}（{row.display_name}，{row.role_label}）。")
    return 0


def _run_user_list(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import close_database
    from frontdesk.services import clock, users

    _open_for_users(location)
    try:
        rows = users.list_users()
    finally:
        close_database()
    if not rows:
        print("还没有用户：首次打开程序时会要求创建管理员，也可以用 frontdesk user add 新建。")
        return 0
    now = clock.now()
    for row in rows:
        if not row.active:
            state = "已停用"
        elif row.locked(now):
            state = f"锁定至 {row.locked_until:%H:%M}"
        else:
            state = "启用"
        last = f"{row.last_sign_in_at:%Y-%m-%d %H:%M}" if row.last_sign_in_at else "从未登录"
        print(f"{row.username}\t{row.display_name}\t{row.role_label}\t{state}\t上次登录 {last}")
    return 0


def _run_user_reset(args: argparse.Namespace, location: str) -> int:
    from frontdesk.db.database import close_database
    from frontdesk.services import users

    _open_for_users(location)
    try:
        user_id = users.user_id_of(args.name)
        row = users.reset_password(user_id, _read_password(args))
    finally:
        close_database()
    print(f"已重置 {row.username} 的密码，账户已解除锁定。")
    return 0


def _set_active(args: argparse.Namespace, location: str, active: bool) -> int:
    from frontdesk.db.database import close_database
    from frontdesk.services import users

    _open_for_users(location)
    try:
        row = users.set_active(users.user_id_of(args.name), active)
    finally:
        close_database()
    print(f"已{'启用' if active else '停用'}用户 {row.username}（{row.display_name}）。")
    return 0


def _run_user_deactivate(args: argparse.Namespace, location: str) -> int:
    return _set_active(args, location, False)


def _run_user_activate(args: argparse.Namespace, location: str) -> int:
    return _set_active(args, location, True)


def _no_display() -> bool:
    """On Linux without X11 or Wayland, Qt would abort the process before any message of ours."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run_gui(location: str) -> int:
    if _no_display():
        raise UserError(
            "没有可用的图形界面（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开窗口。"
            "请在桌面环境中启动 FrontDesk；命令行功能（如 frontdesk demo）不需要图形界面。"
        )
    # Imported here: the command line never loads Qt.
    from frontdesk.app import run_gui

    return int(run_gui(location) or 0)


# ------------------------------------------------------------------ errors


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def log_exception(exc: BaseException) -> Path | None:
    """Write ``exc`` with its traceback to the rotating log file; ``None`` if that fails."""
    import logging

    from frontdesk.logs import log_path, open_log_handler

    handler = open_log_handler()
    if handler is None:
        return None
    logger = logging.getLogger("frontdesk.cli")
    logger.addHandler(handler)
    try:
        logger.error(
            "unexpected error in %s %s (argv %r)", PROG, __version__, sys.argv,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
    finally:
        logger.removeHandler(handler)
        handler.close()
    return log_path()


def _fail(message: str) -> None:
    from frontdesk.logs import redact  # a password in a --db URL is never printed either

    print(f"{PROG}: 错误：{redact(_one_line(message))}", file=sys.stderr)


def _utf8_safe_streams() -> None:
    """A console that cannot show Chinese gets replacement marks, not an encoding crash."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and encoding not in ("utf8", "gb18030", "gbk", "cp936"):
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``frontdesk`` with ``argv`` (default: the process's arguments) and return its exit code."""
    _utf8_safe_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exit_:  # --help, --version, or a usage error
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_USAGE)
    location = resolve_location(args.db)
    try:
        from frontdesk.db.database import Location

        Location(location).validate()
        handler = getattr(args, "handler", None)
        if handler is None:
            return _run_gui(location)
        from frontdesk.services import session

        with session.act_as(session.command_line_actor()):
            return handler(args, location)
    except UserError as exc:
        _fail(exc.message)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        _fail("已中断。已完成的部分已保存，数据库完好。")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (``frontdesk user list | head -1``): not a bug.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - Python's exit flush
        _fail("输出已被关闭（管道另一端的程序已退出），命令可能没有全部输出。")
        return EXIT_USER_ERROR
    except Exception as exc:  # a bug: logged in full, one line for the user
        path = log_exception(exc)
        where = f"详细信息已写入日志：{path}" if path else "日志文件无法写入"
        _fail(f"程序内部错误（{type(exc).__name__}: {_one_line(str(exc))[:200]}）。{where}")
        return EXIT_BUG
