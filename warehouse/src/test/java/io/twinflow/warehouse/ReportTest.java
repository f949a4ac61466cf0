package io.twinflow.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void reportsAreFoundByTheirCliNames() {
        assertThat(Report.byName("top-anomalies")).isEqualTo(Report.TOP_ANOMALIES);
        assertThat(Report.byName("Daily-Fleet")).isEqualTo(Report.DAILY_FLEET);
        assertThatThrownBy(() -> Report.byName("nope")).hasMessageContaining("known: daily-fleet, alerts");
    }

    @Test
    void aDateSelectsThatDayAndNoDateTheLatest() {
        assertThat(Report.TOP_ANOMALIES.sql("telemetry", LocalDate.parse("2026-11-24"))).isEqualTo(
                "SELECT * FROM telemetry.v_anomalies WHERE dt = CAST('2026-11-24' AS DATE) ORDER BY abs_z_score DESC, event_id LIMIT 20");
        assertThat(Report.ALERTS.sql("telemetry", null))
                .contains("WHERE dt = (SELECT MAX(dt) FROM telemetry.v_alerts)");
        assertThat(Report.DAILY_FLEET.sql("telemetry", null)).doesNotContain("WHERE").endsWith("LIMIT 31");
        assertThat(Report.DEVICE_HEALTH.sql("telemetry", LocalDate.parse("2026-11-24"))).doesNotContain("WHERE");
    }
}
