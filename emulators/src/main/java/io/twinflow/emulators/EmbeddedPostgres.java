package io.twinflow.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL 17 server, standing in for Redshift locally: real binaries unpacked from Maven and
 * run as a child process with a throwaway data directory, deleted again on close.
 *
 * <p>The server trusts every loopback connection, so {@link #password()} is accepted but never
 * checked; it exists so that code written for a password-protected warehouse runs unchanged.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private static final String DATABASE = "postgres";
    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final Duration startupTime;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Duration startupTime) {
        this.server = server;
        this.startupTime = startupTime;
    }

    /** Starts on a free port. */
    public static EmbeddedPostgres start() {
        return start(0);
    }

    /** Starts on the given port, or on a free one when the port is 0. */
    public static EmbeddedPostgres start(int port) {
        long began = System.nanoTime();
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", LoopbackPorts.HOST);
        if (port != 0) {
            builder.setPort(port);
        }
        try {
            EmbeddedPostgres started = new EmbeddedPostgres(builder.start(), Duration.ofNanos(System.nanoTime() - began));
            LOG.info("PostgreSQL started at {} in {} ms", started.jdbcUrl(), started.startupTime.toMillis());
            return started;
        } catch (IOException e) {
            throw new EmulatorStartException("embedded PostgreSQL did not start", e);
        }
    }

    /** A {@code postgresql://} URI, for tools that take one instead of a JDBC URL. */
    public URI endpoint() {
        return URI.create("postgresql://" + host() + ":" + port() + "/" + DATABASE);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + DATABASE;
    }

    public String host() {
        return LoopbackPorts.HOST;
    }

    public int port() {
        return server.getPort();
    }

    public String database() {
        return DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** A non-pooling data source: each {@code getConnection()} opens a new session. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host()});
        dataSource.setPortNumbers(new int[] {port()});
        dataSource.setDatabaseName(DATABASE);
        dataSource.setUser(USER);
        dataSource.setPassword(PASSWORD);
        return dataSource;
    }

    /** A new connection; the caller closes it. */
    public Connection connection() throws SQLException {
        return dataSource().getConnection();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
