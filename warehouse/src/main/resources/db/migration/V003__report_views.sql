-- Daily fleet report: one row per event-time day, from the rollup tables (the numbers that
-- reconcile against the stream), plus how many archived lines arrived that day and were quarantined.
CREATE OR REPLACE VIEW {{schema}}.v_daily_fleet_report AS
WITH days AS (
    SELECT dt, COUNT(*) AS devices_reporting, SUM(event_count) AS events
    FROM {{schema}}.device_daily_summary
    GROUP BY dt
), metrics AS (
    SELECT dt,
           SUM(CASE WHEN metric = 'temperature' THEN value_sum END)
               / NULLIF(SUM(CASE WHEN metric = 'temperature' THEN value_count END), 0) AS temperature_avg,
           MIN(CASE WHEN metric = 'temperature' THEN value_min END) AS temperature_min,
           MAX(CASE WHEN metric = 'temperature' THEN value_max END) AS temperature_max,
           SUM(CASE WHEN metric = 'humidity' THEN value_sum END)
               / NULLIF(SUM(CASE WHEN metric = 'humidity' THEN value_count END), 0) AS humidity_avg,
           MIN(CASE WHEN metric = 'humidity' THEN value_min END) AS humidity_min,
           MAX(CASE WHEN metric = 'humidity' THEN value_max END) AS humidity_max,
           SUM(CASE WHEN metric = 'battery' THEN value_sum END)
               / NULLIF(SUM(CASE WHEN metric = 'battery' THEN value_count END), 0) AS battery_avg,
           MIN(CASE WHEN metric = 'battery' THEN value_min END) AS battery_min,
           COUNT(DISTINCT metric) AS distinct_metrics
    FROM {{schema}}.device_daily_metric
    GROUP BY dt
), quarantined AS (
    SELECT arrival_dt AS dt, COUNT(*) AS records_quarantined
    FROM {{schema}}.quarantine
    GROUP BY arrival_dt
)
SELECT d.dt,
       d.devices_reporting,
       d.events,
       COALESCE(q.records_quarantined, 0) AS records_quarantined,
       m.distinct_metrics,
       m.temperature_avg, m.temperature_min, m.temperature_max,
       m.humidity_avg, m.humidity_min, m.humidity_max,
       m.battery_avg, m.battery_min
FROM days d
LEFT JOIN metrics m ON m.dt = d.dt
LEFT JOIN quarantined q ON q.dt = d.dt;

-- Alerts: every device-hour in which a rule of alert_rules fired. A rule fires when any value crosses
-- its threshold, which the hourly max (for '>') or min (for '<') shows, exactly as core AlertRule
-- reads a window's aggregate. The stream alerts per minute; this report is per hour.
CREATE OR REPLACE VIEW {{schema}}.v_alerts AS
SELECT h.dt,
       h.hour,
       h.device_id,
       r.rule_id,
       r.metric,
       r.operator,
       r.threshold,
       CASE WHEN r.operator = '>' THEN h.value_max ELSE h.value_min END AS peak,
       h.value_count
FROM {{schema}}.device_hourly_metric h
JOIN {{schema}}.alert_rules r ON r.metric = h.metric
WHERE (r.operator = '>' AND h.value_max > r.threshold)
   OR (r.operator = '<' AND h.value_min < r.threshold);

-- Anomalies: readings of the common metrics at least three standard deviations from the same device's
-- mean that day. Days with fewer than 12 readings are left out: with n readings no single value can
-- lie further than (n-1)/sqrt(n) deviations from the mean, so small samples only produce noise.
-- Rank with ORDER BY abs_z_score DESC for the top anomalies.
CREATE OR REPLACE VIEW {{schema}}.v_anomalies AS
WITH readings AS (
    SELECT dt, device_id, event_id, ts, 'temperature' AS metric, temperature AS value
    FROM {{schema}}.events WHERE temperature IS NOT NULL
    UNION ALL
    SELECT dt, device_id, event_id, ts, 'humidity' AS metric, humidity AS value
    FROM {{schema}}.events WHERE humidity IS NOT NULL
    UNION ALL
    SELECT dt, device_id, event_id, ts, 'battery' AS metric, battery AS value
    FROM {{schema}}.events WHERE battery IS NOT NULL
), scored AS (
    SELECT r.*,
           AVG(value) OVER (PARTITION BY dt, device_id, metric) AS device_day_mean,
           STDDEV_SAMP(value) OVER (PARTITION BY dt, device_id, metric) AS device_day_stddev,
           COUNT(*) OVER (PARTITION BY dt, device_id, metric) AS device_day_readings
    FROM readings r
)
SELECT dt, device_id, metric, event_id, ts, value, device_day_mean, device_day_stddev, device_day_readings,
       (value - device_day_mean) / device_day_stddev AS z_score,
       ABS(value - device_day_mean) / device_day_stddev AS abs_z_score
