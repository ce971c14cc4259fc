"""The yearly report carries the workflows' sections: the projects of the year, the gaps of the indicator-bound
metrics (or why they cannot be computed) and the comments the administrators chose for it."""

import datetime

from tilannekuva.discussion import services as discussion
from tilannekuva.projects.models import Project
from tilannekuva.regions.models import Region
from tilannekuva.reports.rendering import render_body
from tilannekuva.reports.selectors import follow_up_report


def test_the_report_lists_projects_gaps_and_chosen_comments(world, users):
    region = Region.objects.get(slug="etela-savo")
    Project.objects.create(
        region=region,
        name="Tietopankki-hanke",
        goal_key="yhteisen-tiedon-jakaminen-ja-tilannekuva",
        starts_on=datetime.date(2025, 1, 1),
    )
    comment = discussion.post_comment(
        region=region,
        subject="goal",
        key="yhteisen-tiedon-jakaminen-ja-tilannekuva",
        user=users["carol"],
        text="Tärkeä.",
    )
    discussion.choose_for_report(comment=comment, user=users["alice"], year=2025)
    report = follow_up_report(region=region, year=2025, draw_charts=False)
    assert [r.project.name for r in report.project_rows] == ["Tietopankki-hanke"]
    assert [i.metric.key for i in report.inequalities] == ["vammojen-ja-myrkytysten-sairaalahoito"]
    assert not report.inequalities[0].any_computed  # the test world has no observations of Sotkanet 3037
    html = render_body(report, internal=False)
    assert "Tietopankki-hanke" in html and "Tärkeä." in html and 'id="inequality-report-title"' in html
