"""Live dashboards: the only part of bpo-analysis that imports ipywidgets.

Each dashboard is a function ``xxx_dashboard(result) -> ipywidgets.Widget`` around a
step's result: its controls call the step's calculation, rebuild each figure with the
step's own chart function and update the live ``plotly.graph_objects.FigureWidget`` in
place (:func:`bpo_analysis.widgets.controls.refresh`). The returned widget exposes
``.controls`` (name -> control) and ``.figures`` (or ``.figure``) so that tests can move
a control and assert what changed, without a browser.
"""

from bpo_analysis.widgets.contract import contract_dashboard
from bpo_analysis.widgets.maturity import maturity_dashboard
from bpo_analysis.widgets.pricing import pricing_dashboard
from bpo_analysis.widgets.profile import profile_dashboard
from bpo_analysis.widgets.risk import risk_dashboard
from bpo_analysis.widgets.roi import roi_dashboard
from bpo_analysis.widgets.sourcing import sourcing_dashboard
from bpo_analysis.widgets.vendors import vendor_dashboard

__all__ = ["contract_dashboard", "maturity_dashboard", "pricing_dashboard",
           "profile_dashboard", "risk_dashboard", "roi_dashboard", "sourcing_dashboard",
           "vendor_dashboard"]
