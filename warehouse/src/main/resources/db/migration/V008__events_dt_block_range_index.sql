-- Events are found by day the way Redshift finds them through its sort key (dt, device_id, ts): by the
-- minimum and maximum of each block (zone maps). PostgreSQL's BRIN index is that kind of index: a few
-- pages for the whole table, updated by an insert only when a row widens its block range, where the
-- B-tree events_dt_device took an entry (and a tree descent) per row; maintaining it was about a quarter
-- of inserting a load's events (issue 18). Loads append rows roughly in event-time order, so the block
-- ranges of dt stay narrow; a late event widens only its own range.
-- only: postgres
DROP INDEX IF EXISTS {{schema}}.events_dt_device;

-- only: postgres
CREATE INDEX IF NOT EXISTS events_dt_ts_brin ON {{schema}}.events USING brin (dt, ts);
