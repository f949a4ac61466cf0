package io.twinflow.warehouse.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The warehouse's migrations, read from {@code db/migration/} on the classpath in the order of its
 * {@code index.txt} (a jar cannot list a folder), and the bookkeeping SQL both runners share.
 */
public final class Migrations {

    private static final String FOLDER = "db/migration/";
    private static final Pattern FILE = Pattern.compile("V(\\d{3})__([a-z0-9_]+)\\.sql");

    private Migrations() {
    }

    public static List<Migration> all() {
        List<Migration> migrations = new ArrayList<>();
        for (String line : resource("index.txt").split("\n")) {
            String name = line.strip();
            if (name.isEmpty()) {
                continue;
            }
            Matcher m = FILE.matcher(name);
            if (!m.matches()) {
                throw new IllegalStateException("migration file name " + name + " is not V###__words.sql");
            }
            int version = Integer.parseInt(m.group(1));
            if (!migrations.isEmpty() && migrations.get(migrations.size() - 1).version() >= version) {
                throw new IllegalStateException("migrations must be listed in increasing version order: " + name);
            }
            migrations.add(new Migration(version, m.group(2).replace('_', ' '), resource(name)));
        }
        return List.copyOf(migrations);
    }

    /** Creates the schema and the table of applied migrations; safe to run any number of times. */
    public static List<String> bootstrap(String schema) {
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + schema,
                "CREATE TABLE IF NOT EXISTS " + schema + ".schema_migrations ("
                        + "version INTEGER NOT NULL, description VARCHAR(200) NOT NULL, checksum VARCHAR(64) NOT NULL, "
                        + "applied_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (version))");
    }

    public static String selectApplied(String schema) {
        return "SELECT version, checksum FROM " + schema + ".schema_migrations ORDER BY version";
    }

    /** Records a migration unless a racing runner already did (Redshift does not enforce keys). */
    public static String record(Dialect dialect, String schema, Migration migration) {
        return "INSERT INTO " + schema + ".schema_migrations (version, description, checksum, applied_at) "
                + "SELECT " + migration.version() + ", " + dialect.quote(migration.description()) + ", "
                + dialect.quote(migration.checksum()) + ", CURRENT_TIMESTAMP "
                + "WHERE NOT EXISTS (SELECT 1 FROM " + schema + ".schema_migrations WHERE version = " + migration.version() + ")";
    }

    /**
     * The migrations not yet applied, after checking that every applied one is unchanged: an edited
     * migration would leave databases that ran the old text and ones that ran the new.
     */
    public static List<Migration> pending(List<Migration> all, Map<Integer, String> appliedChecksums) {
        List<Migration> pending = new ArrayList<>();
        for (Migration migration : all) {
            String applied = appliedChecksums.get(migration.version());
            if (applied == null) {
                pending.add(migration);
            } else if (!applied.equals(migration.checksum())) {
                throw new IllegalStateException("migration V" + migration.version() + " (" + migration.description()
                        + ") was changed after it was applied: add a new migration instead");
            }
        }
        return pending;
    }

    private static String resource(String name) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + FOLDER + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
