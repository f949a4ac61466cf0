package io.twinflow.warehouse.sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One versioned schema migration: a SQL template rendered per {@link Dialect}. Its checksum is taken
 * over the template, so it is the same on both engines and changes whenever the file is edited.
 *
 * <p>Every statement must be safe to run again ({@code IF NOT EXISTS}, {@code CREATE OR REPLACE}):
 * Redshift cannot skip statements inside a Data API batch, so two runners that race may both apply it.
 */
public record Migration(int version, String description, String template) {

    public String checksum() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(template.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** The statements of this migration for one engine, without semicolons. */
    public List<String> statements(Dialect dialect, String schema) {
        return SqlScript.split(dialect.render(template, schema));
    }
}
