"""HTTP metrics summed per process and moved to Prometheus values when read
(``service/api/httpmetrics.py``): the same samples as one ``observe``/``inc`` a request."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Histogram

from service.api.httpmetrics import (
    APP_NAME,
    DURATION,
    ERRORS,
    IN_PROGRESS,
    LABELS,
    REQUESTS,
    HttpStats,
    counted,
)


def _samples(metric: object, labels: dict[str, str]) -> dict[tuple[str, str], float]:
    out = {}
    for family in metric.collect():  # type: ignore[attr-defined]
        for s in family.samples:
            if s.name.endswith("_created"):
                continue
            if all(s.labels.get(k) == v for k, v in labels.items()):
                out[s.name, s.labels.get("le", "")] = s.value
    return out


def test_flushed_sums_equal_one_observation_a_request() -> None:
    stats = HttpStats()
    path = "/test/flush/{id}"
    durations = [0.0, 0.004, 0.005, 0.0051, 0.3, 0.75, 9.9, 10.0, 12.0, 0.02]
    for seconds in durations:
        stats.record("GET", path, 200, seconds, now=0.0)
    stats.record("GET", path, 503, 0.1, now=0.0)
    stats.flush()

    reference = Histogram("ref_seconds", "reference", LABELS, registry=CollectorRegistry())
    for seconds in durations:
        reference.labels("GET", path, "200", APP_NAME).observe(seconds)
    labels = {"method": "GET", "path": path, "status_code": "200", "app_name": APP_NAME}
    ours = {
        (n.replace("newsmeta_request_duration_seconds", "ref_seconds"), le): v
        for (n, le), v in _samples(DURATION, labels).items()
    }
    assert ours == _samples(reference, labels)
    assert REQUESTS.labels("GET", path, "200", APP_NAME)._value.get() == len(durations)
    assert REQUESTS.labels("GET", path, "503", APP_NAME)._value.get() == 1
    assert ERRORS.labels("GET", path, "503", APP_NAME)._value.get() == 1
    assert ("GET", path, "200", APP_NAME) not in {
        tuple(s.labels[k] for k in LABELS) for f in ERRORS.collect() for s in f.samples
    }

    # Nothing new: a second flush adds nothing.
    stats.flush()
    assert REQUESTS.labels("GET", path, "200", APP_NAME)._value.get() == len(durations)


def test_in_progress_is_the_routed_requests_running_at_flush() -> None:
    stats = HttpStats()
    handler = object()
    routed = {
        "type": "http",
        "method": "GET",
        "path": "/v1/x",
        "path_template": "/v1/x",
        "route_handler": handler,
    }
    unrouted = {"type": "http", "method": "GET", "path": "/nowhere"}
    excluded = {
        "type": "http",
        "method": "GET",
        "path": "/metrics",
        "path_template": "/metrics",
        "route_handler": handler,
    }
    assert counted(routed) and not counted(unrouted) and not counted(excluded)
    gauge = IN_PROGRESS.labels("GET", "/v1/x", "200", APP_NAME)
    for scope in (routed, dict(routed), unrouted, excluded):
        stats.running[id(scope)] = scope
    stats.flush()
    assert gauge._value.get() == 2
    stats.running.clear()
    stats.flush()
    assert gauge._value.get() == 0
