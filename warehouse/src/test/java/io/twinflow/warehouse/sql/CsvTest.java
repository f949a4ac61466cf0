package io.twinflow.warehouse.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void timestampsAreUtcWithMicrosecondsAndZeroPaddedFields() {
        assertThat(Csv.timestampLiteral(Instant.parse("2026-11-24T10:15:30.123456789Z"))).isEqualTo("2026-11-24 10:15:30.123456+00");
        assertThat(Csv.timestampLiteral(Instant.parse("1970-01-02T03:04:05.000007Z"))).isEqualTo("1970-01-02 03:04:05.000007+00");
        assertThat(new Csv().timestamp(Instant.parse("9998-12-31T23:59:59Z")).nothing().end()).isEqualTo("9998-12-31 23:59:59.000000+00,\n");
    }

    @Test
    void stringsAreQuotedWithTheirQuotesDoubledAndNullsAreEmpty() {
        assertThat(new Csv().string("a\"b\"\"").string(null).string("").end()).isEqualTo("\"a\"\"b\"\"\"\"\",,\"\"\n");
    }
}
