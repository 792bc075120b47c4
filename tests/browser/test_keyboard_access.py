"""Every action reachable by keyboard (issue 16, point 7): Tab from the top of the desk and
of the personal page reaches their main actions, each stop with a focus ring that shows
(3:1 against what surrounds it), and the action works from the keyboard alone.

The pages are served as in ``test_accessibility`` (the Flask test client behind Chromium).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.browser.test_accessibility import Scene, choose_language, contexts, open_page

__all__ = ["contexts"]  # the fixture, used by name

# The focused element, and whether its ring shows: a :focus-visible outline of 2 px or more
# whose colour stands 3:1 against what surrounds it (WCAG 1.4.11): the background painted
# just left of the element (the skip link sits over the header, not over its parent), or
# the element's own for a ring drawn inside it.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const inset = parseFloat(style.outlineOffset) < 0;  // a ring drawn inside the element
  const beside = inset ? el : document.elementsFromPoint(
    Math.max(0, box.left - 6), box.top + box.height / 2,
  ).find((n) => n !== el && !el.contains(n)) || el.parentElement;
  let around = [255, 255, 255];
  for (let node = beside; node; node = node.parentElement) {
    const bg = rgb(getComputedStyle(node).backgroundColor);
    if (bg.length === 3 || (bg.length === 4 && bg[3] > 0)) { around = bg.slice(0, 3); break; }
  }
  const [a, b] = [lum(rgb(style.outlineColor)), lum(around)].sort((x, y) => y - x);
  const contrast = (a + 0.05) / (b + 0.05);
  return {
    selector: el.id ? '#' + el.id : el.tagName.toLowerCase(),
    name: el.name || '',
    text: (el.innerText || el.value || '').trim().slice(0, 40),
    contrast: Math.round(contrast * 10) / 10,
    ring: el.matches(':focus-visible') && style.outlineStyle !== 'none'
      && parseFloat(style.outlineWidth) >= 2 && contrast >= 3,
  };
}"""


# Focus the body for a moment: the next Tab goes to the page's first focusable element,
# whatever had focus (the desk's autofocus field).
START_AT_TOP = """() => {
  document.body.tabIndex = -1;
  document.body.focus();
  document.body.removeAttribute('tabindex');
  window.scrollTo(0, 0);
}"""


def tab_stops(tab: Any, limit: int = 60) -> list[dict[str, Any]]:
    """Tab from the top of the page: where the focus lands, stop by stop."""
    tab.evaluate(START_AT_TOP)
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        tab.keyboard.press("Tab")
        stop = tab.evaluate(FOCUSED)
        if stop is None or (stops and stop == stops[0]):
            break
        stops.append(stop)
    return stops


def test_the_desk_is_worked_from_the_keyboard_with_a_visible_focus(
    app: Flask, contexts: Any
) -> None:
    scene = Scene(app)
    tab = contexts(viewport={"width": 1280, "height": 720})
    choose_language(scene.clients, "id")
    open_page(tab, scene.staff.client, f"/desk/{scene.rakor.site.code}", "id")
    stops = tab_stops(tab)
    reached = [stop["selector"] for stop in stops]
    assert stops[0]["text"] == "Lompat ke isi", stops  # the skip link comes first
    assert "desk-mode" in [stop["name"] for stop in stops], stops
    for action in ("#desk-code", "#desk-camera"):
        assert action in reached, (action, reached)
    assert all(stop["ring"] for stop in stops), [s for s in stops if not s["ring"]]

    # A code typed and sent from the keyboard alone gets its answer in the result card.
    tab.focus("#desk-code")
    tab.keyboard.type("BUKAN-KARTU-UNDANGAN")
    tab.keyboard.press("Enter")
    tab.wait_for_function("document.getElementById('desk-result').dataset.state !== 'idle'")
    assert tab.locator("#desk-result-message, #desk-result-status").first.inner_text()


def test_the_personal_page_answers_from_the_keyboard_with_a_visible_focus(
    app: Flask, contexts: Any
) -> None:
    scene = Scene(app)
    tab = contexts(viewport={"width": 390, "height": 844})
    choose_language(scene.clients, "id")
    open_page(tab, scene.anonymous, f"/i/{scene.token}", "id")
    stops = tab_stops(tab, limit=80)
    assert "rsvp" in [stop["name"] for stop in stops], stops
    assert any(stop["text"] == "Kirim jawaban" for stop in stops), stops
    assert all(stop["ring"] for stop in stops), [s for s in stops if not s["ring"]]

    # Answer with the keyboard alone: Tab to the choices, arrows to pick, Enter to send.
    tab.evaluate(START_AT_TOP)
    for _ in range(80):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.name") == "rsvp":
            break
    tab.keyboard.press("Space")
    chosen = tab.evaluate("document.activeElement.value")
    tab.keyboard.press("Enter")  # submits the radio's form
    tab.wait_for_selector(".alert-success")
    assert tab.locator("input[name=rsvp]:checked").get_attribute("value") == chosen
