"""The capital bid's pages in the site report: the chosen sites with their cameras and cost, greedy beside exact,
and the model's validation on the council's own data (`siting.model.bid`)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph

from common.pdf_style import BODY, H1, H2, SMALL, key_values, para, table
from siting.model.bid import CapitalBid
from siting.model.explain import number


def bid_story(bid: CapitalBid) -> list:
    """The bid's section: what is asked for, the sites, and how far the model can be trusted."""
    best, costs = bid.best, bid.costs
    fixed, deployable = bid.cameras()
    spent = best.greedy.cost or 0.0
    budget = "no limit" if costs.budget is None else f"£{costs.budget:,.0f}"
    rows = [
        ("Asked for", f"up to {best.k} sites; {budget}"),
        ("Unit costs", f"£{costs.fixed:,.0f} a fixed camera, £{costs.deployable:,.0f} a deployable camera, installed"),
        ("Chosen", f"{len(best.greedy.site_ids)} sites: {fixed} fixed and {deployable} deployable cameras, "
                   f"£{spent:,.0f}"),
        ("New harm in view", f"{number(best.greedy.covered_harm)} {best.params.profile.label} over the window"),
    ]
    story: list = [Paragraph("The capital bid", H1), key_values(rows, (38, 136)), para(best.explanation(), BODY)]
    lines = [[str(n), f"{r.label().name}\n{r.label().place}", str(r.fixed_cameras), str(r.deployable_cameras),
              f"£{bid.site_costs[r.site_id]:,.0f}", number(gain)]
             for n, (r, gain) in enumerate(zip(bid.chosen(), best.greedy.gains, strict=True), start=1)]
    lines.append(["", "Total", str(fixed), str(deployable), f"£{spent:,.0f}", number(best.greedy.covered_harm)])
    story.append(table(["#", "Site", "Fixed", "Deployable", "Cost", "Harm it adds"], lines,
                       (8, 84, 16, 20, 22, 24), numeric_from=2, bold_last=True,
                       markup=_lines))
    if best.exact is not None:
        names = ", ".join(best.label(i).name for i in best.exact.site_ids)
        story.append(para(f"The exact programme, {best.exact.status}, chooses {names}, covering "
                          f"{number(best.exact.covered_harm)} for £{best.exact.cost or 0:,.0f}.", SMALL))
    if bid.replacement:
        first = bid.replacement[0]
        story += [Paragraph("Replacing cameras already in service", H2),
                  para(f"The estate's replacement programme (cameras reaching their expected life) asks for "
                       f"£{first.cost:,.0f} in {first.label}; with the new sites above, £{first.cost + spent:,.0f} "
                       "that year.", BODY),
                  table(["Financial year", "Cameras", "Cost", "Of which estimated"],
                        [[y.label, str(y.cameras), f"£{y.cost:,.0f}", str(y.estimated)] for y in bid.replacement],
                        (40, 30, 40, 40), numeric_from=1)]
    if bid.validation is not None:
        story += [Paragraph("How far the model can be trusted", H2), para(bid.validation.explanation(), BODY)]
        story += [para(split.line(), SMALL) for split in bid.validation.splits]
    return story


def _lines(text: str) -> str:
    """Escaped text with its line breaks kept (a site's name, then its place)."""
    return "<br/>".join(escape(line) for line in text.split("\n"))
