"""Pattern fills of SVG charts (matplotlib's hatching) drawn as vectors, for print.

Chromium's PDF writer turns an SVG ``<pattern>`` fill into an image of 72 dpi. For print, each
shape filled with a pattern is drawn instead as the pattern's tiles, laid side by side over the
shape's bounding box and clipped to the shape: the same drawing, in vectors. Only what
matplotlib writes is understood (tiles in user space, shapes that are paths of absolute
coordinates); anything else is an error rather than a silently raster chart.
"""

from __future__ import annotations

import math
import re

from lxml import etree

from . import PrintError

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
_FILL = re.compile(r"fill:\s*url\(#([^)]+)\)")
_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ABSOLUTE = set("MLCQZz")  # path commands whose numbers are all points in user space


def _q(tag: str) -> str:
    return f"{{{SVG}}}{tag}"


def _bounds(shape: etree._Element, where: str) -> tuple[float, float, float, float]:
    """The box of the shape's points (control points included: the clip makes it exact)."""
    tokens = _TOKEN.findall(shape.get("d", "")) if shape.tag == _q("path") else ["?"]
    if {t for t in tokens if t.isalpha() or t == "?"} - ABSOLUTE:
        raise PrintError(f"{where}: a pattern fill on a <{etree.QName(shape).localname}> that is not a path "
                         "of absolute M, L, C, Q and z")
    numbers = [float(t) for t in tokens if not t.isalpha()]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _tile(pattern: etree._Element, where: str) -> tuple[float, float, float, float]:
    units = pattern.get("patternUnits")
    if units != "userSpaceOnUse" or pattern.get("patternTransform") or pattern.get("viewBox") \
            or pattern.get("patternContentUnits", "userSpaceOnUse") != "userSpaceOnUse":
        raise PrintError(f"{where}: pattern {pattern.get('id')!r} is not a plain user-space tile")
    return tuple(float(pattern.get(a, "0")) for a in ("x", "y", "width", "height"))


def vector_hatching(svg: bytes, where: str) -> bytes | None:
    """``svg`` with every pattern fill drawn as clipped tiles; None if it has no pattern fill."""
    if b"<pattern" not in svg:
        return None
    root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True))
    patterns = {p.get("id"): p for p in root.iter(_q("pattern"))}
    defs = etree.SubElement(root, _q("defs"))
    for pid, pattern in patterns.items():
        x, y, width, height = _tile(pattern, where)
        clip = etree.SubElement(defs, _q("clipPath"), id=f"{pid}-tile-clip")
        etree.SubElement(clip, _q("rect"), x="0", y="0", width=str(width), height=str(height))
        tile = etree.SubElement(defs, _q("g"), id=f"{pid}-tile")
        inner = etree.SubElement(tile, _q("g"), {"clip-path": f"url(#{pid}-tile-clip)"})
        inner.extend(list(pattern))
        pattern.getparent().remove(pattern)
    for number, shape in enumerate(list(root.iter())):
        match = _FILL.search(shape.get("style", "") if isinstance(shape.tag, str) else "")
        if not match or match.group(1) not in patterns:
            continue
        pid = match.group(1)
        x, y, width, height = _tile(patterns[pid], where)
        left, top, right, bottom = _bounds(shape, where)
        clip = etree.SubElement(defs, _q("clipPath"), id=f"{pid}-shape-{number}")
        etree.SubElement(clip, _q("path"), d=shape.get("d"))
        hatch = etree.Element(_q("g"), {"clip-path": f"url(#{pid}-shape-{number})"})
        for i in range(math.floor((left - x) / width), math.ceil((right - x) / width)):
            for j in range(math.floor((top - y) / height), math.ceil((bottom - y) / height)):
                etree.SubElement(hatch, _q("use"), {f"{{{XLINK}}}href": f"#{pid}-tile",
                                                     "x": f"{x + i * width:g}", "y": f"{y + j * height:g}"})
        outer = etree.Element(_q("g"), {k: shape.get(k) for k in ("clip-path", "transform") if shape.get(k)})
        outer.append(hatch)
        shape.addprevious(outer)
        shape.set("style", _FILL.sub("fill: none", shape.get("style")))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
