"""``python -m portal``: validate content, generate pages, export JSON Schemas.

Exit codes: 0 fine (warnings may be printed); 1 the content has errors; 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from portal.content import content_warnings, load_content
from portal.errors import ContentError
from portal.generate import generate
from portal.offline import precache_list, write_service_worker
from portal.schema import schema_texts


def _cmd_validate(args: argparse.Namespace) -> int:
    today = date.fromisoformat(args.today) if args.today else datetime.now(UTC).date()
    content = load_content(args.root, today=today)
    for warning in content_warnings(content, today=today):
        print(warning)
    catalog = content.catalog
    training = content.training
    counts = (
        f"{len(catalog.systems)} systems, {len(catalog.teams)} teams, {len(catalog.roles)} roles,"
        f" {len(content.roadmap)} roadmap items, {len(training.courses)} courses,"
        f" {len(training.modules)} training modules"
    )
    print(f"content is valid: {counts}")
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
    done = generate(
        args.root, history=args.history, docs=args.docs, now=now.astimezone(UTC), cache=args.cache
    )
    print(
        f"generated {done.files} files into {args.docs}"
        f" ({done.written} changed, {done.removed} removed)"
    )
    return 0


def _cmd_offline(args: argparse.Namespace) -> int:
    path = write_service_worker(args.site)
    print(f"wrote {path} ({len(precache_list(args.site))} files precached)")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    folder: Path = args.root / "schemas"
    stale = []
    for name, text in schema_texts().items():
        path = folder / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        folder.mkdir(exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"schemas out of date: {', '.join(stale)}; run nox -s schema", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(), help="repository root (default: .)")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check all content; print every problem")
    validate.add_argument(
        "--today", help="the date to check against, YYYY-MM-DD (default: today in UTC)"
    )
    validate.set_defaults(func=_cmd_validate)
    gen = sub.add_parser("generate", help="write the generated pages into the docs folder")
    gen.add_argument("--history", type=Path, default=Path("data/history"))
    gen.add_argument("--docs", type=Path, default=Path("site_src"))
    gen.add_argument(
        "--cache", type=Path, default=Path("build/rollups"), help="daily rollups cache folder"
    )
    gen.add_argument("--now", help="the build's 'now' as ISO 8601 (default: the current time)")
    gen.set_defaults(func=_cmd_generate)
    offline = sub.add_parser("offline", help="write the service worker into a built site")
    offline.add_argument("--site", type=Path, default=Path("site"))
    offline.set_defaults(func=_cmd_offline)
    schema = sub.add_parser("schema", help="write JSON Schemas for the content into schemas/")
    schema.add_argument("--check", action="store_true", help="fail if a committed schema is stale")
    schema.set_defaults(func=_cmd_schema)
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
