package io.twinflow.warehouse.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsAtSemicolonsOutsideLiteralsIdentifiersAndComments() {
        String script = "-- header; not a split\nSELECT 'a;''b' AS \"x;y\";\n\nSELECT 2 -- trailing; comment\n;\n-- only a comment;\n";

        assertThat(SqlScript.split(script)).containsExactly(
                "-- header; not a split\nSELECT 'a;''b' AS \"x;y\"", "SELECT 2 -- trailing; comment");
    }

    @Test
    void anUnterminatedLiteralIsAnError() {
        assertThatThrownBy(() -> SqlScript.split("SELECT 'oops;")).hasMessageContaining("unterminated");
    }

    @Test
    void leadingCommentsAreSeparatedFromTheBody() {
        String statement = "-- one\n  -- two\nSELECT 1 -- not leading";

        assertThat(SqlScript.leadingComments(statement)).containsExactly("one", "two");
        assertThat(SqlScript.body(statement)).isEqualTo("SELECT 1 -- not leading");
    }
}
