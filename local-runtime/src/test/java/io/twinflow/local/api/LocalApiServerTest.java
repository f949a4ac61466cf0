package io.twinflow.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

/** The query string reaches the handler as API Gateway passes it. */
class LocalApiServerTest {

    @Test
    void namesAndValuesAreDecodedAndARepeatedNamesValuesJoinedByCommas() {
        assertThat(LocalApiServer.queryParameters("since=2026-11-28T10%3A00%3A00Z&deviceId=a&deviceId=b&flag"))
                .containsExactly(entry("since", "2026-11-28T10:00:00Z"), entry("deviceId", "a,b"),
                        entry("flag", ""));
    }

    @Test
    void aBrokenEscapeIsPassedAsSentAndNoQueryIsNull() {
        assertThat(LocalApiServer.queryParameters("cursor=%ZZ")).containsEntry("cursor", "%ZZ");
        assertThat(LocalApiServer.queryParameters(null)).isNull();
        assertThat(LocalApiServer.queryParameters("")).isNull();
        assertThat(LocalApiServer.queryParameters("&&")).isNull();
    }
}
