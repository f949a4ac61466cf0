package io.twinflow.emulators;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A JVM for {@link EmbeddedPostgresIT} to kill: starts PostgreSQL, prints its data directory and
 * postmaster pid, and waits to be killed without ever closing it.
 */
public final class KilledPostgresHost {

    private KilledPostgresHost() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.start();
        try (Connection connection = postgres.connection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select current_setting('data_directory')")) {
            rows.next();
            Path dataDirectory = Path.of(rows.getString(1));
            String pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim();
            System.out.println("running " + dataDirectory + " " + pid);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
