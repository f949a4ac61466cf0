package io.twinflow.warehouse.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedshiftDataApiSettingsTest {

    private static RedshiftDataApiSettings.Builder serverless() {
        return RedshiftDataApiSettings.builder().database("dev").workgroupName("wg").secretArn("s").copyRoleArn("r").stagingBucket("b");
    }

    @Test
    void settingsRequireExactlyOneTargetAndACredential() {
        assertThatThrownBy(() -> serverless().clusterIdentifier("cluster").build()).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> serverless().workgroupName(null).clusterIdentifier("cluster").secretArn(null).build())
                .hasMessageContaining("secretArn or dbUser");
        assertThatThrownBy(() -> serverless().secretArn(null).dbUser("loader").build()).hasMessageContaining("not dbUser");
        assertThatThrownBy(() -> serverless().copyRoleArn(null).build()).hasMessageContaining("copyRoleArn");
    }

    @Test
    void leftOutSettingsGetTheDeployedDefaults() {
        RedshiftDataApiSettings settings = serverless().build();

        assertThat(settings.stagingPrefix()).isEqualTo("warehouse-staging/");
        assertThat(settings.pollInitial()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.pollMax()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.statementTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings).isEqualTo(serverless().build()).hasSameHashCodeAs(serverless().build())
                .isNotEqualTo(serverless().stagingPrefix("").build());
    }

    @Test
    void pollingAndPrefixAreChecked() {
        assertThatThrownBy(() -> serverless().pollInitial(Duration.ZERO).build()).hasMessageContaining("pollInitial");
        assertThatThrownBy(() -> serverless().pollMax(Duration.ofMillis(1)).build()).hasMessageContaining("pollMax");
        assertThatThrownBy(() -> serverless().stagingPrefix("no-slash").build()).hasMessageContaining("end with '/'");
    }

    @Test
    void theEnvironmentIsReadUnderTheNamesTheStackSets() {
        Map<String, String> env = new HashMap<>(Map.of(
                "TWINFLOW_REDSHIFT_DATABASE", "dev", "TWINFLOW_REDSHIFT_CLUSTER", "c", "TWINFLOW_REDSHIFT_DB_USER", "loader",
                "TWINFLOW_REDSHIFT_COPY_ROLE_ARN", "r", "TWINFLOW_REDSHIFT_STAGING_BUCKET", "b"));

        assertThat(RedshiftDataApiSettings.fromEnvironment(env)).isEqualTo(RedshiftDataApiSettings.builder().database("dev")
                .clusterIdentifier("c").dbUser("loader").copyRoleArn("r").stagingBucket("b").build());

        env.remove("TWINFLOW_REDSHIFT_CLUSTER");
        env.putAll(Map.of("TWINFLOW_REDSHIFT_WORKGROUP", "wg", "TWINFLOW_REDSHIFT_SECRET_ARN", "s",
                "TWINFLOW_REDSHIFT_STAGING_PREFIX", "stage/"));
        env.remove("TWINFLOW_REDSHIFT_DB_USER");
        assertThat(RedshiftDataApiSettings.fromEnvironment(env)).isEqualTo(serverless().stagingPrefix("stage/").build());
    }

    @Test
    void aMissingRequiredVariableIsNamed() {
        Map<String, String> env = Map.of(RedshiftDataApiSettings.ENV_DATABASE, "dev", RedshiftDataApiSettings.ENV_WORKGROUP, "wg",
                RedshiftDataApiSettings.ENV_SECRET_ARN, "s", RedshiftDataApiSettings.ENV_COPY_ROLE_ARN, " ");

        assertThatThrownBy(() -> RedshiftDataApiSettings.fromEnvironment(env))
                .hasMessage("environment variable TWINFLOW_REDSHIFT_COPY_ROLE_ARN is not set");
    }
}
