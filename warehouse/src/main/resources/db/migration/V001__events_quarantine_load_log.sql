-- One row per valid event, deduplicated by event_id. Loaded hourly from the raw archive.
-- event_id is up to 128 characters of any kind; Redshift counts VARCHAR in bytes, hence 512.
CREATE TABLE IF NOT EXISTS {{schema}}.events (
    event_id        VARCHAR(512)     NOT NULL,
    device_id       VARCHAR(128)     NOT NULL,
    ts              TIMESTAMPTZ      NOT NULL,
    dt              DATE             NOT NULL,
    schema_version  SMALLINT         NOT NULL,
    temperature     DOUBLE PRECISION,
    humidity        DOUBLE PRECISION,
    battery         DOUBLE PRECISION,
    metrics         {{json}}         NOT NULL,
    metric_count    SMALLINT         NOT NULL,
    lat             DOUBLE PRECISION,
    lon             DOUBLE PRECISION,
    arrived_at      TIMESTAMPTZ      NOT NULL,
    source_key      VARCHAR(1024)    NOT NULL,
    source_line     BIGINT           NOT NULL,
    copies_seen     INTEGER          NOT NULL,
    loaded_at       TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (event_id)
) {{layout:device_id|dt, device_id, ts}};

-- only: postgres
CREATE INDEX IF NOT EXISTS events_dt_device ON {{schema}}.events (dt, device_id, ts);

-- Every archived line that is not a valid event, with its full payload (see README: payload_encoding).
CREATE TABLE IF NOT EXISTS {{schema}}.quarantine (
    source_key        VARCHAR(1024)  NOT NULL,
    source_etag       VARCHAR(128)   NOT NULL,
    line_no           BIGINT         NOT NULL,
    reason            VARCHAR(32)    NOT NULL,
    detail            VARCHAR(1024)  NOT NULL,
    payload           {{long_text}}  NOT NULL,
    payload_encoding  VARCHAR(8)     NOT NULL,
    payload_bytes     BIGINT         NOT NULL,
    payload_truncated BOOLEAN        NOT NULL,
    arrived_at        TIMESTAMPTZ    NOT NULL,
    arrival_dt        DATE           NOT NULL,
    quarantined_at    TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (source_key, source_etag, line_no)
) {{layout:|arrival_dt, reason}};

-- One row per raw object version (key + ETag): LOADED rows make reruns no-ops; FAILED rows show
-- the last error of an attempt that left nothing behind.
CREATE TABLE IF NOT EXISTS {{schema}}.load_log (
    object_key        VARCHAR(1024)  NOT NULL,
    etag              VARCHAR(128)   NOT NULL,
    status            VARCHAR(16)    NOT NULL,
    loader            VARCHAR(32)    NOT NULL,
    load_id           VARCHAR(36),
    object_bytes      BIGINT,
    arrived_at        TIMESTAMPTZ,
    lines_read        BIGINT,
    rows_loaded       BIGINT,
    rows_duplicate    BIGINT,
    rows_quarantined  BIGINT,
    error             VARCHAR(2048),
    loaded_at         TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (object_key, etag)
) {{layout:|loaded_at}};
