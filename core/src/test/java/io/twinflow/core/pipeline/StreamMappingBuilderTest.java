package io.twinflow.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamMappingBuilderTest {

    @Test
    void anUntouchedBuilderGivesTheDeployedSettings() {
        assertThat(PipelineSpec.StreamMapping.builder().build())
                .isEqualTo(new PipelineSpec.StreamMapping(500, Duration.ofSeconds(1), true, true, 5, Duration.ofHours(6), 1))
                .isEqualTo(PipelineSpec.defaults().streamMapping());
    }

    @Test
    void eachNamedSettingChangesOnlyItsComponent() {
        PipelineSpec.StreamMapping changed = PipelineSpec.StreamMapping.builder()
                .batchSize(3).maxBatchingWindow(Duration.ZERO).bisectOnError(false).reportBatchItemFailures(false)
                .maxRetries(-1).maxRecordAge(Duration.ofMinutes(2)).parallelizationFactor(4)
                .build();

        assertThat(changed).isEqualTo(new PipelineSpec.StreamMapping(3, Duration.ZERO, false, false, -1, Duration.ofMinutes(2), 4));
        assertThat(PipelineSpec.StreamMapping.builder().maxRetries(0).build())
                .isEqualTo(new PipelineSpec.StreamMapping(500, Duration.ofSeconds(1), true, true, 0, Duration.ofHours(6), 1));
    }

    @Test
    void toBuilderStartsFromTheSettingsItCameFrom() {
        PipelineSpec.StreamMapping original = PipelineSpec.StreamMapping.builder().batchSize(7).bisectOnError(false).build();

        assertThat(original.toBuilder().build()).isEqualTo(original);
        assertThat(original.toBuilder().maxRetries(2).build())
                .isEqualTo(new PipelineSpec.StreamMapping(7, Duration.ofSeconds(1), false, true, 2, Duration.ofHours(6), 1));
    }

    @Test
    void buildChecksTheSettingsAsTheRecordDoes() {
        assertThatThrownBy(() -> PipelineSpec.StreamMapping.builder().batchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> PipelineSpec.StreamMapping.builder().parallelizationFactor(11).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelizationFactor");
    }
}
