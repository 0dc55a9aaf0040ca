"""Every page type for every role, in a real browser, at a phone width and a desktop width: axe-core
(served from the installed axe_playwright_python package, never a CDN) finds nothing serious or
critical, and no page is wider than the window (issue 12, points 3 and 9).

The pages and who may open them come from the access matrix: every GET row whose cell is 200 for a
role is a page that role can open, on the matrix's own world. Files (PDF, CSV, Excel, uploads),
JSON and the third-party admin screens are left out, as are the rows marked `[variant]`, which show
the same page type on another object. A role whose page has the same markup as one already checked
(a viewer's dossier drawn as the owner's) skips axe there but is still measured for width; the
first page of each role is always checked whole, for its header. A problem seen by several roles
is listed once, with their names.
"""

import hashlib
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from accelerator.models import Stage
from tests import factories
from tests.accelerator.test_journey_transitions import make_accompaniment
from tests.access.test_access_matrix import read_matrix, url_of
from tests.access.world import ROLES, build_world
from tests.applications.full_form import COMPLETE_ANSWERS, FULL_FORM, ensure_wagtail_tree
from tests.browser.test_accessibility import BLOCKING, DESKTOP, PHONE, WIDER_THAN_THE_WINDOW
from tests.browser.test_csp import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Rows that are not pages a person reads: files, fragments fetched by scripts, health checks.
NOT_PAGES = (
    "healthz",
    "_pdf",
    "_pack",
    "_csv",
    "_xlsx",
    "export",
    "applications:attachment",
    "applications:juror_file",
    "accelerator:accompaniment_document",
    "accelerator:impact_report_evidence",
    "workers:notifications_latest",
    "/documents/",
    "/admin/essor/call-date/",
    # Feeds and files for robots and calendar applications, not pages.
    "_ical",
    "cms:agenda_rss",
    "cms:agenda_atom",
    "cms:sitemap",
    "cms:robots_txt",
)
# Third-party screens Essor does not draw (Django's admin, Wagtail's own admin pages); the
# application form's preview under /admin/ is Essor's template and is kept.
THIRD_PARTY = ("/django-admin/", "/admin/")
OURS_UNDER_THIRD_PARTY = ("/admin/pages/{call}/edit/preview/",)

# The markup of a page's main part, reduced to what axe judges: element kinds, classes, roles, ARIA
# attributes and form controls, not the texts. Two roles with the same reduction see the same page
# for axe (the header, which differs by role, is checked on each role's first page).
MARKUP = """
() => {
  const kinds = new Set();
  for (const element of (document.querySelector("main") || document.body).querySelectorAll("*")) {
    const attributes = ["role", "type", "aria-label", "aria-labelledby", "aria-describedby",
      "disabled", "tabindex", "href"].map((name) => element.hasAttribute(name) ? name : "").join();
    kinds.add(`${element.tagName}.${[...element.classList].sort().join(".")}|${attributes}`);
  }
  return [...kinds].sort().join("\\n");
}
"""


def pages_by_role():
    """{role: [(row name, route)]}: the GET pages of the matrix each role may open."""
    rows, problems = read_matrix()
    assert not problems, "\n".join(problems)
    pages = {role: [] for role in ROLES}
    for (name, method), row in rows.items():
        if method != "GET" or " [" in name or any(part in name for part in NOT_PAGES):
            continue
        if name.startswith(THIRD_PARTY) and not name.startswith(OURS_UNDER_THIRD_PARTY):
            continue
        for role in ROLES:
            if row[role] == "200":
                pages[role].append((name, row["route"]))
    return pages


