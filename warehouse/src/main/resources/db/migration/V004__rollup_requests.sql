-- Event days whose summaries must be recomputed: the loader adds one row per event day that received
-- new rows, in the load's transaction; the rollup, after rewriting day D from the raw archive, deletes
-- D's rows requested no later than the moment it listed the raw objects (a later request stays).
CREATE TABLE IF NOT EXISTS {{schema}}.rollup_requests (
    dt            DATE           NOT NULL,
    requested_at  TIMESTAMPTZ    NOT NULL,
    source_key    VARCHAR(1024)
) {{layout:|dt}};

-- only: postgres
CREATE INDEX IF NOT EXISTS rollup_requests_dt ON {{schema}}.rollup_requests (dt, requested_at);
