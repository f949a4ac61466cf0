#!/usr/bin/env python3
"""Writes Twinflow's test events: the bad-input corpus, sample Kinesis Lambda events and a
scheduled event. Python 3 standard library only; the output is byte-for-byte reproducible
(fixed seed, fixed clock, sorted keys where order does not matter).

    python3 events/generate_events.py            # rewrite everything under events/
    python3 events/generate_events.py --check    # fail if the committed files are stale

See events/README.md for what each file is.
"""

import argparse
import base64
import hashlib
import json
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# The valid base every "one thing wrong" record starts from (schema version 1).
BASE_TS = "2026-11-24T10:15:30.123Z"
# sensor-0041 hashes into the lower half of the key space, i.e. shard 0 of a two-shard stream.
BASE_DEVICE = "sensor-0041"

REGION = "eu-central-1"
ACCOUNT = "123456789012"
STREAM_ARN = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/twinflow-telemetry"
INVOKE_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/twinflow-stream-processor"
SHARD_ID = "shardId-000000000000"
SHARD_COUNT = 2  # PipelineSpec.defaults(): the stream has two shards

# A real Kinesis sequence number (56 decimal digits) to count up from.
FIRST_SEQUENCE = 49590338271490256608559692538361571095921575989136588898

MIB = 1024 * 1024


# --------------------------------------------------------------------------------------------
# A tiny JSON writer: the corpus needs text that json.dumps refuses to write (NaN spelled the
# way a device would, duplicate keys, 1e400...), so every value is written by hand.

class Raw:
    """A JSON fragment written exactly as given."""

    def __init__(self, text):
        self.text = text


MISSING = object()  # as an override: drop the field


def to_json(value):
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(to_json(k) + ":" + to_json(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(to_json(v) for v in value) + "]"
    if isinstance(value, Pairs):
        return "{" + ",".join(to_json(k) + ":" + to_json(v) for k, v in value.items) + "}"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float, str)):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {value!r}")


class Pairs:
    """An object written from (key, value) pairs, so a key may appear twice."""

    def __init__(self, *items):
        self.items = items


