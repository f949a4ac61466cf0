package io.twinflow.warehouse.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.emulators.EmbeddedPostgres;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.sql.CopySql;
import io.twinflow.warehouse.sql.Dialect;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * PostgreSQL's loader stages in the binary COPY format, Redshift's in CSV: the same lines must become
 * the same staging rows either way, on real PostgreSQL 17.
 */
class StagingFormatsIT {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void binaryStagingGivesTheSameRowsAsCsvStagingForAdversarialLinesAndTheCorpus() throws Exception {
        long seed = Long.getLong("twinflow.seed", System.nanoTime());
        System.out.println("staging formats: -Dtwinflow.seed=" + seed);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<byte[]> lines = new ArrayList<>(AdversarialLines.generate(seed, 5_000, now));
        lines.addAll(AdversarialLines.corpus(now));
        byte[] object = joined(lines);

        for (boolean payloads : new boolean[] {true, false}) {
            try (Connection c = postgres.dataSource().getConnection()) {
                c.setAutoCommit(false);
                LoadSql sql = new LoadSql(Dialect.POSTGRES, "telemetry", 20_000);
                execute(c, sql.createStage());
                execute(c, sql.createStage().replace(LoadSql.STAGE_LINES, "stage_csv"));

                StagedLine binary = new StagedLine(LoadRules.defaults(), Dialect.POSTGRES.maxStoredPayloadBytes(), payloads);
                ByteArrayOutputStream records = new ByteArrayOutputStream();
                binary.writeObjectBinary(new ByteArrayInputStream(object), now, records);
                copy(c, sql.copyStageFromStdin(), new ByteArrayInputStream(records.toByteArray()));
                StagedLine csv = new StagedLine(LoadRules.defaults(), Dialect.POSTGRES.maxStoredPayloadBytes(), payloads);
                StringWriter text = new StringWriter();
                csv.writeObject(new ByteArrayInputStream(object), now, text);
                // As bytes, as the loader and Redshift's S3 object carry it: PgJDBC's copyIn(Reader) encodes each 64K-char
                // chunk apart, so a surrogate pair (an emoji) across a chunk boundary would arrive as "??".
                copy(c, CopySql.fromStdin("stage_csv", StagedLine.COLUMNS), new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));

                assertThat(binary.valid()).isEqualTo(csv.valid()).isPositive();
                assertThat(binary.rejected()).isEqualTo(csv.rejected()).isPositive();
                assertThat(count(c, "SELECT COUNT(*) FROM " + LoadSql.STAGE_LINES)).isEqualTo(lines.size());
                assertThat(count(c, "SELECT COUNT(*) FROM (SELECT * FROM stage_lines EXCEPT ALL SELECT * FROM stage_csv) d"))
                        .as("seed %d, payloads %s", seed, payloads).isZero();
                assertThat(count(c, "SELECT COUNT(*) FROM (SELECT * FROM stage_csv EXCEPT ALL SELECT * FROM stage_lines) d"))
                        .as("seed %d, payloads %s", seed, payloads).isZero();
                c.rollback();
            }
        }
    }

    private static byte[] joined(List<byte[]> lines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            out.write(line);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static void copy(Connection c, String copySql, InputStream data) throws SQLException, IOException {
        c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, data);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
