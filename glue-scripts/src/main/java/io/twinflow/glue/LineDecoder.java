package io.twinflow.glue;

import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.archive.ArchivedRecord;
import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.ReasonCode;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.window.Windows;
import io.twinflow.warehouse.load.RawLineReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Splits a raw object into lines, reads each as core's archive framing ({@link ArchiveLine}) and judges
 * the record's bytes with core's {@link EventDecoder}, the Lambda's own decoder, against the record's
 * arrival time and with the stream's limits: both paths give every record the same verdict and reason
 * code. An envelope line carries the record's arrival and stream position; a plain (older or hand-made)
 * line is one record that arrived at the object's LastModified, with no position. A line that starts as
 * an envelope but is not a well-formed one is {@code BAD_ARCHIVE_LINE}.
 */
final class LineDecoder implements FlatMapFunction<RawObjectFile, DecodedLine> {

    private static final long serialVersionUID = 1L;
    private static final Pattern ARRIVAL_DATE = Pattern.compile("(?:^|/)dt=(\\d{4}-\\d{2}-\\d{2})/");

    // DecoderLimits and Windows are not serializable: their components travel, each executor rebuilds them.
    private final int maxRecordBytes;
    private final int maxNestingDepth;
    private final long maxFutureSkewNanos;
    private final int maxMetrics;
    private final long maxLatenessNanos;
    private final long windowSeconds;
    private transient EventDecoder decoder;
    private transient Windows windows;

    LineDecoder(DecoderLimits limits, Windows windows) {
        this.maxRecordBytes = limits.maxRecordBytes();
        this.maxNestingDepth = limits.maxNestingDepth();
        this.maxFutureSkewNanos = limits.maxFutureSkew().toNanos();
        this.maxMetrics = limits.maxMetrics();
        this.maxLatenessNanos = limits.maxLateness().toNanos();
        this.windowSeconds = windows.size().toSeconds();
    }

    @Override
    public Iterator<DecodedLine> call(RawObjectFile object) {
        EventDecoder d = decoder();
        String path = object.getPath();
        Instant objectTime = object.getModificationTime();
        String arrivalDate = arrivalDate(path, objectTime);
        int maxLineBytes = maxLineBytes(d.limits());
        RawLineReader lines = open(object.getContent(), maxLineBytes);
        return new Iterator<>() {
            private RawLineReader.RawLine line = read(lines);

            @Override
            public boolean hasNext() {
                return line != null;
            }

            @Override
            public DecodedLine next() {
                if (line == null) {
                    throw new NoSuchElementException();
                }
                RawLineReader.RawLine current = line;
                line = read(lines);
                DecodedLine out = new DecodedLine();
                out.setObjectPath(path);
                out.setObjectTime(objectTime);
                out.setArrivalDate(arrivalDate);
                out.setLineNo(current.number());
                if (ArchiveLine.holdsTooLargeRecord(current.fullLength(), d.limits().maxRecordBytes())) {
                    // Judged on the line's length alone, as the loader judges it.
                    out.setReason(ReasonCode.RECORD_TOO_LARGE.name());
                    return out;
                }
                ArchiveLine.Read read = ArchiveLine.read(current.kept(), objectTime);
                if (read instanceof ArchiveLine.Malformed) {
                    out.setReason(ReasonCode.BAD_ARCHIVE_LINE.name());
                    return out;
                }
                ArchivedRecord record = ((ArchiveLine.Record) read).record();
                out.setArrival(record.arrival());
                out.setShardId(record.shardId());
                out.setSequenceNumber(record.sequenceNumber());
                DecodeResult result = d.decode(record.data(), record.arrival());
                if (result instanceof DecodeResult.Valid valid) {
                    TelemetryEvent e = valid.event();
                    out.setEventId(e.eventId());
                    out.setDeviceId(e.deviceId());
                    out.setTs(e.ts());
                    out.setWindowStart(windows().startOf(e.ts()));
                    out.setEventDate(LocalDate.ofInstant(e.ts(), ZoneOffset.UTC).toString());
                    out.setSchemaVersion(e.schemaVersion());
                    out.setMetrics(e.metrics());
                    if (e.location() != null) {
                        out.setLat(e.location().lat());
                        out.setLon(e.location().lon());
                    }
                } else {
                    out.setReason(((DecodeResult.Rejected) result).reason().name());
                }
                return out;
            }
        };
    }

    /** How much of a line is kept: one byte more than the longest line that can hold a record within the limit. */
    static int maxLineBytes(DecoderLimits limits) {
        return ArchiveLine.longestLine(limits.maxRecordBytes()) + 1;
    }

    private static RawLineReader open(byte[] objectBytes, int maxKeptBytes) {
        try {
            return new RawLineReader(RawLineReader.gunzipIfNeeded(new ByteArrayInputStream(objectBytes)), maxKeptBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("not a readable raw object", e);
        }
    }

    private static RawLineReader.RawLine read(RawLineReader lines) {
        try {
            return lines.next();
        } catch (IOException e) {
            throw new UncheckedIOException("raw object is corrupt", e);
        }
    }

    private EventDecoder decoder() {
        if (decoder == null) {
            decoder = new EventDecoder(new DecoderLimits(maxRecordBytes, maxNestingDepth, Duration.ofNanos(maxFutureSkewNanos),
                    maxMetrics, Duration.ofNanos(maxLatenessNanos)));
        }
        return decoder;
    }

    private Windows windows() {
        if (windows == null) {
            windows = new Windows(Duration.ofSeconds(windowSeconds));
        }
        return windows;
    }

    /** The {@code dt=} partition in the object's key; an object outside the layout counts for its LastModified day. */
    static String arrivalDate(String path, Instant objectTime) {
        Matcher m = ARRIVAL_DATE.matcher(path);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found != null ? found : LocalDate.ofInstant(objectTime, ZoneOffset.UTC).toString();
    }
}
