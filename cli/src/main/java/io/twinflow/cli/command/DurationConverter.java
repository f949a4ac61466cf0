package io.twinflow.cli.command;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/** Reads "90", "90s", "5m", "1h", "250ms" or ISO-8601 ("PT1M"); a bare number is seconds. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            throw new CommandLine.TypeConversionException("no duration given (try 90s, 5m, 1h)");
        }
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            char unit = v.charAt(v.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
            }
            double amount = Double.parseDouble(v.substring(0, v.length() - 1));
            long seconds = switch (unit) {
                case 's' -> 1;
                case 'm' -> 60;
                case 'h' -> 3600;
                default -> throw new CommandLine.TypeConversionException("unknown unit '" + unit + "' in " + value);
            };
            return Duration.ofMillis(Math.round(amount * seconds * 1000));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("not a duration: " + value + " (try 90s, 5m, 1h)");
        }
    }
}
