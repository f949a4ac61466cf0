package io.twinflow.benchmarks;

import io.twinflow.functions.live.LiveTables;
import io.twinflow.functions.stream.StreamRecord;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Local experiments behind the proposals for core and functions: each pair is what the code does
 * today for every record and a cheaper way to get the same answer, run on the benchmark's records in
 * the same interleaved slices as everything else. The difference is the gain, in microseconds per
 * record, the proposal would bring; nothing here is used by the pipeline.
 */
final class ComponentCosts {

    // The patterns EventDecoder uses for these fields.
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private final String[] ts;
    private final Instant[] instants;
    private final String[] eventIds;
    private final String[] deviceIds;
    private final String[][] metricNames;

    ComponentCosts(List<StreamRecord> records, List<io.twinflow.core.event.TelemetryEvent> events) {
        int n = records.size();
        ts = new String[n];
        instants = new Instant[n];
        eventIds = new String[n];
        deviceIds = new String[n];
        metricNames = new String[n][];
        for (int i = 0; i < n; i++) {
            var e = events.get(i);
            ts[i] = e.ts().toString();
            instants[i] = e.ts();
            eventIds[i] = e.eventId();
            deviceIds[i] = e.deviceId();
            metricNames[i] = e.metrics().keySet().toArray(String[]::new);
        }
    }

    int size() {
        return ts.length;
    }

    /** EventDecoder: {@code Instant.parse} of every event time. */
    long instantParse() {
        long sum = 0;
        for (String s : ts) {
            sum += Instant.parse(s).getNano();
        }
        return sum;
    }

    /** The same instants from a fixed-layout fast path, falling back to {@code Instant.parse} for any other form. */
    long instantParseFast() {
        long sum = 0;
        for (String s : ts) {
            sum += parseUtc(s).getNano();
        }
        return sum;
    }

    /** StreamProcessor.newer: two order keys formatted per event to pick the device's latest event. */
    long orderKeyTwice() {
        long sum = 0;
        for (int i = 1; i < ts.length; i++) {
            sum += LiveTables.orderKey(instants[i], eventIds[i]).compareTo(LiveTables.orderKey(instants[i - 1], eventIds[i - 1]));
        }
        return sum;
    }

    /** The same order without formatting: event time, then eventId. */
    long compareTsThenId() {
        long sum = 0;
        for (int i = 1; i < ts.length; i++) {
            int c = instants[i].compareTo(instants[i - 1]);
            sum += c != 0 ? c : eventIds[i].compareTo(eventIds[i - 1]);
        }
        return sum;
    }

    /** EventDecoder: a regex match for the device id and for every metric name. */
    long regexNames() {
        long sum = 0;
        for (int i = 0; i < ts.length; i++) {
            sum += DEVICE_ID.matcher(deviceIds[i]).matches() ? 1 : 0;
            for (String m : metricNames[i]) {
                sum += METRIC_NAME.matcher(m).matches() ? 1 : 0;
            }
        }
        return sum;
    }

    /** The same rules as character loops. */
    long loopNames() {
        long sum = 0;
        for (int i = 0; i < ts.length; i++) {
            sum += validDeviceId(deviceIds[i]) ? 1 : 0;
            for (String m : metricNames[i]) {
                sum += validMetricName(m) ? 1 : 0;
            }
        }
        return sum;
    }

    static boolean validDeviceId(String s) {
        if (s.isEmpty() || s.length() > 128) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(alnum(c) || c == '.' || c == '_' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static boolean validMetricName(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(alnum(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, what devices send almost always, read field by field;
     * anything else (offsets, other lengths) goes to {@code Instant.parse}, so answers never differ.
     */
    static Instant parseUtc(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return Instant.parse(s);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nano = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n == 21) {
                return Instant.parse(s);
            }
            int fraction = digits(s, 20, n - 1);
            if (fraction < 0) {
                return Instant.parse(s);
            }
            nano = fraction * (int) Math.pow(10, 9 - (n - 21));
        } else if (s.charAt(19) != 'Z') {
            return Instant.parse(s);
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || hour < 0 || minute < 0 || second < 0) {
            return Instant.parse(s);
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nano);
        } catch (DateTimeException e) {
            return Instant.parse(s);
        }
    }

    /** The decimal value of s[from, to), or -1 if any character is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
