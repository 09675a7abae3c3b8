"""The offline scenario in Chromium over HTTPS through each shipped nginx config: the export
served by nginx, and gunicorn behind nginx. Chromium trusts the certificate the way a phone
trusts a real one (a root in its NSS database), so the service worker runs as in production."""

import pytest
from engines import PlaywrightDriver
from live_deploy import DEPLOY, Deployed
from scenario import offline_scenario

from web.export import export_build

NEXT_HOP = "performance.getEntriesByType('navigation')[0].nextHopProtocol"


@pytest.mark.timeout(300)
def test_offline_scenario_through_nginx_serving_the_export(trusting_phone, documented_app,
                                                            documented_export, local_ca,
                                                            tmp_path):
    site = Deployed(DEPLOY / "guide.conf", tmp_path / "nginx", local_ca, root=documented_export)
    try:
        page = trusting_phone.new_page()
        # The export has no app behind it: its pages offer no report.
        offline_scenario(PlaywrightDriver(page), site, documented_app, reports=False,
                         built=export_build(documented_app))
    finally:
        site.stop()


@pytest.mark.timeout(300)
def test_offline_scenario_through_nginx_and_gunicorn(trusting_browser, trusting_phone,
                                                     documented_app, local_ca, tmp_path):
    site = Deployed(DEPLOY / "guide-app.conf", tmp_path / "nginx", local_ca, app=True)
    try:
        # In a context of its own, so that the scenario's first visit is a first visit.
        context = trusting_browser.new_context()
        page = context.new_page()
        page.goto(site.url + "/es/about/")
        assert page.evaluate(NEXT_HOP) == "h2"
        cookie = {c["name"]: c for c in context.cookies()}["lang"]
        assert (cookie["value"], cookie["secure"]) == ("es", True)
        context.close()
        # gunicorn stores reports in its own database: the page's "sent" is the proof.
        offline_scenario(PlaywrightDriver(trusting_phone.new_page()), site, documented_app,
                         stored=False)
    finally:
        site.stop()