def event_id(slug):
    """A stable UUID per corpus record, so the files never change between runs."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "https://twinflow.io/events/bad-input/" + slug))


def base_event(slug):
    return {
        "schemaVersion": 1,
        "eventId": event_id(slug),
        "deviceId": BASE_DEVICE,
        "ts": BASE_TS,
        "metrics": {"temperature": 21.5, "humidity": 40.2, "battery": 0.87},
        "location": {"lat": 52.52, "lon": 13.4},
    }


def event(slug, **overrides):
    """The base event with some fields replaced (or dropped with MISSING), as UTF-8 bytes."""
    fields = base_event(slug)
    for name, value in overrides.items():
        if value is MISSING:
            del fields[name]
        else:
            fields[name] = value
    return to_json(fields).encode("utf-8")


def metrics_with(**values):
    m = {"temperature": 21.5, "humidity": 40.2, "battery": 0.87}
    m.update(values)
    return m


def nested(levels):
    """An unknown field holding `levels` nested objects: {"a":{"a":...{}...}}."""
    return Raw('{"a":' * (levels - 1) + "{}" + "}" * (levels - 1))


def splice(slug, marker, replacement):
    """The base event with the bytes of `marker` replaced: for bytes no JSON writer produces."""
    data = event(slug)
    assert data.count(marker) == 1, marker
    return data.replace(marker, replacement)


# --------------------------------------------------------------------------------------------
# The bad-input corpus: (slug, expected reason code, bytes). Numbered in this order.

def corpus():
    c = []

    def add(slug, reason, data):
        c.append((slug, reason, data))

    # Encoding: checked before the bytes are parsed at all.
    add("invalid-utf8-lone-continuation", "INVALID_UTF8",
        splice("invalid-utf8-lone-continuation", b'"sensor-0041"', b'"sensor-\x800041"'))
    add("invalid-utf8-truncated-sequence", "INVALID_UTF8",
        # E2 82 AC is the euro sign; the final byte is missing before the closing quote.
        splice("invalid-utf8-truncated-sequence", b'"sensor-0041"', b'"sensor-0041\xe2\x82"'))
    add("invalid-utf8-overlong-slash", "INVALID_UTF8",
        # C0 AF is an overlong '/': the classic path-traversal smuggling trick.
        splice("invalid-utf8-overlong-slash", b'"sensor-0041"', b'"sensor\xc0\xaf0041"'))
    add("invalid-utf8-overlong-three-byte", "INVALID_UTF8",
        splice("invalid-utf8-overlong-three-byte", b'"sensor-0041"', b'"sensor\xe0\x80\xad0041"'))
    add("invalid-utf8-surrogate", "INVALID_UTF8",
        # ED A0 80 is U+D800, a UTF-16 surrogate, which UTF-8 must not encode.
        splice("invalid-utf8-surrogate", b'"sensor-0041"', b'"sensor-\xed\xa0\x800041"'))
    add("utf16le-with-bom", "INVALID_UTF8",
        b"\xff\xfe" + event("utf16le-with-bom").decode("utf-8").encode("utf-16-le"))
    add("utf16be-with-bom", "INVALID_UTF8",
        b"\xfe\xff" + event("utf16be-with-bom").decode("utf-8").encode("utf-16-be"))
    add("latin1-degree-sign", "INVALID_UTF8",
        # A device that writes ISO-8859-1: the unit "°C" as the single byte B0.
        event("latin1-degree-sign", unit=Raw('"\xb0C"')).decode("utf-8").encode("latin-1"))

    # Not one JSON value.
    add("not-json", "INVALID_JSON", b"temperature=21.5;humidity=40.2;battery=0.87\n")
    add("empty-record", "INVALID_JSON", b"")
    add("whitespace-only", "INVALID_JSON", b" \r\n\t\n")
    add("trailing-garbage", "INVALID_JSON", event("trailing-garbage") + b"garbage")
    add("two-concatenated-events", "INVALID_JSON",
        event("two-concatenated-events") + event("two-concatenated-events-second"))
    add("truncated-json", "INVALID_JSON", event("truncated-json")[:-20])
    add("single-quoted-json", "INVALID_JSON",
        event("single-quoted-json").replace(b'"', b"'"))
    add("nul-terminated", "INVALID_JSON", event("nul-terminated") + b"\x00")
    add("nul-byte-inside-string", "INVALID_JSON",
        splice("nul-byte-inside-string", b'"sensor-0041"', b'"sensor-\x000041"'))
    # Broken JSON wins over field rules: this record also has schemaVersion 2 and no deviceId.
    add("broken-json-with-bad-fields", "INVALID_JSON",
        event("broken-json-with-bad-fields", schemaVersion=2, deviceId=MISSING)[:-1])

    # Valid JSON, but not an object.
    add("json-array", "NOT_AN_OBJECT", b"[" + event("json-array") + b"]")
    add("bare-string", "NOT_AN_OBJECT", b'"temperature 21.5"')
    add("bare-number", "NOT_AN_OBJECT", b"21.5")
    add("json-null", "NOT_AN_OBJECT", b"null")

    # Size and shape limits.
    add("nested-1000-levels", "NESTING_TOO_DEEP", event("nested-1000-levels", extra=nested(1000)))
    add("one-mebibyte", "RECORD_TOO_LARGE", None)  # see large_spec(): not committed as bytes
    add("duplicate-device-id", "DUPLICATE_KEY", to_json(Pairs(
        ("schemaVersion", 1), ("eventId", event_id("duplicate-device-id")),
        ("deviceId", BASE_DEVICE), ("ts", BASE_TS), ("deviceId", "sensor-0043"),
        ("metrics", {"temperature": 21.5}))).encode())
    add("duplicate-metric-name", "DUPLICATE_KEY", event(
        "duplicate-metric-name",
        metrics=Pairs(("temperature", 21.5), ("humidity", 40.2), ("temperature", 99.0))))

    # Schema version.
    add("schema-version-2", "UNSUPPORTED_SCHEMA", event("schema-version-2", schemaVersion=2))
    add("schema-version-0", "UNSUPPORTED_SCHEMA", event("schema-version-0", schemaVersion=0))
    add("schema-version-as-string", "WRONG_TYPE", event("schema-version-as-string", schemaVersion="1"))
    add("schema-version-as-float", "WRONG_TYPE", event("schema-version-as-float", schemaVersion=Raw("1.0")))
    add("schema-version-missing", "MISSING_FIELD", event("schema-version-missing", schemaVersion=MISSING))

    # eventId.
    add("event-id-missing", "MISSING_FIELD", event("event-id-missing", eventId=MISSING))
    add("event-id-null", "MISSING_FIELD", event("event-id-null", eventId=None))
    add("event-id-empty", "BAD_EVENT_ID", event("event-id-empty", eventId=""))
    add("event-id-129-chars", "BAD_EVENT_ID", event("event-id-129-chars", eventId="e" * 129))
    add("event-id-as-number", "WRONG_TYPE", event("event-id-as-number", eventId=1234567))

    # deviceId.
    add("device-id-missing", "MISSING_FIELD", event("device-id-missing", deviceId=MISSING))
    add("device-id-with-space", "BAD_DEVICE_ID", event("device-id-with-space", deviceId="sensor 0041"))
    add("device-id-with-slash", "BAD_DEVICE_ID", event("device-id-with-slash", deviceId="site-7/sensor-0041"))
    add("device-id-empty", "BAD_DEVICE_ID", event("device-id-empty", deviceId=""))

    # ts.
    add("ts-missing", "MISSING_FIELD", event("ts-missing", ts=MISSING))
    add("ts-unparseable", "BAD_TIMESTAMP", event("ts-unparseable", ts="yesterday at noon"))
    add("ts-without-offset", "BAD_TIMESTAMP", event("ts-without-offset", ts="2026-11-24T10:15:30.123"))
    add("ts-date-only", "BAD_TIMESTAMP", event("ts-date-only", ts="2026-11-24"))
    add("ts-epoch-millis-number", "WRONG_TYPE", event("ts-epoch-millis-number", ts=1795515330123))
    add("ts-before-1970", "BAD_TIMESTAMP", event("ts-before-1970", ts="1969-12-31T23:59:59.999Z"))
    add("ts-year-2999", "FUTURE_TIMESTAMP", event("ts-year-2999", ts="2999-11-24T10:15:30.123Z"))

    # metrics.
    add("metrics-missing", "MISSING_FIELD", event("metrics-missing", metrics=MISSING))
    add("metrics-as-array", "WRONG_TYPE", event("metrics-as-array", metrics=[21.5, 40.2, 0.87]))
    add("metrics-empty", "EMPTY_METRICS", event("metrics-empty", metrics={}))
    add("metrics-51-entries", "TOO_MANY_METRICS",
        event("metrics-51-entries", metrics={f"m{i:02d}": float(i) for i in range(51)}))
    add("metric-name-with-dash", "BAD_METRIC_NAME",
        event("metric-name-with-dash", metrics=metrics_with(**{"battery-level": 0.87})))
    add("metric-name-65-chars", "BAD_METRIC_NAME",
        event("metric-name-65-chars", metrics=metrics_with(**{"t" * 65: 1.0})))
    add("metric-value-nan", "NON_FINITE_METRIC", event("metric-value-nan", metrics=metrics_with(temperature=Raw("NaN"))))
    add("metric-value-infinity", "NON_FINITE_METRIC",
        event("metric-value-infinity", metrics=metrics_with(temperature=Raw("Infinity"))))
    add("metric-value-negative-infinity", "NON_FINITE_METRIC",
        event("metric-value-negative-infinity", metrics=metrics_with(temperature=Raw("-Infinity"))))
    add("metric-value-1e400", "NON_FINITE_METRIC",
        event("metric-value-1e400", metrics=metrics_with(temperature=Raw("1e400"))))
    # The serving store keeps 38 significant digits between 1e-130 and 1e126; the schema allows
    # magnitudes in [1e-100, 1e100] (and zero).
    add("metric-value-1e101", "METRIC_OUT_OF_RANGE",
        event("metric-value-1e101", metrics=metrics_with(humidity=Raw("1e101"))))
    add("metric-value-1e-101", "METRIC_OUT_OF_RANGE",
        event("metric-value-1e-101", metrics=metrics_with(battery=Raw("1e-101"))))
    add("metric-value-as-string", "BAD_METRIC_VALUE",
        event("metric-value-as-string", metrics=metrics_with(temperature="21.5")))
    add("metric-value-null", "BAD_METRIC_VALUE", event("metric-value-null", metrics=metrics_with(temperature=None)))
    add("metric-value-object", "BAD_METRIC_VALUE",
        event("metric-value-object", metrics=metrics_with(temperature={"value": 21.5, "unit": "C"})))
    add("metric-value-boolean", "BAD_METRIC_VALUE", event("metric-value-boolean", metrics=metrics_with(battery=True)))

    # location.
    add("location-lat-91", "BAD_LOCATION", event("location-lat-91", location={"lat": 91, "lon": 13.4}))
    add("location-lon-missing", "BAD_LOCATION", event("location-lon-missing", location={"lat": 52.52}))
    add("location-as-string", "BAD_LOCATION", event("location-as-string", location="52.52,13.40"))

    # Identifiers no store can keep faithfully (a NUL that COPY refuses, a surrogate with no UTF-8
    # form, a trailing blank that Redshift ignores when comparing), and echoes of them in details.
    add("event-id-nul-escape", "BAD_EVENT_ID", event("event-id-nul-escape", eventId=Raw('"abc\\u0000def"')))
    add("event-id-lone-surrogate", "BAD_EVENT_ID", event("event-id-lone-surrogate", eventId=Raw('"abc\\ud800"')))
    add("event-id-trailing-space", "BAD_EVENT_ID", event("event-id-trailing-space", eventId="abc "))
    add("event-id-unit-separator", "BAD_EVENT_ID", event("event-id-unit-separator", eventId=Raw('"a\\u001fb"')))
    add("device-id-nul-escape", "BAD_DEVICE_ID", event("device-id-nul-escape", deviceId=Raw('"sen\\u0000sor"')))
    add("metric-name-nul-escape", "BAD_METRIC_NAME",
        event("metric-name-nul-escape", metrics={"temperature": 21.5, Raw('"bat\\u0000tery"'): 0.87}))
    # DynamoDB cannot store a nonzero magnitude below 1e-130: one verdict for both paths.
    add("location-lat-1e-200", "BAD_LOCATION", event("location-lat-1e-200", location={"lat": Raw("1e-200"), "lon": 13.4}))
    # Older than the lateness bound (2 days) at the corpus's arrival time.
    add("ts-three-days-late", "TOO_LATE", event("ts-three-days-late", ts="2026-11-21T10:15:30.123Z"))

    return [(f"{i:02d}-{slug}.bin", reason, data) for i, (slug, reason, data) in enumerate(c, start=1)]


def large_spec(name):
    """The 1 MiB record as a recipe: a valid event whose unknown field `padding` fills it to exactly
    1 MiB (the largest data blob Kinesis accepts). Only its size is wrong."""
    head = to_json(base_event("one-mebibyte"))[:-1] + ',"padding":"'
    tail = '"}'
    return {
        "description": "Expand to head + fill repeated + tail, totalBytes bytes in all (UTF-8, all ASCII). "
                       "A valid schema-v1 event except for its size.",
        "expandsTo": name,
        "totalBytes": MIB,
        "head": head,
        "fill": "x",
        "tail": tail,
    }


def expand(spec):
    head = spec["head"].encode("utf-8")
    tail = spec["tail"].encode("utf-8")
    fill = spec["fill"].encode("utf-8")
    assert len(fill) == 1
    return head + fill * (spec["totalBytes"] - len(head) - len(tail)) + tail


# --------------------------------------------------------------------------------------------
# Kinesis Lambda events.

def shard_of(partition_key, shards=SHARD_COUNT):
    """Which shard of an evenly split stream a key lands on: Kinesis maps the MD5 of the key,
    read as a 128-bit unsigned integer, onto the shards' hash key ranges."""
    h = int.from_bytes(hashlib.md5(partition_key.encode("utf-8")).digest(), "big")
    return h * shards >> 128


