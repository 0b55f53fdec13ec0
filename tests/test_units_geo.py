"""The map's geometry (`build/geo`) on tiny inputs: the projection, the decoding of a
TopoJSON topology's arcs into rings, rings across the antimeridian, a ring's area and centre,
and SVG paths. Expected values written by hand (the projection's from the published
polynomials of Šavrič et al. 2011)."""

from __future__ import annotations

import pytest

from dipdata.make.geo import HEIGHT, WIDTH, _area_and_centre, _arcs, _path, _ring, _unwrapped, \
    countries, project


def test_the_projection_fills_the_width_and_puts_the_poles_at_the_edges():
    assert (WIDTH, HEIGHT) == (960.0, 499.2)
    assert project(0, 0) == pytest.approx((480.0, 249.5983243))
    assert project(-180, 0) == pytest.approx((0.0, 249.5983243))
    assert project(180, 0) == pytest.approx((960.0, 249.5983243))
    assert project(90, 0) == pytest.approx((720.0, 249.5983243))
    assert project(0, 90) == pytest.approx((480.0, 0.0))
    assert project(0, -90) == pytest.approx((480.0, 499.1966486))


def test_the_projection_between():
    assert project(45, 45) == pytest.approx((588.0939380, 110.4352054))
    assert project(-120, -30) == pytest.approx((173.6768453, 342.4522711))


def test_arcs_are_delta_encoded_from_zero_each_and_then_scaled_and_moved():
    topology = {"transform": {"scale": [2, 3], "translate": [10, 20]},
                "arcs": [[[1, 1], [2, -1], [0, 2]], [[0, 0]], [[4, 5]]]}
    assert _arcs(topology) == [[(12, 23), (16, 20), (16, 26)], [(10, 20)], [(18, 35)]]


A, B, C, D = (0, 0), (1, 0), (1, 1), (0, 1)


def test_a_ring_joins_its_arcs_without_repeating_the_shared_points():
    arcs = [[A, B, C], [C, D, A], [A, D, C]]
    assert _ring([0, 1], arcs) == [A, B, C, D, A]
    # ~2 (that is -3) is arc 2 walked backwards
    assert _ring([0, ~2], arcs) == [A, B, C, D, A]
    assert _ring([~0], arcs) == [C, B, A]
    assert _ring([~1, ~0], arcs) == [A, D, C, B, A]
    assert _ring([], arcs) == []


def test_a_ring_within_the_map_is_drawn_once():
    ring = [(10, 0), (20, 0), (20, 10)]
    assert _unwrapped(ring) == [ring]
    # a step of exactly 180 degrees is not a crossing, and 180 itself is on the map
    edge = [(0, 0), (180, 0), (180, 10), (0, 0)]
    assert _unwrapped(edge) == [edge]
    edge = [(0, 0), (-180, 0), (-180, 10), (0, 0)]
    assert _unwrapped(edge) == [edge]
    # a step of 181 degrees is one of 179 the other way
    assert _unwrapped([(-1, 0), (180, 0), (180, 5)]) == [[(-1, 0), (-180, 0), (-180, 5)]]
    assert _unwrapped([(1, 0), (-180, 0), (-180, 5)]) == [[(1, 0), (180, 0), (180, 5)]]


def test_a_ring_across_the_antimeridian_is_made_continuous_and_drawn_on_each_side():
    east = [(170, 0), (-170, 0), (-170, 10), (170, 10)]
    assert _unwrapped(east) == [[(170, 0), (190, 0), (190, 10), (170, 10)],
                                [(-190, 0), (-170, 0), (-170, 10), (-190, 10)]]
    west = [(-170, 0), (170, 0), (170, 10), (-170, 10)]
    assert _unwrapped(west) == [[(-170, 0), (-190, 0), (-190, 10), (-170, 10)],
                                [(190, 0), (170, 0), (170, 10), (190, 10)]]
    # one degree beyond is beyond
    assert _unwrapped([(179, 0), (-179, 0), (-179, 5)]) == [
        [(179, 0), (181, 0), (181, 5)], [(-181, 0), (-179, 0), (-179, 5)]]
    assert _unwrapped([(-179, 0), (179, 0), (179, 5)]) == [
        [(-179, 0), (-181, 0), (-181, 5)], [(181, 0), (179, 0), (179, 5)]]


def test_a_ring_going_round_more_than_once_is_brought_back_step_by_step():
    assert _unwrapped([(0, 0), (700, 0), (-700, 5)]) == [[(0, 0), (-20, 0), (20, 5)]]


def test_area_and_centre_of_a_ring_either_way_round():
    rectangle = [(0, 0), (4, 0), (4, 2), (0, 2)]
    assert _area_and_centre(rectangle) == (8.0, (2.0, 1.0))
    assert _area_and_centre(rectangle[::-1]) == (8.0, (2.0, 1.0))
    triangle = [(0, 0), (6, 0), (0, 3)]
    assert _area_and_centre(triangle) == (9.0, (2.0, 1.0))
    moved = [(x + 10, y + 20) for x, y in triangle]
    assert _area_and_centre(moved) == (9.0, (12.0, 21.0))


def test_a_flat_ring_has_no_area_and_its_first_point_as_centre():
    assert _area_and_centre([(1, 1), (2, 2), (3, 3)]) == (0.0, (1, 1))


def test_a_path_has_one_decimal_and_no_point_twice_in_a_row():
    assert _path([[(0, 0), (1.04, 2), (1.0, 2.0), (3.25, 4.96)]]) == \
        "M0.0,0.0L1.0,2.0L3.2,5.0Z"
    # a ring that comes back to its start keeps both ends; rings follow each other
    assert _path([[(0, 0), (1, 0), (0, 0)], [(5, 5), (6, 6), (6, 6)]]) == \
        "M0.0,0.0L1.0,0.0L0.0,0.0ZM5.0,5.0L6.0,6.0Z"
    assert _path([]) == ""


def test_countries_carry_codes_names_and_centres_inside_the_map():
    """A few countries of the vendored topology (uncached: the helpers run again)."""
    found = {c.name: c for c in countries.__wrapped__()}
    assert found["Kazakhstan"].code == "KZ" and found["France"].code == "FR"
    assert found["Kosovo"].code is None
    assert found["Fiji"].path.count("M") > 2  # across the antimeridian: drawn on each side
    for country in found.values():
        assert 0 <= country.centre[0] <= WIDTH and 0 <= country.centre[1] <= HEIGHT
        assert country.path.startswith("M") and country.path.endswith("Z")
    x, y = found["Kazakhstan"].centre
    assert project(50, 55)[0] < x < project(80, 55)[0] and project(0, 55)[1] < y < \
        project(0, 40)[1]
