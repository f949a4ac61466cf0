package io.twinflow.glue;

import io.twinflow.emulators.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** What the ITs read back from the warehouse, as comparable text, and how they release their emulators. */
final class SqlRows {

    private SqlRows() {
    }

    /** Each row as its values joined by spaces; timestamps as UTC instants, whatever the session zone. */
    static List<String> query(EmbeddedPostgres postgres, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = postgres.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object v = rs.getObject(i);
                    values.add(v instanceof Timestamp
                            ? rs.getObject(i, OffsetDateTime.class).toInstant().toString() : String.valueOf(v));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }

    /** Closes what was started, in the order given, skipping what never started. */
    static void closeAll(AutoCloseable... resources) throws Exception {
        for (AutoCloseable r : resources) {
            if (r != null) {
                r.close();
            }
        }
    }
}