def shard0_devices(n):
    devices, i = [], 1
    while len(devices) < n:
        candidate = f"sensor-{i:04d}"
        if shard_of(candidate) == 0:
            devices.append(candidate)
        i += 1
    return devices


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def epoch_seconds(t):
    """Seconds with a millisecond fraction, as Lambda writes approximateArrivalTimestamp."""
    millis = round(t.timestamp() * 1000)
    return float(f"{millis // 1000}.{millis % 1000:03d}")


class Shard:
    """Hands out strictly increasing 56-digit sequence numbers, as one Kinesis shard does."""

    def __init__(self, rng):
        self.rng = rng
        self.next = FIRST_SEQUENCE

    def sequence(self):
        value = self.next
        # Real sequence numbers jump by large, uneven amounts between consecutive records.
        self.next += self.rng.randrange(10 ** 20, 10 ** 22)
        text = str(value)
        assert len(text) == 56
        return text


def lambda_record(data, partition_key, sequence, arrival):
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": partition_key,
            "sequenceNumber": sequence,
            "data": base64.b64encode(data).decode("ascii"),
            "approximateArrivalTimestamp": epoch_seconds(arrival),
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{SHARD_ID}:{sequence}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": INVOKE_ROLE_ARN,
        "awsRegion": REGION,
        "eventSourceARN": STREAM_ARN,
    }


