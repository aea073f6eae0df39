"""Report language: the catalog is complete and consistent with the code and the
notebooks, the language is checked, and a report in Traditional Chinese shows the same
numbers as in English with Chinese words around them."""

from __future__ import annotations

import ast
import contextvars
import io
import re
import warnings
from collections import Counter
from pathlib import Path

import nbformat
import numpy as np
import pytest
from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import read_po

from bpo_analysis import InputError, i18n
from bpo_analysis.core import demand
from bpo_analysis.core.heatmaps import demand_heatmap
from bpo_analysis.core.present import HEADLINES_MIME
from bpo_analysis.steps import contract
from bpo_analysis.steps import roi as roi_step
from bpo_analysis.steps.contract import charts as contract_charts
from bpo_analysis.steps.contract import views as contract_views
from bpo_analysis.steps.maturity import charts as maturity_charts
from bpo_analysis.steps.profile import calc as profile_calc
from bpo_analysis.steps.profile import charts as profile_charts
from bpo_analysis.steps.profile import views as profile
from bpo_analysis.steps.roi import charts as roi_charts
from bpo_analysis.steps.roi import views as roi_views
from bpo_analysis.steps.sourcing import calc as sourcing
from bpo_analysis.steps.sourcing import charts as sourcing_charts
from bpo_analysis.steps.sourcing import views as sourcing_views
from bpo_analysis.steps.vendors import step as vendors_step
from bpo_analysis.steps.vendors import views as scoring_views
from tests.conftest import PLOTLY, ROOT, outputs_with, plotly_values

PACKAGE = ROOT / "bpo_analysis"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
CJK = re.compile(r"[\u3400-\u9fff]")
PLACEHOLDER = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
HEADING = re.compile(r"^(#+) ", re.M)
#: Translations that may read the same as the English: acronyms and pure templates.
SAME_IN_CHINESE = {"KPI", "TOPSIS", "{kind} x{ratio:.1f}", "{channel} {share:.0%}",
                   "{channel} {share}", "{option} {share}"}
LANGS = [lang for lang in i18n.LANGUAGES if lang != "en"]


def _po(lang: str):
    path = PACKAGE / "locale" / i18n._LOCALES[lang] / "LC_MESSAGES" / "bpo_analysis.po"
    with path.open("rb") as f:
        return read_po(f, locale=i18n._LOCALES[lang])


def _code_messages() -> set[str]:
    """Every message the code marks: ``_()``/``N_()`` in the package, ``i18n._()`` in the
    notebooks' code cells (Babel's Python extractor)."""
    found = {m for _file, _line, m, _comments, _ctx in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords={"_": None, "N_": None})}
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                found |= {m for _line, m, _comments, _ctx in extract(
                    "python", io.BytesIO(cell.source.encode()), keywords={"_": None})}
    return found


def _markdown_cells() -> list[tuple[str, int, str]]:
    return [(p.stem, i, c.source) for p in NOTEBOOKS
            for i, c in enumerate(nbformat.read(p, as_version=4).cells)
            if c.cell_type == "markdown" and c.source.strip()]


def _isolated(fn, *args):
    """Run ``fn`` in a copy of the current context, so that a language it sets does not
    leak into the other tests."""
    return contextvars.copy_context().run(fn, *args)


