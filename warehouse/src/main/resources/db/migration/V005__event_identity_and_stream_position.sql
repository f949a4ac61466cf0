-- An event's identity is (device_id, event_id, window_start), as on the stream: the same eventId from
-- two devices, or re-stamped into another window, is another event. Each row also keeps the stream
-- position (shard, sequence number) of the copy it was loaded from; null for archive lines written
-- without an envelope. stream_position is shard_id/zero-padded sequence: it sorts in stream order.
ALTER TABLE {{schema}}.events ADD COLUMN window_start TIMESTAMPTZ;

ALTER TABLE {{schema}}.events ADD COLUMN shard_id VARCHAR(128);

ALTER TABLE {{schema}}.events ADD COLUMN sequence_number VARCHAR(56);

ALTER TABLE {{schema}}.events ADD COLUMN stream_position VARCHAR(192);

-- Rows loaded before this migration: the default one-minute window (the window size the stream had).
UPDATE {{schema}}.events SET window_start = DATE_TRUNC('minute', ts) WHERE window_start IS NULL;

ALTER TABLE {{schema}}.events DROP CONSTRAINT events_pkey;

-- Redshift does not enforce keys and cannot make an added column NOT NULL; the loader always sets it.
-- only: postgres
ALTER TABLE {{schema}}.events ADD PRIMARY KEY (device_id, event_id, window_start);

-- only: postgres
CREATE INDEX IF NOT EXISTS events_device_window ON {{schema}}.events (device_id, window_start);

ALTER TABLE {{schema}}.quarantine ADD COLUMN shard_id VARCHAR(128);

ALTER TABLE {{schema}}.quarantine ADD COLUMN sequence_number VARCHAR(56);

-- The batch loader's horizon: the oldest dt= partition of the raw prefix that may still hold an object
-- not loaded. Every older partition is fully loaded; each run lists from here (S3 StartAfter).
CREATE TABLE IF NOT EXISTS {{schema}}.loader_watermark (
    raw_prefix          VARCHAR(1024)  NOT NULL,
    oldest_unloaded_dt  DATE           NOT NULL,
    updated_at          TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (raw_prefix)
) {{layout:|}};
