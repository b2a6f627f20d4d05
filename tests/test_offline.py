"""jinchang.sphinxext.offline without a browser: icon CSS, lang markup, the external-asset guard."""

from __future__ import annotations

from types import SimpleNamespace

from docutils import nodes

from jinchang.sphinxext import offline
from jinchang.sphinxext.claims import en, zh


def test_icons_css_draws_the_theme_icons_without_its_font():
    css = offline.icons_css()
    rules = dict(line.rstrip("}").split("{", 1) for line in css.splitlines()[1:])
    drawn = ",".join(selectors for selectors, body in rules.items() if "--jinchang-icon:url(" in body).split(",")
    assert {f".fa-{name}::before" for name in offline.ICONS} <= set(drawn)  # icons of the theme's templates
    assert "a.reference.download:before" in drawn  # and of its CSS
    assert "url(http" not in css and "fontawesome.js" in css  # data: URLs only; says where the paths come from


def test_english_edition_marks_chinese_runs_once_and_leaves_code_alone():
    code = nodes.literal("金昌", "金昌")
    paragraph = nodes.paragraph("", "", nodes.Text("Jinchang (金昌) said so on 6月4日."), code, zh("镍都", "镍都"))
    section = nodes.section("", nodes.title("", "Parks (园区提质)"), paragraph)
    for _ in range(2):  # idempotent: read time, then again once resolved
        offline.mark_languages(section, "en")
    assert [node.astext() for node in section.findall(zh)] == ["园区提质", "金昌", "6月4日", "镍都"]
    assert section[0].astext() == "Parks (园区提质)"
    assert code.children == [nodes.Text("金昌")], "code keeps its text as it is"


def test_chinese_edition_marks_latin_runs_once_and_leaves_code_alone():
    code = nodes.literal("claims.csv", "claims.csv")
    paragraph = nodes.paragraph("", "", nodes.Text("引用格式为 GB/T 7714，面积单位 km²。"), code, en("CSV", "CSV"))
    section = nodes.section("", nodes.title("", "数据（CC BY）"), paragraph)
    for _ in range(2):
        offline.mark_languages(section, "zh")
    assert [node.astext() for node in section.findall(en)] == ["CC BY", "GB/T 7714", "km²", "CSV"]
    assert not list(section.findall(zh)), "Chinese text is the page's own language"
    assert code.children == [nodes.Text("claims.csv")]


def test_a_script_from_another_site_is_a_warning(monkeypatch):
    warnings = []
    monkeypatch.setattr(offline, "logger", SimpleNamespace(warning=lambda message, **kw: warnings.append(message)))
    context = {"script_files": ["_static/local.js", "https://cdn.example.org/mathjax.js"],
               "css_files": ["//fonts.example.org/font.css"], "title": "T"}
    offline.check_page(None, "chapters/x", "page.html", context, None)
    assert [w.split()[0] for w in warnings] == ["https://cdn.example.org/mathjax.js", "//fonts.example.org/font.css"]
    assert context["default_mode"] == "auto"