FROM scored
WHERE device_day_readings >= 12
  AND device_day_stddev > 0
  AND ABS(value - device_day_mean) >= 3 * device_day_stddev;

-- Device health: when each device was last heard from, measured against the newest event in the
-- warehouse rather than the wall clock, so that a replayed or historical day reads the same as it did
-- live; silent after 60 minutes without events, offline after 24 hours.
CREATE OR REPLACE VIEW {{schema}}.v_device_health AS
WITH fleet AS (
    SELECT MAX(ts) AS fleet_last_ts FROM {{schema}}.events
), devices AS (
    SELECT device_id, MIN(ts) AS first_seen, MAX(ts) AS last_seen, COUNT(*) AS events
    FROM {{schema}}.events
    GROUP BY device_id
), latest AS (
    SELECT device_id, battery AS battery_latest,
           ROW_NUMBER() OVER (PARTITION BY device_id ORDER BY ts DESC, event_id DESC) AS rn
    FROM {{schema}}.events
    WHERE battery IS NOT NULL
)
SELECT d.device_id,
       d.first_seen,
       d.last_seen,
       d.events,
       {{minutes_between:d.last_seen|f.fleet_last_ts}} AS minutes_silent,
       CASE WHEN {{minutes_between:d.last_seen|f.fleet_last_ts}} >= 1440 THEN 'offline'
            WHEN {{minutes_between:d.last_seen|f.fleet_last_ts}} >= 60 THEN 'silent'
            ELSE 'ok' END AS status,
       l.battery_latest
FROM devices d
CROSS JOIN fleet f
LEFT JOIN latest l ON l.device_id = d.device_id AND l.rn = 1;

-- Battery trend: each device's daily average battery, its change since the previous reported day,
-- and the change per day over the last seven reported days with a naive days-to-empty estimate.
CREATE OR REPLACE VIEW {{schema}}.v_battery_trend AS
WITH daily AS (
    SELECT device_id, dt, value_sum / value_count AS battery_avg, value_min AS battery_min,
           ROW_NUMBER() OVER (PARTITION BY device_id ORDER BY dt DESC) AS days_back,
           LAG(value_sum / value_count) OVER (PARTITION BY device_id ORDER BY dt) AS previous_avg
    FROM {{schema}}.device_daily_metric
    WHERE metric = 'battery'
), week AS (
    SELECT device_id,
           MAX(CASE WHEN days_back = 1 THEN dt END) AS latest_dt,
           MIN(dt) AS week_start_dt,
           MAX(CASE WHEN days_back = 1 THEN battery_avg END) AS latest_avg
    FROM daily
    WHERE days_back <= 7
    GROUP BY device_id
), slope AS (
    SELECT w.device_id,
           (w.latest_avg - s.battery_avg) / NULLIF({{days_between:w.week_start_dt|w.latest_dt}}, 0) AS change_per_day_7d
    FROM week w
    JOIN daily s ON s.device_id = w.device_id AND s.dt = w.week_start_dt
)
SELECT d.device_id,
       d.dt,
       d.battery_avg,
       d.battery_min,
       d.battery_avg - d.previous_avg AS change_since_previous_day,
       s.change_per_day_7d,
       CASE WHEN d.days_back = 1 AND s.change_per_day_7d < 0
            THEN d.battery_avg / -s.change_per_day_7d END AS days_to_empty_estimate
FROM daily d
LEFT JOIN slope s ON s.device_id = d.device_id;
