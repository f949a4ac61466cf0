package io.twinflow.warehouse.sql;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a migration template for one engine: replaces {@code {{schema}}}, {@code {{json}}},
 * {@code {{long_text}}}, {@code {{layout:distkey|sortkey,sortkey}}}, {@code {{minutes_between:a|b}}}
 * and {@code {{days_between:a|b}}} with the {@link Dialect}'s spelling, and drops each statement with a
 * leading comment {@code -- only: <dialect>} for another dialect (e.g. PostgreSQL's secondary indexes,
 * which Redshift does not have).
 */
public final class MigrationTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)(?::([^}]*))?}}");
    private static final String ONLY_MARKER = "only:";

    private MigrationTemplate() {
    }

    public static String render(Dialect dialect, String template, String schema) {
        StringBuilder out = new StringBuilder(template.length());
        for (String statement : SqlScript.split(template)) {
            String only = SqlScript.leadingComments(statement).stream()
                    .filter(c -> c.startsWith(ONLY_MARKER))
                    .map(c -> c.substring(ONLY_MARKER.length()).strip())
                    .findFirst().orElse(null);
            if (only != null && !dialect.name().equalsIgnoreCase(only)) {
                continue;
            }
            out.append(substitute(dialect, statement, schema)).append(";\n\n");
        }
        return out.toString();
    }

    private static String substitute(Dialect dialect, String sql, String schema) {
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder(sql.length());
        while (m.find()) {
            String arg = m.group(2);
            String value = switch (m.group(1)) {
                case "schema" -> schema;
                case "json" -> dialect.jsonType();
                case "long_text" -> dialect.longTextType();
                case "layout" -> {
                    String[] parts = args(m, 2);
                    yield dialect.tableLayout(parts[0].strip(), parts[1].isBlank() ? List.of()
                            : List.of(parts[1].split("\\s*,\\s*")).stream().map(String::strip).toList());
                }
                case "minutes_between" -> {
                    String[] parts = args(m, 2);
                    yield dialect.minutesBetween(parts[0].strip(), parts[1].strip());
                }
                case "days_between" -> {
                    String[] parts = args(m, 2);
                    yield dialect.daysBetween(parts[0].strip(), parts[1].strip());
                }
                default -> throw new IllegalArgumentException("unknown placeholder " + m.group());
            };
            if (arg != null && !List.of("layout", "minutes_between", "days_between").contains(m.group(1))) {
                throw new IllegalArgumentException("placeholder takes no argument: " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String[] args(Matcher m, int count) {
        String arg = m.group(2);
        String[] parts = arg == null ? new String[0] : arg.split("\\|", -1);
        if (parts.length != count) {
            throw new IllegalArgumentException(m.group() + " needs " + count + " arguments separated by '|'");
        }
        return parts;
    }
}