class Survey:
    """Visits pages in one browser context per role and keeps every problem, so that one run
    lists all of them."""

    def __init__(self, browser, live_server):
        self.browser = browser
        self.live_server = live_server
        self.axe = Axe()
        self.problems = {}
        self.visited = 0
        self.axe_runs = 0
        self.axe_seconds = 0.0
        self.seen = set()

    def role(self, role, user, pages, world):
        context = self.browser.new_context(
            base_url=self.live_server.url, locale="en-GB", viewport=PHONE
        )
        try:
            page = context.new_page()
            page.set_default_timeout(15_000)
            if user is not None:
                log_in(page, self.live_server, user)
            for number, (name, route) in enumerate(pages):
                self.visit(page, role, name, url_of(world, name, route), whole=number == 0)
        finally:
            context.close()

    def problem(self, role, where, text):
        self.problems.setdefault((where, text), []).append(role)

    def report(self):
        return [
            f"{where} as {', '.join(roles)}: {text}"
            for (where, text), roles in self.problems.items()
        ]

    def visit(self, page, role, name, url, whole):
        """Opens a page at the phone width (where the context stays between pages); then, when
        its markup is new for this page type, runs axe there and again at the desktop width."""
        where = f"{name} ({url})"
        try:
            response = page.goto(url)
        except Exception as error:  # a download or a network failure: the page did not open
            self.problem(role, where, f"did not open: {str(error).splitlines()[0]}")
            return
        if response is None or response.status != 200:
            status = response and response.status
            self.problem(role, where, f"answered {status}, the matrix says 200")
            return
        if "text/html" not in response.headers.get("content-type", ""):
            self.problem(role, where, "not an HTML page: leave it out in NOT_PAGES")
            return
        self.visited += 1
        markup = hashlib.sha1(page.evaluate(MARKUP).encode()).hexdigest()
        run_axe = whole or (name, markup) not in self.seen
        self.seen.add((name, markup))
        self.no_sideways_scroll(page, role, f"{where} at {PHONE['width']}px")
        if run_axe:
            self.run_axe(page, role, f"{where} at {PHONE['width']}px")
            page.set_viewport_size(DESKTOP)
            self.no_sideways_scroll(page, role, f"{where} at {DESKTOP['width']}px")
            self.run_axe(page, role, f"{where} at {DESKTOP['width']}px")
            page.set_viewport_size(PHONE)

    def run_axe(self, page, role, where):
        self.axe_runs += 1
        started = time.monotonic()
        # axe-core is sent to a page once, not once per width (Axe.run sends its 500 kB each time).
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe.axe_script)
        violations = page.evaluate("axe.run({resultTypes: ['violations']})")["violations"]
        self.axe_seconds += time.monotonic() - started
        for violation in violations:
            if violation["impact"] in BLOCKING:
                targets = [", ".join(map(str, node["target"])) for node in violation["nodes"][:4]]
                self.problem(
                    role,
                    where,
                    f"axe {violation['impact']} {violation['id']} ({violation['help']}) "
                    f"on {targets}",
                )

    def no_sideways_scroll(self, page, role, where):
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            wide = page.evaluate(WIDER_THAN_THE_WINDOW)
            self.problem(
                role, where, f"scrolls sideways ({scroll_width}px > {inner_width}px), wider: {wide}"
            )


# The programme's staff open the most pages: their survey is a module of its own
# (test_every_page_staff.py), so that the two halves run side by side on two test workers.
STAFF_ROLES = ("staff", "manager", "super")


def survey_roles(browser, live_server, roles):
    """Opens every page of the matrix for each of `roles` and asserts that none has a problem."""
    ensure_wagtail_tree()
    world = build_world()
    pages = pages_by_role()
    survey = Survey(browser, live_server)
    started = time.monotonic()
    for role, user in world.people.items():
        if role in roles:
            survey.role(role, user, pages[role], world)
    elapsed = time.monotonic() - started
    print(
        f"every page: {survey.visited} pages opened for {len(roles)} roles, "
        f"axe run {survey.axe_runs} times ({survey.axe_seconds:.0f}s), in {elapsed:.0f}s"
    )
    # The list of pages is the matrix's: a missing role or page there would hide a page here.
    assert len(pages["staff"]) > 30 and all(pages[role] for role in ROLES)
    assert survey.visited >= sum(len(pages[role]) for role in roles) * 0.9
    problems = survey.report()
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)


def test_every_page_for_every_role_but_the_staff(browser, live_server):
    survey_roles(browser, live_server, [role for role in ROLES if role not in STAFF_ROLES])


# The focus ring of the element that has the focus, and the colour behind it: its contrast must be
# 3:1 at least (WCAG 2.4.11 / 1.4.11). The ring sits outside the element, on its parent's
# background; the first opaque background up the tree is the one it is seen against.
FOCUS_RING = """
() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  let behind = "rgb(255, 255, 255)";
  for (let box = element.parentElement; box; box = box.parentElement) {
    const colour = getComputedStyle(box).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { behind = colour; break; }
  }
  const rect = element.getBoundingClientRect();
  return {
    name: `${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""} `
      + `"${(element.textContent || element.name || "").trim().slice(0, 30)}"`,
    style: style.outlineStyle, width: parseFloat(style.outlineWidth), colour: style.outlineColor,
    behind, top: rect.top, bottom: rect.bottom,
  };
}
"""


