package io.twinflow.glue;

import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.warehouse.RawLineReader;
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
 * Splits a raw object into lines and judges each with core's {@link EventDecoder}, the Lambda's own
 * decoder, so both paths give every record the same verdict and reason code.
 *
 * <p>The decoder's reference time ("when the record reached the stream") is the object's S3
 * LastModified: the record arrived no later than that, and it is what the warehouse loader uses too,
 * so the loader and the rollup agree on {@code FUTURE_TIMESTAMP}. It can only be more lenient than the
 * Lambda by the archive's buffering interval.
 */
final class LineDecoder implements FlatMapFunction<RawObjectFile, DecodedLine> {

    private static final long serialVersionUID = 1L;
    private static final Pattern ARRIVAL_DATE = Pattern.compile("(?:^|/)dt=(\\d{4}-\\d{2}-\\d{2})/");

    private final long maxFutureSkewSeconds;
    // The decoder is not serializable; each executor builds its own once.
    private transient EventDecoder decoder;

    LineDecoder(Duration maxFutureSkew) {
        this.maxFutureSkewSeconds = maxFutureSkew.toSeconds();
    }

    @Override
    public Iterator<DecodedLine> call(RawObjectFile object) {
        EventDecoder d = decoder();
        String path = object.getPath();
        Instant objectTime = object.getModificationTime();
        String arrivalDate = arrivalDate(path, objectTime);
        // The loader's splitter, one byte above the record limit: a truncated line is still too large.
        RawLineReader lines = open(object.getContent(), d.limits().maxRecordBytes() + 1);
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
                DecodeResult result = d.decode(current.kept(), objectTime);
                if (result instanceof DecodeResult.Valid valid) {
                    TelemetryEvent e = valid.event();
                    out.setEventId(e.eventId());
                    out.setDeviceId(e.deviceId());
                    out.setTs(e.ts());
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
            decoder = new EventDecoder(DecoderLimits.defaults().withMaxFutureSkew(Duration.ofSeconds(maxFutureSkewSeconds)));
        }
        return decoder;
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