def device_event(rng, device, ts, located, **metric_overrides):
    metrics = {
        "temperature": round(rng.uniform(18.0, 26.0), 2),
        "humidity": round(rng.uniform(35.0, 55.0), 1),
        "battery": round(rng.uniform(0.55, 0.98), 3),
    }
    metrics.update(metric_overrides)
    body = {
        "schemaVersion": 1,
        "eventId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "deviceId": device,
        "ts": iso(ts),
        "metrics": metrics,
    }
    if located:
        body["location"] = {"lat": round(52.52 + rng.uniform(-0.05, 0.05), 5),
                            "lon": round(13.40 + rng.uniform(-0.05, 0.05), 5)}
    return body


def encode(body):
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def telemetry(rng, devices, start, minutes, per_device):
    """per_device events for each device, spread over `minutes` from `start`, each device on its own
    phase; returns (ts, device, body) sorted by ts. One event sits exactly on a minute boundary."""
    out = []
    span_ms = minutes * 60_000
    step = span_ms // per_device
    for device in devices:
        phase = rng.randrange(step)
        for k in range(per_device):
            ts = start + timedelta(milliseconds=phase + k * step)
            out.append([ts, device, None])
    # Pin one event to 10:16:00.000 exactly, the edge of a window.
    out[1][0] = start + timedelta(minutes=1)
    out.sort(key=lambda e: (e[0], e[1]))
    for e in out:
        e[2] = device_event(rng, e[1], e[0], located=devices.index(e[1]) % 2 == 0)
    return out


