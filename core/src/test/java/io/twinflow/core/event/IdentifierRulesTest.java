package io.twinflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written identifier checks accept exactly the languages the schema states as patterns. */
class IdentifierRulesTest {

    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final String ALPHABET = "aZ09._:-/ é\u0000#@\t\u00e4zA";

    @Test
    void deviceIdsAndMetricNamesMatchTheSchemaPatterns() {
        Random random = new Random(3);
        for (int i = 0; i < 50_000; i++) {
            int length = random.nextInt(5) == 0 ? random.nextInt(60, 140) : random.nextInt(0, 8);
            StringBuilder text = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                // Mostly valid characters, so that long valid strings are generated too.
                text.append(random.nextInt(10) < 9 ? "aZ09._:-".charAt(random.nextInt(0, 8)) : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String s = text.toString();
            assertThat(EventRules.isDeviceId(s)).as("deviceId '%s'", s).isEqualTo(DEVICE_ID.matcher(s).matches());
            assertThat(EventRules.isMetricName(s)).as("metric '%s'", s).isEqualTo(METRIC_NAME.matcher(s).matches());
        }
    }
}