# ---------------------------------------------------------------- (a) the catalog
def test_every_marked_message_is_a_literal_string():
    """``_(f"...")`` or ``_(name)`` would never be found in the catalog: only literals."""
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (
                    (isinstance(node.func, ast.Name) and node.func.id in ("_", "N_"))
                    or (isinstance(node.func, ast.Attribute) and node.func.attr == "_")):
                arg = node.args[0] if node.args else None
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, f"_()/N_() of something other than a string literal: {bad}"


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_translates_every_message_and_nothing_else(lang):
    po = _po(lang)
    entries = {m.id: m for m in po if m.id and m.context is None}
    code = _code_messages()
    assert len(code) > 600
    missing = sorted(code - set(entries))
    untranslated = sorted(k for k in code & set(entries)
                          if not entries[k].string or entries[k].fuzzy)
    obsolete = sorted(set(entries) - code)
    assert not missing, f"{len(missing)} messages without an entry: {missing[:20]}"
    assert not untranslated, f"{len(untranslated)} without a translation: {untranslated[:20]}"
    assert not obsolete, f"{len(obsolete)} entries the code no longer uses: {obsolete[:20]}"
    assert not po.obsolete, f"obsolete (#~) entries left: {list(po.obsolete)[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_every_placeholder_and_are_translations(lang):
    lost, copied = [], []
    for m in _po(lang):
        if not m.id or m.context is not None:
            continue
        if Counter(PLACEHOLDER.findall(m.id)) != Counter(PLACEHOLDER.findall(m.string)):
            lost.append((m.id, m.string))
        if m.string == m.id and m.id not in SAME_IN_CHINESE:
            copied.append(m.id)
    assert not lost, f"placeholders differ: {lost[:10]}"
    assert not copied, f"left in English: {copied[:20]}"
    # every template fills in: the same names, and no brace the format would choke on
    for m in _po(lang):
        if m.id and m.context is None and PLACEHOLDER.search(m.id):
            names = {p.strip("{}").split(":")[0] for p in PLACEHOLDER.findall(m.id)}
            values = {n: 1.5 for n in names}
            if "%Y" in m.id:
                continue  # date placeholders: filled with dates by profile.py
            assert m.string.format(**values), m.id


# ---------------------------------------------------------------- (b) the notebooks
@pytest.mark.parametrize("lang", LANGS)
def test_every_markdown_cell_has_a_faithful_translation(lang):
    cells = _markdown_cells()
    assert len(cells) >= 60
    for stem, i, source in cells:
        where = f"{stem} cell {i}"
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a cell without translation warns
            text = i18n.translate_markdown(source, lang)
        assert text != source and CJK.search(text), where
        assert (Counter(i18n.CODE_SPAN.findall(text))
                == Counter(i18n.CODE_SPAN.findall(source))), f"{where}: code spans differ"
        assert HEADING.findall(text) == HEADING.findall(source), f"{where}: headings differ"


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_has_no_notebook_entry_without_its_cell(lang):
    cells = {i18n.normalise_markdown(s) for _stem, _i, s in _markdown_cells()}
    stale = [m.id[:60] for m in _po(lang) if m.context == i18n.NOTEBOOK_CONTEXT
             and m.id not in cells]
    assert not stale, f"entries for markdown cells that no longer exist: {stale}"


def test_translate_notebook_is_a_copy_with_only_the_markdown_translated():
    path = ROOT / "notebooks" / "07_risk_continuity.ipynb"
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    zh = i18n.translate_notebook(nb, "zh-Hant")
    assert nbformat.writes(nb) == before  # the original is untouched
    nbformat.validate(zh)
    for a, b in zip(nb.cells, zh.cells, strict=True):
        if a.cell_type == "markdown":
            assert b.source != a.source and CJK.search(b.source)
        else:
            assert b == a
    assert nbformat.writes(i18n.translate_notebook(nb, "en")) == before
    # trailing whitespace does not matter; an unknown cell stays English, with a warning
    assert i18n.translate_markdown(nb.cells[0].source + "  \n\n", "zh-Hant") == zh.cells[0].source
    with pytest.warns(UserWarning, match="no 繁體中文 .* translation of the markdown cell"):
        assert i18n.translate_markdown("## Not a cell of ours", "zh-Hant") == (
            "## Not a cell of ours")


