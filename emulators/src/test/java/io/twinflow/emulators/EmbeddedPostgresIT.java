package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresIT {

    @Test
    void runsPostgresSeventeenAndMerges() throws SQLException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
             Connection connection = postgres.connection()) {
            RoundTrips.postgres(connection);
        }
    }

    @Test
    void acceptsThePublishedJdbcUrlAndCredentials() throws SQLException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
             Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select current_database(), current_user, inet_server_port()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(postgres.database());
            assertThat(rows.getString(2)).isEqualTo(postgres.user());
            assertThat(rows.getInt(3)).isEqualTo(postgres.port());
        }
    }

    @Test
    void aKilledJvmLeavesNeitherTheServerNorItsDataDirectoryBehind() throws Exception {
        Map.Entry<Process, String> run = RoundTrips.hostReporting(KilledPostgresHost.class, "running ");
        Process host = run.getKey();
        String[] running = run.getValue().split(" ");
        Path dataDirectory = Path.of(running[0]);
        long postmaster = Long.parseLong(running[1]);
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).contains(true);

        host.destroyForcibly().waitFor();

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while ((ProcessHandle.of(postmaster).isPresent() || Files.exists(dataDirectory)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(dataDirectory).doesNotExist();
    }

    @Test
    void anOnDiskDataDirectoryKeepsTheDatabaseForTheNextServer(@TempDir Path directory) throws SQLException {
        Path data = directory.resolve("pg");
        try (EmbeddedPostgres first = EmbeddedPostgres.startOnDisk(data);
             Connection connection = first.connection();
             Statement statement = connection.createStatement()) {
            statement.execute("create table kept (id int primary key)");
            statement.execute("insert into kept values (7)");
        }
        assertThat(data.resolve("PG_VERSION")).exists();

        try (EmbeddedPostgres second = EmbeddedPostgres.startOnDisk(data);
             Connection connection = second.connection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select id from kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(7);
        }
    }
}
