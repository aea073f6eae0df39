"""The HTML report opened in a real browser (Debian's Chromium) with the network cut off:
every figure must draw (an SVG of real size with its bars, lines, markers, heatmap image or
polar traces in it), nothing may be fetched, the cover and the table of contents come
first and every contents link lands on its heading, and the headline cards must read the
package's numbers. Screenshots are kept in reports/screenshots/ as test artefacts."""

from __future__ import annotations

import pytest

from bpo_analysis.reporting.images import chart_figures
from bpo_analysis.reporting.notebook import prepare_notebook
from bpo_analysis.steps.profile import views as profile
from tests.conftest import SHOTS, in_chromium

pytestmark = [pytest.mark.slow, in_chromium]


def static_figures(nb) -> list:
    """The figures the static report shows (live-only cells dropped, as at export)."""
    return chart_figures(prepare_notebook(nb))


@pytest.mark.parametrize("fixture", ["profile_report", "sourcing_report", "vendor_report",
                                     "pricing_report", "contract_report", "review_report",
                                     "roi_report", "risk_report", "maturity_report",
                                     "summary_report", "roi_report_zh", "risk_report_hk"])
def test_every_report_renders_offline(browser, request, fixture):
    report, nb = request.getfixturevalue(fixture)
    figures = len(static_figures(nb))
    page = _open_offline(browser, report.html, figures)
    assert page.locator(".js-plotly-plot").count() == figures
    charts = _wait_for_charts(page, figures)
    blank = [c for c in charts if not (c["width"] > 0 and c["height"] > 0 and c["marks"] > 0)]
    assert blank == [], f"{report.name}: charts not drawn: {blank}"
    _check_cover_and_contents(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    suffix = "_zh" if fixture.endswith("_zh") else "_hk" if fixture.endswith("_hk") else ""
    page.screenshot(path=SHOTS / f"{report.name}{suffix}.png", full_page=True)
    page.close()


#: Per chart: the drawn size of its main SVG and how many trace marks have a non-empty
#: box -- bar and waterfall paths, scatter lines and markers, polar traces (``g.trace``
#: children) and a heatmap's bitmap (``g.hm image``).
_CHARTS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
  const svg = plot.querySelector('svg.main-svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  const marks = [...plot.querySelectorAll('g.trace path, g.trace image, g.hm image')]
    .filter(el => { const b = el.getBBox(); return b.width > 0 || b.height > 0; });
  const types = [...plot.querySelectorAll('g.trace, g.hm')].map(t => t.getAttribute('class'));
  return {title: (plot.querySelector('.gtitle') || {}).textContent || '',
          width: box.width, height: box.height, marks: marks.length,
          types: [...new Set(types.map(c => c.split(' ')[1] || c))]};
})"""


def _wait_for_charts(page, figures: int) -> list[dict]:
    """Wait until every chart has drawn marks (plotly draws after the page loads), then
    return what each chart holds; a chart that never draws fails on the caller's assert."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(f"({_CHARTS})().filter(c => c.marks > 0).length >= {figures}",
                               timeout=30_000)
    except PlaywrightTimeout:  # the caller's assertion names the charts left blank
        pass
    return page.evaluate(_CHARTS)


def _check_cover_and_contents(page) -> None:
    """The cover, then the step's introduction and its headline, then the contents, then
    the sections, the appendix last; each contents link, followed as a browser does (the
    URL's fragment), targets its heading."""
    order = page.evaluate("""() => {
      const main = document.querySelector('main');
      return [...main.children].map(e => e.classList.contains('jp-Cell') ? (
        e.querySelector('.bpo-cards') ? 'the headline' : 'a cell') : e.id);
    }""")
    contents = order.index("report-contents")
    assert order[0] == "report-cover" and order[-1] == "report-appendix", order
    assert "the headline" in order[:contents] and order[contents - 1] == "the headline", order
    assert "report-appendix" not in order[:-1]
    assert page.locator("#report-cover .bpo-client").inner_text().strip()
    assert page.locator("#report-cover h1").inner_text().strip()
    links = page.evaluate("() => [...document.querySelectorAll('#report-contents a')]"
                          ".map(a => [a.getAttribute('href'), a.textContent])")
    assert links, "the table of contents is empty"
    for href, text in links:
        target = page.evaluate("""href => { location.hash = href;
          const t = document.querySelector(':target');
          return t ? [t.tagName, t.textContent.replace('\u00b6', '').trim(),
                      t.getBoundingClientRect().top, window.innerHeight] : null; }""", href)
        assert target is not None, f"contents link {href} leads nowhere"
        assert target[0] in ("H2", "H3") and target[1] == text.strip(), (href, target)
        assert -2 < target[2] < target[3], f"{href}: the page did not scroll to its heading"


def _open_offline(browser, html, figures):
    """Open a report with every non-local request refused; wait for all figures."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    attempted, errors = [], []

    def only_local(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.as_uri())
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {figures}",
        timeout=30_000)
    assert attempted == [] and errors == []
    return page


def test_profile_report_shows_the_package_numbers(browser, profile_report, sample_client):
    report, _ = profile_report
    page = _open_offline(browser, report.html, 6)
    titles = page.locator(".js-plotly-plot .gtitle").all_text_contents()
    assert "Seasonality: contacts per month" in titles
    expected = profile.profile_headlines(sample_client)
    for key in ("contacts", "baseline_monthly_cost", "baseline_cost_per_contact"):
        shown = page.locator(f'.bpo-card-value[data-key="{key}"]').inner_text()
        assert shown == expected[key].text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".js-plotly-plot").first.screenshot(path=SHOTS / "00_heatmap.png")
    page.close()
