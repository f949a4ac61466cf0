-- One row per `twinflow reconcile` of a day, written by the command when it has compared: `twinflow status`
-- shows the newest, locally and in AWS alike, so the record lives beside what was reconciled.
CREATE TABLE IF NOT EXISTS {{schema}}.reconcile_log (
    reconciled_at    TIMESTAMPTZ  NOT NULL,
    dt               DATE         NOT NULL,
    clean            BOOLEAN      NOT NULL,
    devices          BIGINT       NOT NULL,
    values_compared  BIGINT       NOT NULL,
    drifts           BIGINT       NOT NULL
) {{layout:|reconciled_at}};
