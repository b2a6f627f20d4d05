"""Reuse: each figure's kit page, embed snippet and data package; the whole data package; the wheel.

Every data package is unzipped and validated with frictionless, as a reuser would; every zip
and the wheel are made twice and must be byte-identical (the whole site's bytes are compared
across builds in test_reproducible.py).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import frictionless
import pytest
from bs4 import BeautifulSoup

from jinchang import __version__, archive, citation, kit, paths, wheel
from jinchang.chartfiles import size_attributes
from jinchang.sphinxext import kits

from .test_book import page, toc_docnames
from .test_citation import citation_under, figure_number, formats, published_figures


@pytest.fixture(scope="module")
def figures(book) -> dict:
    return published_figures(book)


def unzip(path: Path, into: Path) -> Path:
    with zipfile.ZipFile(path) as archive_file:
        archive_file.extractall(into)
    return into


def valid(package: Path) -> None:
    report = frictionless.Package(str(package)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def kit_soup(book: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((book / "figures" / name / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.build
def test_each_figure_links_to_its_kit_page(book, figures):
    for name, (docname, figure) in figures.items():
        link = figure.find_next_sibling("p", class_="figure-reuse")
        assert link is not None and link.a.get_text() == "Reuse this figure", name
        assert link.a["href"] == f"../figures/{name}/index.html"
        assert link.find_next_sibling("details") is citation_under(figure)
    for entry in page(book, "chapters/figures").select("li.figure-entry"):
        name = entry["id"].removeprefix("entry-")
        assert entry.select_one("p.figure-reuse a")["href"] == f"../figures/{name}/index.html"


@pytest.mark.build
def test_each_kit_shows_every_layout_written_and_cites_the_figure(book, figures):
    for name, (docname, figure) in figures.items():
        soup = kit_soup(book, name)
        number = figure_number(figure)
        assert soup.select_one("article h1").get_text().startswith(f"Reuse {number}: ")
        assert soup.select_one(f'a[href="../../{docname}.html#{name}"]')
        layouts = [suffix for suffix, _ in kits.LAYOUTS if (book / "figures" / f"{name}{suffix}.svg").is_file()]
        assert layouts[0] == ""  # the wide layout always exists
        shown = [img["src"] for img in soup.select("figure.kit-layout img")]
        assert shown == [f"../{name}{suffix}.svg" for suffix in layouts]
        for suffix in layouts:
            for ext in ("svg", "png"):
                assert soup.select_one(f'a[download][href="../{name}{suffix}.{ext}"]'), (name, suffix, ext)
        assert formats(soup.select_one("#cite details.citation")) == formats(citation_under(figure))
        assert soup.select_one("span.Z3988")


@pytest.mark.build
def test_each_embed_snippet_frames_the_embed_page_at_the_charts_aspect_ratio(book, figures):
    for name, (docname, figure) in figures.items():
        snippet = BeautifulSoup(kit_soup(book, name).select_one("#embed pre").get_text(), "html.parser")
        frame = snippet.iframe
        image = figure.select_one("img")
        # The embed page shows the wide chart with its title, subtitle and source: the download's size.
        width, height = size_attributes((book / "figures" / f"{name}.svg").read_bytes())
        assert frame["src"] == f"{citation.book_url()}/figures/{name}/embed.html"
        assert (frame["width"], frame["height"]) == (str(width), str(height))
        assert f"aspect-ratio:{width}/{height}" in frame["style"]
        credit = snippet.figcaption.get_text()
        assert figure_number(figure) in credit and __version__ in credit and "CC BY 4.0" in credit
        embed = BeautifulSoup((book / "figures" / name / "embed.html").read_text(encoding="utf-8"), "html.parser")
        assert embed.img["src"] == f"../{name}.svg" and embed.img["alt"] == image["alt"]
        assert len(embed.body.find_all(True)) == 2  # the chart, linked to its kit: nothing else


@pytest.mark.build
def test_each_kit_data_package_validates_and_holds_the_published_csv(book, figures, tmp_path):
    for name, (docname, figure) in figures.items():
        zipped = book / "figures" / name / f"{name}.zip"
        assert kit_soup(book, name).select_one(f'#data a[download][href="{name}.zip"]')
        folder = unzip(zipped, tmp_path / name) / name
        assert sorted(p.name for p in folder.iterdir()) == ["README.md", "datapackage.json", f"{name}.csv"]
        valid(folder / "datapackage.json")
        assert (folder / f"{name}.csv").read_bytes() == (book / "figures" / f"{name}.csv").read_bytes()
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        assert descriptor["licenses"][0]["name"] == "CC-BY-4.0" and descriptor["version"] == __version__
        assert descriptor["sources"], name
        fields = descriptor["resources"][0]["schema"]["fields"]
        header = (folder / f"{name}.csv").read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        assert [f["name"] for f in fields] == header
        assert all(f.get("description") for f in fields), [f["name"] for f in fields if not f.get("description")]
        readme = (folder / "README.md").read_text(encoding="utf-8")
        for text in formats(citation_under(figure)).values():
            assert text in readme, name


@pytest.mark.build
def test_the_whole_data_package_is_linked_and_validates_unzipped(book, tmp_path):
    zipped = book / kits.DOWNLOADS / kit.DATA_ZIP
    for docname in ("index", "chapters/claims", "chapters/sources"):
        root = "../" * docname.count("/")
        assert page(book, docname).select_one(f'a.book-download[href="{root}{kits.DOWNLOADS}/{kit.DATA_ZIP}"]'), docname
    assert not page(book, "chapters/claims").select('a[href*="_downloads/"][href$="datapackage.json"]')
    folder = unzip(zipped, tmp_path) / kit.DATA_FOLDER
    valid(folder / "datapackage.json")
    shipped = archive.files_under(folder)
    assert shipped.keys() == archive.files_under(paths.DATA).keys()
    for name, content in archive.files_under(paths.DATA).items():
        if name != "README.md":
            assert shipped[name] == content, name
    readme = shipped["README.md"].decode()
    assert readme.startswith(f"# {citation.configured_book().title}") and "frictionless validate" in readme
    assert (paths.DATA / "README.md").read_text(encoding="utf-8").split("\n", 1)[1].strip() in readme


def test_zips_are_byte_reproducible_and_carry_the_release_date(tmp_path):
    book = citation.configured_book()
    first = archive.write_zip(tmp_path / "a.zip", kit.data_package(book))
    second = archive.write_zip(tmp_path / "b.zip", dict(reversed(list(kit.data_package(book).items()))))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zipped:
        infos = zipped.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    released = citation_released()
    assert {i.date_time[:3] for i in infos} == {released}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def citation_released() -> tuple[int, int, int]:
    import yaml

    date = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))["date-released"]
    return tuple(int(part) for part in date.split("-"))


@pytest.mark.build
def test_the_wheel_is_published_with_the_data_inside_and_rebuilds_to_the_same_bytes(book, tmp_path):
    published = book / kits.DOWNLOADS / wheel.FILE_NAME
    assert published.is_file() and wheel.FILE_NAME.startswith(f"jinchang-{__version__}-")
    assert page(book, "index").select_one(f'a.book-download[href="{kits.DOWNLOADS}/{wheel.FILE_NAME}"]')
    with zipfile.ZipFile(published) as zipped:
        names = set(zipped.namelist())
    for name in archive.files_under(paths.DATA):
        assert f"jinchang/bundled/data/{name}" in names, name
    assert "jinchang/bundled/_config.yml" in names and "jinchang/paths.py" in names
    assert wheel.build(tmp_path).read_bytes() == published.read_bytes()


def test_a_build_that_fails_writing_the_downloads_stops_the_wheel_building_beside_it(tmp_path, monkeypatch):
    building = wheel.Building(tmp_path / "downloads")
    process, folder = building._process, Path(building._folder.name)
    app = SimpleNamespace(builder=SimpleNamespace(format="html", globalcontext={}),
                          config=SimpleNamespace(jinchang_edition="en"), jinchang_wheel=(building, None, None))

    def full_disk(_app):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kits, "write_kits", full_disk)
    with pytest.raises(OSError, match="No space left"):
        kits.write_downloads(app, None)
    assert process.returncode is not None and not folder.exists()
    assert not list((tmp_path / "downloads").glob("*.whl"))

