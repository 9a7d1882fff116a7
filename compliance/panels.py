"""The compliance panel on the client overview (registered in `ComplianceConfig.ready`): the score
of each adopted framework, with its trend."""

from vcio import charts

from . import summary_selectors


def compliance_panel(request, client) -> dict:
    summaries = summary_selectors.client_compliance_summary(client=client)
    accent = request.practice.brand_colour
    for s in summaries:
        s.spark = charts.sparkline(
            [p.percent for p in s.trend],
            title=f"{s.framework.label}: score across completed assessments",
            accent=accent,
            min_value=0,
            max_value=100,
            width=100,
            height=28,
        )
    return {"summaries": summaries, "client": client}
