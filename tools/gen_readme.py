"""Build an addon's README.rst from its readme/ fragments, and its
static/description/index.html from README.rst: the OCA layout, without the OCA
maintainer tools (not on any package registry).

Usage: python tools/gen_readme.py [ADDON_DIR] [--check]
--check: change nothing, exit 1 when a file is out of date.

The fragments are Markdown limited to what reads the same in reStructuredText
(paragraphs, `-` and `1.` lists, *emphasis*, **strong**) plus `code` spans,
[links](url) and `#`/`##` headings, which are converted.
"""

import ast
import re
import sys
from pathlib import Path

from docutils.core import publish_string

SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
]
HTML_SETTINGS = {
    "embed_stylesheet": False,
    "stylesheet_path": None,
    "doctitle_xform": True,
    "output_encoding": "unicode",
    "xml_declaration": False,
    "report_level": 2,
    "halt_level": 2,
}


def _heading(text, char, over=False):
    line = char * len(text)
    return f"{line}\n{text}\n{line}" if over else f"{text}\n{line}"


def md_to_rst(text):
    out = []
    for line in text.strip().splitlines():
        heading = re.match(r"^(#{1,3}) (.*)$", line)
        if heading:
            char = {1: "-", 2: "-", 3: "~"}[len(heading.group(1))]
            out.extend(["", _heading(heading.group(2), char), ""])
            continue
        line = re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", line)
        line = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", line)
        out.append(line)
    return "\n".join(out).strip() + "\n"


def build_rst(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    license_ = manifest["license"]
    shield = license_.replace("-", "--")
    badge = f"https://img.shields.io/badge/licence-{shield}-blue.png"
    parts = [
        _heading(manifest["name"], "=", over=True),
        "",
        "|badge1|",
        "",
        f".. |badge1| image:: {badge}",
        "    :target: http://www.gnu.org/licenses/agpl-3.0-standalone.html",
        f"    :alt: License: {license_}",
        "",
    ]
    readme = addon / "readme"
    for name, title in SECTIONS:
        path = readme / name
        if not path.exists():
            continue
        if title:
            parts.extend([_heading(title, "="), ""])
        parts.extend([md_to_rst(path.read_text(encoding="utf-8")), ""])
        if name == "DESCRIPTION.md":
            parts.extend(
                ["**Table of contents**", "", ".. contents::", "   :local:", ""]
            )
    parts.extend(
        [
            _heading("Credits", "="),
            "",
            _heading("Authors", "-"),
            "",
            f"* {manifest['author']}",
            "",
        ]
    )
    contributors = readme / "CONTRIBUTORS.md"
    if contributors.exists():
        parts.extend(
            [_heading("Contributors", "-"), "", md_to_rst(contributors.read_text()), ""]
        )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parts)).rstrip() + "\n"


def build_html(rst):
    return publish_string(
        rst, writer_name="html4css1", settings_overrides=HTML_SETTINGS
    )


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    addon = Path(args[0] if args else "iso10002_complaints")
    rst = build_rst(addon)
    targets = {
        addon / "README.rst": rst,
        addon / "static" / "description" / "index.html": build_html(rst),
    }
    stale = []
    for path, content in targets.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != content:
            stale.append(path)
            if not check:
                path.write_text(content, encoding="utf-8")
    for path in stale:
        print(("out of date: " if check else "updated ") + str(path))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
