package io.twinflow.warehouse.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void theIndexListsEveryMigrationFileInVersionOrder() throws IOException {
        List<String> files;
        try (Stream<Path> dir = Files.list(Path.of("src/main/resources/db/migration"))) {
            files = dir.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }

        assertThat(Migrations.all()).extracting(Migration::version).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(files).hasSize(Migrations.all().size());
    }

    @Test
    void pendingSkipsAppliedVersionsAndRefusesEditedOnes() {
        List<Migration> all = Migrations.all();
        Migration first = all.get(0);

        assertThat(Migrations.pending(all, Map.of(1, first.checksum()))).extracting(Migration::version).containsExactly(2, 3, 4, 5, 6, 7, 8);
        assertThatThrownBy(() -> Migrations.pending(all, Map.of(1, "0".repeat(32))))
                .hasMessageContaining("V1").hasMessageContaining("changed after it was applied");
    }

    @Test
    void checksumIsOfTheTemplateSoBothEnginesAgree() {
        Migration m = new Migration(9, "x", "CREATE TABLE {{schema}}.t (j {{json}})");

        assertThat(m.checksum()).hasSize(32).isEqualTo(new Migration(9, "y", m.template()).checksum())
                .isNotEqualTo(new Migration(9, "x", m.template() + " ").checksum());
    }

    @Test
    void recordingAVersionIsGuardedAgainstARacingRunner() {
        String sql = Migrations.record(Dialect.REDSHIFT, "telemetry", new Migration(2, "summaries", "SELECT 1"));

        assertThat(sql).startsWith("INSERT INTO telemetry.schema_migrations").endsWith(
                "WHERE NOT EXISTS (SELECT 1 FROM telemetry.schema_migrations WHERE version = 2)");
    }
}