# ---------------------------------------------------------------- (c) the language
@pytest.mark.parametrize("value", ["fr", "zh_TW", "ZH-HANT", " en", None])
def test_set_language_refuses_anything_else(value, monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    with pytest.raises(InputError) as err:
        _isolated(i18n.set_language, value)
    msg = str(err.value)
    assert "'language'" in msg and repr(value) in msg and "['en', 'zh-Hant']" in msg
    with pytest.raises(InputError):
        _isolated(lambda: i18n.use_language(value).__enter__())


def test_an_invalid_environment_variable_is_refused_by_name(monkeypatch):
    monkeypatch.setenv(i18n.ENV_VAR, "xx")
    with pytest.raises(InputError) as err:
        _isolated(i18n.set_language, "")
    msg = str(err.value)
    assert "BPO_ANALYSIS_LANGUAGE" in msg and "'xx'" in msg and "['en', 'zh-Hant']" in msg
    # an explicit language wins over the environment
    assert _isolated(i18n.set_language, "en") == "en"


def test_empty_means_the_environment_variable_else_english(monkeypatch):
    def set_and_read(value):
        i18n.set_language(value)
        return i18n.language(), i18n._("Service level")

    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    assert _isolated(set_and_read, "") == ("en", "Service level")
    monkeypatch.setenv(i18n.ENV_VAR, "")
    assert _isolated(set_and_read, "") == ("en", "Service level")
    monkeypatch.setenv(i18n.ENV_VAR, "zh-Hant")
    assert _isolated(set_and_read, "") == ("zh-Hant", "服務水準")
    assert i18n.language() == "en"  # the tests' own context is untouched


def test_use_language_restores_the_language_before_it():
    def nested():
        i18n.set_language("zh-Hant")
        with i18n.use_language("en"):
            inner = i18n._("month")
        return inner, i18n._("month")

    assert _isolated(nested) == ("month", "月份")


TAIWAN_DAY_TIME = re.compile(r"2025年8月18日 ?週一 11:00")


def test_dates_and_weekdays_follow_the_language():
    import babel.core
    import pandas as pd

    ts = pd.Timestamp("2025-08-18 11:00")
    assert (i18n.month(ts), i18n.month_long(ts), i18n.day_time(ts)) == (
        "Aug 2025", "August 2025", "Mon 18 Aug 2025 11:00")
    with i18n.use_language("zh-Hant"):
        assert i18n.month(pd.Period("2025-08", freq="M")) == "2025年8月"
        # Taiwan's order (year 年 month 月 day 日, the weekday 週一, the 24-hour time), not
        # one CLDR release's spacing: CLDR 46 put a space before the weekday, CLDR 47 none
        got = i18n.day_time(ts)
        assert TAIWAN_DAY_TIME.fullmatch(got), (
            f"Babel {babel.__version__} (CLDR {babel.core.get_cldr_version()}) writes "
            f"Monday 18 August 2025 11:00 as {got!r}; Taiwan's format is "
            "'2025年8月18日 週一 11:00' (the space before 週一 optional)")
        assert [i18n.weekday(d) for d in ("Mon", "Sunday", "Holiday")] == [
            "週一", "星期日", "Holiday"]
        assert i18n.month_abbr(12) == "12月"


# ---------------------------------------------------------------- (d) same numbers, Chinese words
def _texts(fig) -> list[str]:
    """A figure's title and axis titles."""
    lay = fig.layout
    return [lay.title.text, *[lay[k].title.text for k in lay
                              if k.startswith(("xaxis", "yaxis")) and lay[k].title.text]]


def _arrays(fig) -> list[np.ndarray]:
    """Every numeric array of every trace (categories, being labels, left out)."""
    out = []
    for t in fig.data:
        for key in ("x", "y", "z", "r", "base"):
            v = getattr(t, key, None)
            if v is not None and np.asarray(v).dtype.kind in "fiu":
                out.append(np.asarray(v, dtype=float))
    return out


FIGURES = {
    "heatmap": lambda c: demand_heatmap(
        demand.heatmap(demand.heatmap_cube(c.demand, 30))),
    "seasonality": lambda c: profile_charts.monthly_volume_chart(demand.monthly_volume(c.demand)),
    "channel_mix": lambda c: profile_charts.channel_mix_chart(demand.channel_mix(c.demand)),
    "cost_per_contact": lambda c: profile_charts.cost_per_contact_chart(
        profile_calc.baseline_by_month(c), "TWD"),
    "options": lambda c: sourcing_charts.option_monthly_chart(
        sourcing.option_costs(c, sourcing.inputs_from_parameters(c)), "TWD"),
    "payout": lambda c: contract_charts.payout_chart(np.linspace(-1e5, 9e5, 500), "TWD"),
    "npv": lambda c: roi_charts.npv_histogram(np.linspace(-5e6, 9e6, 1000), "TWD", 0.6),
}


@pytest.mark.parametrize("name", FIGURES)
def test_figures_in_chinese_show_the_same_data(name, sample_client):
    build = FIGURES[name]
    en = build(sample_client)
    with i18n.use_language("zh-Hant"):
        zh = build(sample_client)
    assert len(_texts(zh)) == len(_texts(en)) >= 2
    for t_en, t_zh in zip(_texts(en), _texts(zh), strict=True):
        assert CJK.search(t_zh) and t_zh != t_en, (t_en, t_zh)
    assert len(zh.data) == len(en.data)
    for a, b in zip(_arrays(en), _arrays(zh), strict=True):
        np.testing.assert_array_equal(a, b)
    # package-defined trace names (channels, options) are translated
    for t_en, t_zh in zip(en.data, zh.data, strict=True):
        if t_en.name in ("voice", "chat", "email", "total", "In-house", "draws"):
            assert CJK.search(t_zh.name), t_en.name


def test_weekday_axis_is_in_chinese(sample_client):
    with i18n.use_language("zh-Hant"):
        fig = FIGURES["heatmap"](sample_client)
    assert list(fig.data[0].y) == ["週一", "週二", "週三", "週四", "週五", "週六", "週日"]


def _same_numbers(en: str, zh: str) -> None:
    """The numbers a sentence shows, as the reader sees them, are the same in both."""
    assert Counter(NUMBER.findall(en)) == Counter(NUMBER.findall(zh)), (en, zh)
    assert CJK.search(zh) and not CJK.search(en)


def test_headlines_in_chinese_have_the_same_values(sample_client):
    en = profile.profile_headlines(sample_client)
    with i18n.use_language("zh-Hant"):
        zh = profile.profile_headlines(sample_client)
    assert [h.key for h in zh.items] == [h.key for h in en.items]
    for a, b in zip(en.items, zh.items, strict=True):
        assert b.value == a.value, a.key
        assert CJK.search(b.label) and b.label != a.label, a.key
        assert NUMBER.findall(b.text) == NUMBER.findall(a.text), (a.text, b.text)
    assert zh["baseline_monthly_cost"].text == "5,910,413 TWD/月"  # the currency code kept
    assert zh["contacts"].text == en["contacts"].text.replace(" contacts", " 件")


def _sentences(client) -> dict[str, str]:
    inputs = sourcing.inputs_from_parameters(client)
    summary = sourcing.option_summary(sourcing.option_costs(client, inputs),
                                      client.demand["contacts"].sum())
    ev = vendors_step.evaluate(client, draws=500)
    terms = contract.run(client, simulated_years=2_000)
    roi = roi_step.run(client, draws=2_000)
    return {"sourcing": sourcing_views.recommendation(summary, "TWD"),
            "vendors": scoring_views.verdict(ev) + " " + scoring_views.switch_sentence(
                ev.switch_points),
            "contract": contract_views.headlines(terms, "TWD").title,
            # the case's label is data (a quote id and its vendor)
            "roi": roi_views.recommendation(roi).removeprefix(roi.case.label)}


def test_recommendations_in_chinese_carry_the_same_numbers(sample_client):
    en = _sentences(sample_client)
    with i18n.use_language("zh-Hant"):
        zh = _sentences(sample_client)
    for key in en:
        _same_numbers(en[key], zh[key])


def test_tables_in_chinese_have_chinese_headers_and_the_same_cells(sample_client):
    en = profile.channel_table(sample_client)
    with i18n.use_language("zh-Hant"):
        zh = profile.channel_table(sample_client)
    assert all(CJK.search(c) for c in zh.data.columns)
    numeric = en.data.columns[1:]
    np.testing.assert_array_equal(en.data[numeric].to_numpy(), zh.data.iloc[:, 1:].to_numpy())
    assert list(zh.data.iloc[:, 0]) == ["電話", "線上文字", "電子郵件"]
    assert "管道組合" in zh.to_html() and "聯繫件數占比" in zh.to_html()


def test_kpi_names_and_units_in_chinese():
    from bpo_analysis.data import kpis

    with i18n.use_language("zh-Hant"):
        names = {k: i18n.term(v.name) for k, v in kpis.KPIS.items()}
        assert kpis.fmt_value(-0.066, "share", signed=True) == "-6.6 個百分點"
        assert kpis.fmt_value(312.4, "s") == "312.4 秒"
    assert names["fcr"] == "首次解決率（FCR）" and names["service_level"] == "服務水準"
    assert all(CJK.search(n) for n in names.values())
    assert kpis.fmt_value(-0.066, "share", signed=True) == "-6.6 points"


def test_a_dashboard_in_chinese_follows_its_sliders(sample_client):
    pytest.importorskip("ipywidgets")
    from bpo_analysis.widgets import sourcing_dashboard

    def build():
        i18n.set_language("zh-Hant")
        dash = sourcing_dashboard(sample_client, sourcing.inputs_from_parameters(sample_client))
        before = [np.asarray(t.y).copy() for t in dash.figures["monthly"].data]
        dash.controls["price_per_contact"].value *= 1.2  # moves the shared option only
        return dash, before

    dash, before = _isolated(build)
    monthly = dash.figures["monthly"]
    shared = [i for i, t in enumerate(monthly.data) if t.name == "共用客服人員（按件計費）"]
    assert len(shared) == 1 and CJK.search(dash.controls["shrinkage"].description)
    assert (np.asarray(monthly.data[shared[0]].y) > before[shared[0]]).all()
    assert "最便宜" in dash.summary.value


# ---------------------------------------------------------------- (e) a report in Chinese
@pytest.mark.slow
def test_a_report_run_in_chinese_shows_the_english_numbers(maturity_report_zh, sample_client):
    from bpo_analysis.steps import maturity
    from bpo_analysis.steps.maturity import views as maturity_views

    report, nb = maturity_report_zh
    shown = outputs_with(nb, HEADLINES_MIME)[0]
    expected = maturity_views.headlines(maturity.run(sample_client))
    assert set(shown) == {h.key for h in expected.items}
    for h in expected.items:  # computed here in English: the same values, Chinese words
        assert shown[h.key]["value"] == h.value, h.key
        assert CJK.search(shown[h.key]["label"]) and CJK.search(shown[h.key]["text"])
    figs = outputs_with(nb, PLOTLY)
    assert figs and all(CJK.search(f["layout"]["title"]["text"]) for f in figs)
    radar = maturity_charts.maturity_radar(*(lambda m: (m.answers, m.subjects))(
        maturity.run(sample_client).maturity))
    np.testing.assert_array_equal(plotly_values(figs[0]["data"][0]["r"]),
                                  np.asarray(radar.data[0].r, dtype=float))
    assert "作業型" in Path(report.html).read_text(encoding="utf-8")
    # the page itself: the markdown, the title, the contents and the cover in Chinese
    from bs4 import BeautifulSoup

    from bpo_analysis.reporting import catalog, cover
    from bpo_analysis.reporting.notebook import prepare_notebook

    soup = BeautifulSoup(Path(report.html).read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "zh-Hant"
    source = i18n.translate_notebook(
        nbformat.read(catalog.notebook_path("08_maturity"), as_version=4), "zh-Hant")
    assert soup.select_one("h1.bpo-cover-title").get_text() == cover.notebook_title(source)
    assert CJK.search(cover.notebook_title(source))
    with i18n.use_language("zh-Hant"):
        words = cover.labels()
    assert words["client"] == "客戶" and words["contents"] == "目錄"
    assert [dt.get_text() for dt in soup.select("#report-cover .bpo-cover-facts dt")] == \
        [words["client"], words["date"]]
    assert [dt.get_text() for dt in soup.select("#report-appendix dt")][:2] == \
        [words["client"], words["client_dir"]]
    assert [h.get_text() for h in soup.select(".bpo-cover-heading")] == \
        [words["contents"], words["parameters"], words["sources"], words["again"]]
    assert soup.select_one("#report-appendix h2").get_text() == words["appendix"]
    assert {td.get_text() for td in soup.select(".bpo-sources td:nth-of-type(2)")} == \
        {"客戶資料夾"}
    expected_toc = [h.text for h in cover.table_of_contents(cover.split_title(
        prepare_notebook(source))[1])]
    links = soup.select("nav.bpo-toc a")
    assert [a.get_text() for a in links] == [*expected_toc, words["appendix"]] and all(
        CJK.search(t) for t in expected_toc)
    assert all(soup.find(id=a["href"][1:]) is not None for a in links)


@pytest.mark.parametrize("argv, env, argument", [
    (["-p", "language", "zh-TW"], "", "'parameter language' = 'zh-TW'"),
    ([], "fr", "'environment variable BPO_ANALYSIS_LANGUAGE' = 'fr'"),
    (["-p", "language", ""], "fr", "'environment variable BPO_ANALYSIS_LANGUAGE' = 'fr'")])
def test_a_bad_language_is_refused_before_the_run(argv, env, argument, tmp_path, capsys,
                                                  monkeypatch):
    from bpo_analysis import cli

    monkeypatch.setenv(i18n.ENV_VAR, env)
    assert cli.main(["report", "00", "-o", str(tmp_path / "out"), *argv]) == 2
    err = capsys.readouterr().err
    assert argument in err and "one of ['en', 'zh-Hant']" in err
    assert not (tmp_path / "out").exists()  # nothing ran, nothing written


def _numeric(v):
    try:
        return plotly_values(v)
    except (TypeError, ValueError):
        return None  # category labels: words, translated


@pytest.mark.slow
@pytest.mark.parametrize("fixture", [
    ("profile_report", "profile_report_zh"), ("sourcing_report", "sourcing_report_zh"),
    ("vendor_report", "vendor_report_zh"), ("pricing_report", "pricing_report_zh"),
    ("contract_report", "contract_report_zh"), ("review_report", "review_report_zh"),
    ("roi_report", "roi_report_zh"), ("risk_report", "risk_report_zh")],
    ids=lambda pair: pair[0])
def test_every_notebook_runs_in_chinese_with_the_english_numbers(fixture, request):
    """Each report run in zh-Hant with the English run's parameters: the same cards and
    the same figure data as the English run, with Chinese titles (08 is checked in
    detail above)."""
    from bs4 import BeautifulSoup

    en_nb = request.getfixturevalue(fixture[0])[1]
    report, nb = request.getfixturevalue(fixture[1])
    given = dict(en_nb.metadata.papermill.parameters)
    assert dict(nb.metadata.papermill.parameters) == {**given, "language": "zh-Hant"}
    en_cards = [{k: c["value"] for k, c in cards.items()}
                for cards in outputs_with(en_nb, HEADLINES_MIME)]
    assert en_cards and [{k: c["value"] for k, c in cards.items()}
                         for cards in outputs_with(nb, HEADLINES_MIME)] == en_cards
    en_figs, figs = outputs_with(en_nb, PLOTLY), outputs_with(nb, PLOTLY)
    assert len(figs) == len(en_figs) > 0
    for fig, en_fig in zip(figs, en_figs, strict=True):
        assert CJK.search(fig["layout"]["title"]["text"]), fig["layout"]["title"]["text"]
        assert len(fig["data"]) == len(en_fig["data"])
        for trace, en_trace in zip(fig["data"], en_fig["data"], strict=True):
            for key in ("x", "y", "z", "r", "values"):
                if key in en_trace and _numeric(en_trace[key]) is not None:
                    # (DuckDB's parallel sums may differ in the last bit between runs)
                    np.testing.assert_allclose(_numeric(trace[key]), _numeric(en_trace[key]),
                                               rtol=1e-12, err_msg=key)
    soup = BeautifulSoup(report.html.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "zh-Hant" and CJK.search(soup.select_one("h1").get_text())
