package io.twinflow.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.event.DecoderLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollupArgumentsTest {

    @Test
    void theNamesAreTheOnesDeployedJobsSchedulesAndTheReadmeUse() {
        // A deployed job's default arguments and the schedule's input spell these: the names are an interface.
        assertThat(List.of(RollupArguments.DATE, RollupArguments.SCHEDULED_TIME, RollupArguments.RAW_URI, RollupArguments.CURATED_URI,
                RollupArguments.LATENESS, RollupArguments.MAX_FUTURE_SKEW, RollupArguments.MAX_LATENESS, RollupArguments.WINDOW,
                RollupArguments.MAX_WINDOW_EVENTS, RollupArguments.EVENTS_PER_FILE, RollupArguments.WAREHOUSE,
                RollupArguments.WAREHOUSE_SCHEMA, RollupArguments.WAREHOUSE_JDBC_URL, RollupArguments.WAREHOUSE_USER,
                RollupArguments.WAREHOUSE_PASSWORD, RollupArguments.WORKGROUP, RollupArguments.CLUSTER, RollupArguments.DATABASE,
                RollupArguments.SECRET_ARN, RollupArguments.DB_USER, RollupArguments.COPY_ROLE_ARN, RollupArguments.STAGING_URI))
                .containsExactly("--date", "--scheduled-time", "--raw-uri", "--curated-uri", "--lateness", "--max-future-skew",
                        "--max-lateness", "--window", "--max-window-events", "--events-per-file", "--warehouse", "--warehouse-schema",
                        "--warehouse-jdbc-url", "--warehouse-user", "--warehouse-password", "--workgroup", "--cluster", "--database",
                        "--secret-arn", "--db-user", "--copy-role-arn", "--staging-uri");
        assertThat(List.of(RollupArguments.WAREHOUSE_NONE, RollupArguments.WAREHOUSE_JDBC, RollupArguments.WAREHOUSE_REDSHIFT_DATA))
                .containsExactly("none", "jdbc", "redshift-data");
    }

    @Test
    void theDecoderLimitsAJobIsStartedWithAreReadBackAsGiven() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxFutureSkew(Duration.ofSeconds(90)).withMaxLateness(Duration.ofHours(30));

        Map<String, String> arguments = RollupArguments.decoderLimitArguments(limits);

        assertThat(arguments).containsExactly(Map.entry("--max-future-skew", "PT1M30S"), Map.entry("--max-lateness", "PT30H"));
        List<String> commandLine = new ArrayList<>();
        arguments.forEach((name, value) -> commandLine.addAll(List.of(name, value)));
        assertThat(RollupArguments.parse(commandLine.toArray(String[]::new)).decoderLimits()).isEqualTo(limits);
    }

    @Test
    void bothSpellingsAreReadAndStrayValuesAndBareFlagsAreKeptApart() {
        RollupArguments named = RollupArguments.parse("stray", "--raw-uri", "s3://raw/", "--curated-uri=s3://c/x=y/",
                "--enable-metrics", "--date", "2026-11-23");

        assertThat(named.text(RollupArguments.RAW_URI)).contains("s3://raw/");
        assertThat(named.text(RollupArguments.CURATED_URI)).contains("s3://c/x=y/");
        assertThat(named.text("--enable-metrics")).contains("");
        assertThat(named.required(RollupArguments.DATE)).isEqualTo("2026-11-23");
        assertThat(named.has("stray")).isFalse();
    }

    @Test
    void errorsNameTheArgument() {
        RollupArguments named = RollupArguments.parse("--lateness", "3h", "--max-window-events", "many", "--date", "",
                "--max-lateness", "P31D");

        assertThatThrownBy(() -> named.required(RollupArguments.DATE)).hasMessage("missing argument --date");
        assertThatThrownBy(() -> named.required(RollupArguments.SCHEDULED_TIME, RollupArguments.DATE))
                .hasMessage("missing argument --date");
        assertThatThrownBy(() -> named.duration(RollupArguments.LATENESS, Duration.ZERO)).hasMessageContaining("--lateness");
        assertThatThrownBy(() -> named.integer(RollupArguments.MAX_WINDOW_EVENTS, 1)).hasMessageContaining("--max-window-events");
        assertThatThrownBy(named::decoderLimits).hasMessageContaining("--max-lateness");
        assertThatThrownBy(() -> RollupArguments.parse("--max-window-events", "3000000000").integer(RollupArguments.MAX_WINDOW_EVENTS, 1))
                .hasMessageContaining("--max-window-events");
    }
}
