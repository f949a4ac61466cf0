package io.twinflow.warehouse.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script into statements at semicolons that are outside string literals, quoted
 * identifiers and comments. The Data API runs a list of statements, not a script, and JDBC runs one
 * statement per call, so both adapters need the same split.
 */
final class SqlScript {

    private SqlScript() {
    }

    /** The statements of {@code script}, without their semicolons; comment-only pieces are dropped. */
    static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closing(script, i, c);
                current.append(script, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                end = end < 0 ? n : end;
                current.append(script, i, end);
                i = end;
            } else if (c == ';') {
                add(statements, current);
                current.setLength(0);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(statements, current);
        return statements;
    }

    /** Index just past the quote that closes the one at {@code start}; a doubled quote is an escape. */
    private static int closing(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unterminated " + quote + " quote in SQL script");
    }

    private static void add(List<String> statements, StringBuilder sql) {
        String statement = sql.toString().strip();
        if (!body(statement).isEmpty()) {
            statements.add(statement);
        }
    }

    /** The statement without its leading comment lines. */
    static String body(String statement) {
        StringBuilder out = new StringBuilder();
        boolean leading = true;
        for (String line : statement.split("\n", -1)) {
            if (leading && (line.isBlank() || line.strip().startsWith("--"))) {
                continue;
            }
            leading = false;
            out.append(line).append('\n');
        }
        return out.toString().strip();
    }

    /** The leading comment lines of a statement, without their {@code --}. */
    static List<String> leadingComments(String statement) {
        List<String> comments = new ArrayList<>();
        for (String line : statement.split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("--")) {
                comments.add(t.substring(2).strip());
            } else if (!t.isEmpty()) {
                break;
            }
        }
        return comments;
    }
}
