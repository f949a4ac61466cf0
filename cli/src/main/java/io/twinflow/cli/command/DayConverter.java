package io.twinflow.cli.command;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** Reads a --date: a UTC day as YYYY-MM-DD. */
final class DayConverter implements CommandLine.ITypeConverter<LocalDate> {

    @Override
    public LocalDate convert(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a day: give YYYY-MM-DD, e.g. 2026-11-28");
        }
    }
}