def batch(records):
    return {"Records": records}


def normal_batch(rng, devices, start):
    events = telemetry(rng, devices, start, minutes=3, per_device=8)
    # Alert rules (AlertRules.DEFAULT_SPEC): one overheating reading, one nearly empty battery.
    events[17][2]["metrics"]["temperature"] = 51.75
    events[29][2]["metrics"]["battery"] = 0.07
    shard = Shard(rng)
    arrivals = [(ts + timedelta(milliseconds=rng.randrange(120, 900)), device, body) for ts, device, body in events]
    arrivals.sort(key=lambda a: a[0])
    return batch([lambda_record(encode(body), device, shard.sequence(), arrival) for arrival, device, body in arrivals])


def duplicates_batch(rng, devices, start):
    events = telemetry(rng, devices, start, minutes=3, per_device=3)
    shard = Shard(rng)
    timeline = []
    for i, (ts, device, body) in enumerate(events):
        arrival = ts + timedelta(milliseconds=rng.randrange(120, 900))
        timeline.append((arrival, device, encode(body)))
        if i % 4 == 1:
            # A producer retry: the PutRecords response was lost, so the device sends the same bytes
            # again a moment later, and Kinesis stores them as a new record with a new sequence number.
            timeline.append((arrival + timedelta(milliseconds=rng.randrange(900, 2500)), device, encode(body)))
    timeline.sort(key=lambda t: t[0])
    records = [lambda_record(data, device, shard.sequence(), arrival) for arrival, device, data in timeline]
    # A redelivery: the tail of the batch again, same sequence numbers (what a retry from a checkpoint,
    # a bisected batch or a replay hands to the function).
    replay = [json.loads(json.dumps(r)) for r in records[5:8]]
    return batch(records + replay)


