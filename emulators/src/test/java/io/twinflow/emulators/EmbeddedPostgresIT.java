package io.twinflow.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

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
}
