"""Grid boundaries uploaded as GeoJSON: checked whole before anything is stored.

A district's GIS office exports its grids as a FeatureCollection; each feature must be a
Polygon or MultiPolygon (longitude/latitude, WGS-84) naming its grid by code in its properties
("code", "grid_code" or "网格编码"). A file that breaks any rule is refused with one Chinese
sentence saying which feature and why, and nothing changes: the caller stores the result only
when every feature passed.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

MAX_BYTES = 2 * 1024 * 1024
MAX_FEATURES = 2000
MAX_POINTS = 200_000
CODE_KEYS = ("code", "grid_code", "网格编码")
POLYGON_TYPES = ("Polygon", "MultiPolygon")


class BoundaryError(ValueError):
    """The file is refused; the text says why, in Chinese, for the person who uploaded it."""


@dataclass(frozen=True)
class Parsed:
    """code → the geometry to store (as compact JSON text)."""

    boundaries: dict[str, str]


def _feature_code(props) -> str | None:
    if not isinstance(props, Mapping):
        return None
    for key in CODE_KEYS:
        value = props.get(key)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return None


def _check_ring(ring, where: str) -> int:
    if not isinstance(ring, list) or len(ring) < 4:
        raise BoundaryError(f"{where}：多边形的边界至少需要 4 个坐标点（首尾相同）。")
    for point in ring:
        if (not isinstance(point, list) or len(point) < 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                           for v in point[:2])):
            raise BoundaryError(f"{where}：坐标必须是 [经度, 纬度] 数字。")
        lon, lat = point[0], point[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise BoundaryError(f"{where}：坐标 [{lon}, {lat}] 超出经纬度范围（请使用 WGS-84 经纬度）。")
    if ring[0][:2] != ring[-1][:2]:
        raise BoundaryError(f"{where}：多边形边界没有闭合（首尾坐标应相同）。")
    return len(ring)


def _check_geometry(geometry, where: str) -> int:
    if not isinstance(geometry, Mapping) or geometry.get("type") not in POLYGON_TYPES:
        kind = geometry.get("type") if isinstance(geometry, Mapping) else "空"
        raise BoundaryError(f"{where}：只接受面（Polygon 或 MultiPolygon），这里是「{kind}」。")
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        raise BoundaryError(f"{where}：没有坐标。")
    points = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise BoundaryError(f"{where}：没有坐标。")
        for ring in polygon:
            points += _check_ring(ring, where)
    return points


def too_large(size: int) -> str:
    return (f"文件太大（{size / 1024 / 1024:.1f} MB），上限 {MAX_BYTES // 1024 // 1024} MB。"
            "请简化边界后再上传。")


def parse(raw: bytes, grid_codes: set[str]) -> Parsed:
    """Check a whole file against the grids the uploader may change; raise BoundaryError."""
    if not raw:
        raise BoundaryError("请选择一个 GeoJSON 文件。")
    if len(raw) > MAX_BYTES:
        raise BoundaryError(too_large(len(raw)))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise BoundaryError("文件不是有效的 GeoJSON（JSON 格式错误或不是 UTF-8 编码）。") from None
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise BoundaryError("文件必须是 GeoJSON FeatureCollection（type 为 FeatureCollection，含 features 列表）。")
    features = data["features"]
    if not features:
        raise BoundaryError("文件里没有任何网格边界。")
    if len(features) > MAX_FEATURES:
        raise BoundaryError(f"网格边界过多（{len(features)} 个），上限 {MAX_FEATURES} 个。")
    out: dict[str, str] = {}
    points = 0
    for i, feature in enumerate(features, start=1):
        where = f"第 {i} 个要素"
        if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
            raise BoundaryError(f"{where}：不是 GeoJSON Feature。")
        code = _feature_code(feature.get("properties"))
        if code is None:
            raise BoundaryError(f"{where}：properties 里缺少网格编码（code、grid_code 或 网格编码）。")
        where = f"第 {i} 个要素（网格编码 {code[:40]}）"
        if code not in grid_codes:
            raise BoundaryError(f"{where}：没有这个网格，或不在您的管辖范围内。")
        if code in out:
            raise BoundaryError(f"{where}：同一网格出现了两次。")
        points += _check_geometry(feature.get("geometry"), where)
        if points > MAX_POINTS:
            raise BoundaryError(f"坐标点过多（超过 {MAX_POINTS} 个），请简化边界后再上传。")
        geometry = feature["geometry"]
        out[code] = json.dumps({"type": geometry["type"], "coordinates": geometry["coordinates"]},
                               separators=(",", ":"))
    return Parsed(out)