def _luminance(rgb):
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_problems(page, presses, key="Tab", sticky=None):
    """Presses `key` and checks each element the focus reaches: a ring of 2px or more, 3:1 against
    what is behind it, and (with `sticky`, a selector) never under that sticky bar."""
    problems = []
    for _ in range(presses):
        page.keyboard.press(key)
        ring = page.evaluate(FOCUS_RING)
        if ring is None:
            continue
        if ring["style"] == "none" or ring["width"] < 2:
            problems.append(f"{ring['name']}: no focus ring ({ring['style']} {ring['width']}px)")
        elif contrast(ring["colour"], ring["behind"]) < 3:
            ratio = contrast(ring["colour"], ring["behind"])
            problems.append(
                f"{ring['name']}: focus ring {ring['colour']} on {ring['behind']}, {ratio:.1f}:1"
            )
        if sticky:
            bar = page.locator(sticky).bounding_box()
            inside = page.evaluate(f"document.activeElement.closest({sticky!r}) !== null")
            # WCAG 2.4.11: the focused element is not hidden by the bar (a sliver of 16px, or the
            # whole of a smaller element, stays in sight).
            covered = min(ring["bottom"], bar["y"] + bar["height"]) - max(ring["top"], bar["y"])
            height = ring["bottom"] - ring["top"]
            if not inside and height - max(covered, 0) < min(height, 16):
                problems.append(f"{ring['name']}: hidden under {sticky} (top {ring['top']:.0f}px)")
    return problems


def test_the_board_scrolls_on_a_desktop_reads_as_a_list_on_a_phone_and_focus_shows(
    page, live_server
):
    accompaniment = make_accompaniment(stage=Stage.LABELLING)
    cohort = accompaniment.cohort
    manager = factories.ManagerFactory(programme=cohort.programme)
    log_in(page, live_server, manager)
    board_url = reverse("accelerator:cohort_board", kwargs={"pk": cohort.pk})

    # A desktop: the board is wider than its box, says so, and takes the focus to scroll.
    page.set_viewport_size(DESKTOP)
    page.goto(board_url)
    board = page.locator(".board")
    sizes = board.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] > sizes[1], f"the board does not scroll sideways at 1280px: {sizes}"
    assert page.locator("#board-hint").is_visible()
    assert board.get_attribute("tabindex") == "0" and board.get_attribute("role") == "region"
    board.focus()
    page.keyboard.press("ArrowRight")
    for _ in range(40):  # the arrow key may scroll smoothly: wait for the first step
        if board.evaluate("e => e.scrollLeft") > 0:
            break
        page.wait_for_timeout(50)
    assert board.evaluate("e => e.scrollLeft") > 0, "the arrow keys do not scroll the board"

    # A phone: the stages one under the other, each a heading over its cards, no hint.
    page.set_viewport_size(PHONE)
    columns = page.locator(".board-column").evaluate_all(
        "columns => columns.map(c => c.getBoundingClientRect()).map(r => [r.left, r.top])"
    )
    assert len(columns) >= 6
    assert len({round(left) for left, _top in columns}) == 1, columns
    assert [top for _left, top in columns] == sorted(top for _left, top in columns), columns
    assert not page.locator("#board-hint").is_visible()
    assert page.locator(".board-column h3").count() == len(columns)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    card = page.locator(f'[data-accompaniment="{accompaniment.pk}"]')
    assert card.evaluate("c => c.closest('.board-column').dataset.stage") == Stage.LABELLING

    # Every element the keyboard reaches shows a ring of 3:1, on the board and on the
    # accompaniment page, whose sticky contents bar never hides the focused field.
    page.set_viewport_size(DESKTOP)
    page.goto(board_url)
    problems = focus_problems(page, 25)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk}))
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.locator("body").click(position={"x": 1, "y": 1})
        problems += focus_problems(page, 40, key="Shift+Tab", sticky=".journey-toc")

    # The dossier form's actions stick to the bottom of the window: the fields the keyboard
    # reaches going down are never under them.
    ensure_wagtail_tree()
    structure = factories.StructureFactory()
    owner = factories.MembershipFactory(structure=structure, role="owner").user
    dossier = factories.make_dossier(
        call=factories.make_call(form=FULL_FORM), structure=structure, answers=COMPLETE_ANSWERS
    )
    page.context.clear_cookies()
    log_in(page, live_server, owner)
    page.set_viewport_size(PHONE)
    page.goto(reverse("applications:dossier", args=[dossier.pk]))
    problems += focus_problems(page, 40, sticky=".dossier-actions")
    assert problems == [], "\n".join(problems)
