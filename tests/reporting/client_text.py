"""What a client must not read in a report's body: the checks of the client-ready page.

The body is what a report shows between its front (title, client, headline, contents)
and its appendix (how the report was made: parameters, data files, the run command),
which keeps developer words on purpose. Each rule names a kind of developer text the
reports once carried (issue 23): the project's source documents ("seed 003"), field names
(``per_productive_hour``), code operators (``==``, ``**``), command lines, vendor ids
without their names, a "-0", "1 KPIs" and "KPI(s)", "a int", printed lines in monospace.

Run on reports from the command line to list what a page still carries::

    python -m tests.reporting.client_text [--client data/sample] reports/*.html

(``--client``: the folder whose vendors.csv gives the vendor ids looked for).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from bs4 import BeautifulSoup

__all__ = ["RULES", "body_text", "problems"]

#: rule name -> pattern a client's page must not match
RULES: dict[str, re.Pattern] = {
    "source documents": re.compile(r"\bseeds?\s*0\d\d\b|\bseed\b", re.I),
    "field name": re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/-])"),
    "code operator": re.compile(r"==|!=|\*\*|(?<![<>])[<>]=|\blambda\b"),
    "command line": re.compile(r"bpo-analysis\s+(report|batch|present)|crontab|\s-p\s+\w+|"
                               r"\bpapermill\b"),
    "negative zero": re.compile(r"(?<![\w.,])[-−]0(?:[.,]0+)?(?![\w.,])"),
    "plural after one": re.compile(r"(?<![\d.,])1 (?:KPIs|months|days|topics|vendors|"
                                   r"quotes|risks|criteria|agents|seats|years|weeks)\b"),
    "(s) plural": re.compile(r"\w\(s\)"),
    "a int": re.compile(r"\ba int\b|\ba float\b|\ba str\b"),
    "missing number": re.compile(r"\b(?:nan|NaN|None|inf)\b"),
}


def body_text(html: str | Path) -> tuple[str, list[str]]:
    """Return a report's body text, and the printed (monospace) lines in its body.

    The front matter (``header#report-cover``, ``nav#report-contents``), the appendix
    (``#report-appendix``), scripts and styles are left out.
    """
    if isinstance(html, Path):
        html = html.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    main = soup.select_one("main") or soup
    for tag in main.select("script, style, header#report-cover, nav#report-contents, "
                           "#report-appendix"):
        tag.decompose()
    printed = [t.get_text(" ", strip=True) for t in
               main.select('[data-mime-type="application/vnd.jupyter.stdout"], pre')]
    return main.get_text(" ", strip=True), [p for p in printed if p]


def problems(html: str | Path, vendor_ids: Iterable[str] = ()) -> list[str]:
    """List the developer text a client would read in a report's body.

    Parameters
    ----------
    html : str or Path
        The report page.
    vendor_ids : iterable of str
        The client's vendor ids: an id is shown small after the vendor's name, "Jade
        Mountain Teleservices (V01)", never alone.

    Returns
    -------
    list of str
        One line per finding: the rule, and the text around it.
    """
    text, printed = body_text(html)
    found = [f"printed line: {p[:120]!r}" for p in printed]
    for rule, pattern in RULES.items():
        for m in pattern.finditer(text):
            found.append(f"{rule}: {text[max(0, m.start() - 60):m.end() + 60]!r}")
    for vid in vendor_ids:
        for m in re.finditer(rf"(?<![\w(+]){re.escape(vid)}(?!\w)", text):
            around = text[max(0, m.start() - 60):m.end() + 60]
            found.append(f"vendor id without its name: {around!r}")
    return found


if __name__ == "__main__":
    args, ids = sys.argv[1:], []
    if args[:1] == ["--client"]:
        import pandas as pd

        ids = list(pd.read_csv(Path(args[1]) / "vendors.csv")["vendor_id"])
        args = args[2:]
    for arg in args:
        for line in problems(Path(arg), ids):
            print(f"{arg}: {line}")
