package io.twinflow.warehouse;

import io.twinflow.warehouse.jdbc.JdbcWarehouse;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The named reports analysts ask for ({@code twinflow query --report NAME [--date D]}): each a query
 * over one report view, in SQL both engines run. With a date, reports that are per day show that day;
 * without one, the latest day (or the whole history where a day makes no sense).
 */
public enum Report {

    DAILY_FLEET("daily-fleet", "v_daily_fleet_report", "dt", "dt DESC", 31),
    ALERTS("alerts", "v_alerts", "dt", "dt DESC, hour DESC, device_id, rule_id", 1000),
    TOP_ANOMALIES("top-anomalies", "v_anomalies", "dt", "abs_z_score DESC, event_id", 20),
    DEVICE_HEALTH("device-health", "v_device_health", null, "minutes_silent DESC, device_id", 10_000),
    BATTERY_TREND("battery-trend", "v_battery_trend", "dt", "change_per_day_7d, device_id", 10_000);

    private final String cliName;
    private final String view;
    private final String dateColumn;
    private final String orderBy;
    private final int limit;

    Report(String cliName, String view, String dateColumn, String orderBy, int limit) {
        this.cliName = cliName;
        this.view = view;
        this.dateColumn = dateColumn;
        this.orderBy = orderBy;
        this.limit = limit;
    }

    public String cliName() {
        return cliName;
    }

    /** Finds a report by its CLI name, e.g. {@code top-anomalies}. */
    public static Report byName(String name) {
        return Arrays.stream(values())
                .filter(r -> r.cliName.equals(name.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown report '" + name + "'; known: "
                        + Arrays.stream(values()).map(Report::cliName).collect(Collectors.joining(", "))));
    }

    /**
     * The report's query.
     *
     * @param date the day to show, or null for the latest day (daily fleet: the last 31 days);
     *     device health has no date and always shows the current state
     */
    public String sql(String schema, LocalDate date) {
        String from = JdbcWarehouse.requireIdentifier(schema) + "." + view;
        String where = "";
        if (dateColumn != null && date != null) {
            where = " WHERE " + dateColumn + " = CAST('" + date + "' AS DATE)";
        } else if (dateColumn != null && this != DAILY_FLEET) {
            where = " WHERE " + dateColumn + " = (SELECT MAX(" + dateColumn + ") FROM " + from + ")";
        }
        return "SELECT * FROM " + from + where + " ORDER BY " + orderBy + " LIMIT " + limit;
    }
}