def mixed_batch(rng, devices, start, bad):
    """Valid events interleaved with the bad-input corpus; also returns the verdict per record."""
    valid = telemetry(rng, devices, start, minutes=3, per_device=5)
    shard = Shard(rng)
    items = []
    for ts, device, body in valid:
        items.append((ts + timedelta(milliseconds=rng.randrange(120, 900)), device, encode(body), None))
    # Bad records arrive in the same three minutes, after the corpus' base ts (so only the records
    # built to be in the future are FUTURE_TIMESTAMP).
    for j, (name, reason, data) in enumerate(bad):
        arrival = start + timedelta(milliseconds=40_000 + j * (130_000 // len(bad)) + rng.randrange(0, 500))
        items.append((arrival, devices[j % len(devices)], data, (name, reason)))
    items.sort(key=lambda it: it[0])
    records, verdicts = [], {}
    for arrival, device, data, verdict in items:
        seq = shard.sequence()
        records.append(lambda_record(data, device, seq, arrival))
        verdicts[seq] = ({"valid": True} if verdict is None
                         else {"valid": False, "corpusFile": verdict[0], "reason": verdict[1]})
    return batch(records), verdicts


def scheduled_event():
    # The hourly loader runs at minute 5 (PipelineSpec schedules: cron(5 * * * ? *)).
    return {
        "version": "0",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "https://twinflow.io/events/scheduled/hourly")),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": "2026-11-24T11:05:00Z",
        "region": REGION,
        "resources": [f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/default/twinflow-hourly-loader"],
        "detail": {},
    }


# --------------------------------------------------------------------------------------------

def pretty(obj):
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def outputs():
    """Every file this script owns, as {relative path: bytes}."""
    files = {}
    entries = corpus()
    expected = {}
    for name, reason, data in entries:
        expected[name] = reason
        if data is None:
            files[f"bad-input/{name}.spec.json"] = pretty(large_spec(name))
        else:
            files[f"bad-input/{name}"] = data
    files["bad-input/expected.json"] = pretty(expected)

    rng = random.Random(20261124)
    devices = shard0_devices(5)
    start = datetime(2026, 11, 24, 10, 15, tzinfo=timezone.utc)
    files["kinesis/normal-batch.json"] = pretty(normal_batch(rng, devices, start))
    files["kinesis/duplicates-batch.json"] = pretty(duplicates_batch(rng, devices, start))
    small_bad = [(n, r, d) for n, r, d in entries if d is not None]
    mixed, verdicts = mixed_batch(rng, devices, start, small_bad)
    files["kinesis/mixed-batch.json"] = pretty(mixed)
    files["kinesis/mixed-batch.expected.json"] = pretty(verdicts)
    files["scheduled/hourly.json"] = pretty(scheduled_event())
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk, write nothing")
    args = parser.parse_args()

    files = outputs()
    for rel in files:
        if rel.endswith(".spec.json"):
            assert len(expand(json.loads(files[rel]))) == MIB, rel

    owned_dirs = {"bad-input", "kinesis", "scheduled"}
    stale = []
    for d in owned_dirs:
        for path in (ROOT / d).glob("*"):
            rel = f"{d}/{path.name}"
            if rel not in files:
                stale.append(rel)
    if args.check:
        changed = [rel for rel, data in files.items()
                   if not (ROOT / rel).is_file() or (ROOT / rel).read_bytes() != data]
        for rel in changed + stale:
            print(f"out of date: events/{rel}", file=sys.stderr)
        sys.exit(1 if changed or stale else 0)

    for rel, data in files.items():
        path = ROOT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for rel in stale:
        (ROOT / rel).unlink()
    print(f"wrote {len(files)} files under {ROOT}")


if __name__ == "__main__":
    main()
