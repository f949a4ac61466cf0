-- Daily and hourly rollups written by the daily-rollup job (Spark, same core as the stream).
-- Per-device totals live in one table and per-metric aggregates in a companion table in long format
-- (one row per metric), so any metric name a device sends gets its numbers without a schema change.
CREATE TABLE IF NOT EXISTS {{schema}}.device_daily_summary (
    dt           DATE          NOT NULL,
    device_id    VARCHAR(128)  NOT NULL,
    event_count  BIGINT        NOT NULL,
    first_ts     TIMESTAMPTZ   NOT NULL,
    last_ts      TIMESTAMPTZ   NOT NULL,
    computed_at  TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (dt, device_id)
) {{layout:device_id|dt, device_id}};

CREATE TABLE IF NOT EXISTS {{schema}}.device_daily_metric (
    dt           DATE              NOT NULL,
    device_id    VARCHAR(128)      NOT NULL,
    metric       VARCHAR(64)       NOT NULL,
    value_count  BIGINT            NOT NULL,
    value_sum    DOUBLE PRECISION  NOT NULL,
    value_min    DOUBLE PRECISION  NOT NULL,
    value_max    DOUBLE PRECISION  NOT NULL,
    value_avg    DOUBLE PRECISION  NOT NULL,
    PRIMARY KEY (dt, device_id, metric)
) {{layout:device_id|dt, device_id, metric}};

CREATE TABLE IF NOT EXISTS {{schema}}.device_hourly (
    dt           DATE          NOT NULL,
    hour         SMALLINT      NOT NULL,
    device_id    VARCHAR(128)  NOT NULL,
    event_count  BIGINT        NOT NULL,
    first_ts     TIMESTAMPTZ   NOT NULL,
    last_ts      TIMESTAMPTZ   NOT NULL,
    computed_at  TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (dt, hour, device_id)
) {{layout:device_id|dt, hour, device_id}};

CREATE TABLE IF NOT EXISTS {{schema}}.device_hourly_metric (
    dt           DATE              NOT NULL,
    hour         SMALLINT          NOT NULL,
    device_id    VARCHAR(128)      NOT NULL,
    metric       VARCHAR(64)       NOT NULL,
    value_count  BIGINT            NOT NULL,
    value_sum    DOUBLE PRECISION  NOT NULL,
    value_min    DOUBLE PRECISION  NOT NULL,
    value_max    DOUBLE PRECISION  NOT NULL,
    value_avg    DOUBLE PRECISION  NOT NULL,
    PRIMARY KEY (dt, hour, device_id, metric)
) {{layout:device_id|dt, hour, device_id, metric}};

-- The alert rules in force (core AlertRules), written by Warehouse.replaceAlertRules so the alert
-- report applies the same thresholds as the stream.
CREATE TABLE IF NOT EXISTS {{schema}}.alert_rules (
    rule_id    VARCHAR(64)       NOT NULL,
    metric     VARCHAR(64)       NOT NULL,
    operator   VARCHAR(1)        NOT NULL,
    threshold  DOUBLE PRECISION  NOT NULL,
    PRIMARY KEY (rule_id)
) {{layout:|}};
