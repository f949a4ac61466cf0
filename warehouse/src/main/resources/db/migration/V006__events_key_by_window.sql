-- A load looks every staged identity up by (device_id, window_start, event_id) and counts the stored
-- events of each (device_id, window_start). With the key in that order one index serves both: the
-- lookup is one exact probe, where the old key order (device_id, event_id, window_start) lost the
-- planner to events_device_window, which then read every stored event of the window for each line.
-- Redshift keeps no key or secondary index on events (see V005), so nothing changes there.
-- only: postgres
ALTER TABLE {{schema}}.events DROP CONSTRAINT events_pkey;

-- only: postgres
ALTER TABLE {{schema}}.events ADD PRIMARY KEY (device_id, window_start, event_id);

-- only: postgres
DROP INDEX IF EXISTS {{schema}}.events_device_window;
