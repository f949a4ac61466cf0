package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.twinflow.core.error.UserMistakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExternalKafkaTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost:9092", "127.0.0.1:29092", "kafka-1.internal:9092,kafka-2.internal:9092", "[::1]:9092"})
    void takesHostPortListsAsTheyAre(String servers) {
        assertThat(ExternalKafka.at(" " + servers + " ").bootstrapServers()).isEqualTo(servers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "localhost:", ":9092", "localhost:0", "localhost:65536", "localhost:90a2",
        "localhost:9092,", "http://localhost:9092", "local host:9092"})
    void refusesAnythingButHostPortWithAOneLineFix(String servers) {
        assertThatThrownBy(() -> ExternalKafka.at(servers)).isInstanceOf(UserMistakeException.class)
                .hasMessageContaining("is not HOST:PORT").hasMessageNotContaining("\n");
    }
}
