package io.twinflow.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.core.event.TelemetryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlertRulesTest {

    private static final Instant WINDOW = Instant.parse("2026-11-24T10:15:00Z");

    @SafeVarargs
    private static WindowAggregate window(Map<String, Double>... events) {
        WindowAggregate.Builder builder = WindowAggregate.builder();
        int i = 0;
        for (Map<String, Double> metrics : events) {
            builder.add(TelemetryEvent.of("e" + i++, "sensor-0042", WINDOW.plusSeconds(i), metrics));
        }
        return builder.build();
    }

    @Test
    void parsesARuleSpec() {
        AlertRule rule = AlertRule.parse("high-temperature:temperature>50");
        assertThat(rule).isEqualTo(new AlertRule("high-temperature", "temperature", AlertRule.Operator.ABOVE, 50));

        AlertRule low = AlertRule.parse("  low_battery : battery < 0.1 ");
        assertThat(low).isEqualTo(new AlertRule("low_battery", "battery", AlertRule.Operator.BELOW, 0.1));

        assertThat(AlertRule.parse("frost:temperature<-2.5e1").threshold()).isEqualTo(-25.0);
    }

    @Test
    void specRoundTrips() {
        for (AlertRule rule : AlertRules.defaults().rules()) {
            assertThat(AlertRule.parse(rule.spec())).isEqualTo(rule);
        }
    }

    @Test
    void defaultsAreHighTemperatureAndLowBattery() {
        assertThat(AlertRules.defaults().rules()).containsExactly(
                new AlertRule("high-temperature", "temperature", AlertRule.Operator.ABOVE, 50),
                new AlertRule("low-battery", "battery", AlertRule.Operator.BELOW, 0.1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"temperature>50", "hot:temperature>=50", "hot:temperature=50", "hot:temperature>",
        "hot:temperature>fifty", "hot:temperature>NaN", "hot:temp-erature>50", ":temperature>50", "hot:>50",
        "hot:temperature>50>60", "hot:temperature>.5", "hot:temperature>+5", "hot temperature>50"})
    void malformedRulesAreRejectedWithTheOffendingSpecAndTheExpectedForm(String spec) {
        assertThatThrownBy(() -> AlertRule.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + spec + "'")
                .hasMessageContaining("id:metric>number");
    }

    @Test
    void aThresholdThatOverflowsADoubleIsRejected() {
        assertThatThrownBy(() -> AlertRule.parse("hot:temperature>1e400"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finite");
    }

    @Test
    void aRuleIdUsedTwiceIsRejected() {
        assertThatThrownBy(() -> AlertRules.parse("hot:temperature>50,hot:humidity>90"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'hot'");
    }

    @Test
    void anEmptyEntryInAListIsRejected() {
        assertThatThrownBy(() -> AlertRules.parse("hot:temperature>50,,low:battery<0.1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AlertRules.parse("hot:temperature>50,"))
                .as("a trailing comma is an empty entry too")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blankMeansNoRules() {
        assertThat(AlertRules.parse(null).rules()).isEmpty();
        assertThat(AlertRules.parse("  ").rules()).isEmpty();
        assertThat(AlertRules.parse("").evaluate("d", WINDOW, window(Map.of("temperature", 99.0)))).isEmpty();
    }

    @Test
    void aboveFiresOnTheWindowMaximumAndReportsIt() {
        WindowAggregate aggregate = window(Map.of("temperature", 20.0), Map.of("temperature", 51.75), Map.of("temperature", 50.5));

        List<Alert> alerts = AlertRules.defaults().evaluate("sensor-0042", WINDOW, aggregate);

        assertThat(alerts).containsExactly(new Alert("sensor-0042", WINDOW, "high-temperature", "temperature",
                AlertRule.Operator.ABOVE, 50, 51.75));
    }

    @Test
    void belowFiresOnTheWindowMinimumAndReportsIt() {
        WindowAggregate aggregate = window(Map.of("battery", 0.5), Map.of("battery", 0.07), Map.of("battery", 0.09));

        List<Alert> alerts = AlertRules.defaults().evaluate("sensor-0042", WINDOW, aggregate);

        assertThat(alerts).containsExactly(new Alert("sensor-0042", WINDOW, "low-battery", "battery",
                AlertRule.Operator.BELOW, 0.1, 0.07));
    }

    @Test
    void aValueEqualToTheThresholdDoesNotFire() {
        AlertRule above = AlertRule.parse("hot:temperature>50");
        AlertRule below = AlertRule.parse("low:battery<0.1");

        assertThat(above.peak(MetricAggregate.of(50))).isEmpty();
        assertThat(below.peak(MetricAggregate.of(0.1))).isEmpty();
        assertThat(above.peak(MetricAggregate.of(Math.nextUp(50.0)))).hasValue(Math.nextUp(50.0));
        assertThat(below.peak(MetricAggregate.of(Math.nextDown(0.1)))).hasValue(Math.nextDown(0.1));
    }

    @Test
    void aboveLooksAtTheMaximumAndBelowAtTheMinimumOnly() {
        // min 10 (below 20) and max 30 (above 20) in one aggregate: each rule reads its own end.
        MetricAggregate spread = new MetricAggregate(2, 40, 10, 30);
        assertThat(AlertRule.parse("a:x>20").peak(spread)).hasValue(30);
        assertThat(AlertRule.parse("b:x<20").peak(spread)).hasValue(10);
        assertThat(AlertRule.parse("c:x>30").peak(spread)).isEmpty();
        assertThat(AlertRule.parse("d:x<10").peak(spread)).isEmpty();
    }

    @Test
    void aRuleOnAMetricTheWindowLacksDoesNotFire() {
        WindowAggregate onlyHumidity = window(Map.of("humidity", 99.0));
        assertThat(AlertRules.defaults().evaluate("sensor-0042", WINDOW, onlyHumidity)).isEmpty();
        assertThat(AlertRules.defaults().evaluate("sensor-0042", WINDOW, WindowAggregate.EMPTY)).isEmpty();
    }

    @Test
    void severalRulesCanFireForOneWindowInRuleOrder() {
        WindowAggregate aggregate = window(Map.of("temperature", 60.0, "battery", 0.05));
        assertThat(AlertRules.defaults().evaluate("sensor-0042", WINDOW, aggregate))
                .extracting(Alert::ruleId).containsExactly("high-temperature", "low-battery");
    }

    @Test
    void anAlertIsAFunctionOfTheWindowAggregateSoMergeOrderDoesNotMatter() {
        WindowAggregate a = window(Map.of("temperature", 55.0));
        WindowAggregate b = window(Map.of("temperature", 20.0));
        AlertRules rules = AlertRules.defaults();
        assertThat(rules.evaluate("d", WINDOW, a.merge(b))).isEqualTo(rules.evaluate("d", WINDOW, b.merge(a)));
    }

    @Test
    void rulesListIsImmutable() {
        AlertRules rules = new AlertRules(new ArrayList<>(AlertRules.defaults().rules()));
        assertThatThrownBy(() -> rules.rules().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
