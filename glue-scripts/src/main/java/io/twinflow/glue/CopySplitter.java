package io.twinflow.glue;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import scala.Tuple2;

/**
 * The one pass over the raw objects: decodes every line ({@link LineDecoder}), keys each valid copy of
 * the day's events by its device for the shuffle, and tallies every other line on the way. The
 * partition's tally leaves last, under a null key, so that all tallies meet in one partition: the
 * counts cost no second read of the archive and no row per line.
 */
final class CopySplitter implements PairFlatMapFunction<Iterator<RawObjectFile>, String, Object> {

    private static final long serialVersionUID = 1L;

    private final LineDecoder decoder;
    private final String day;

    CopySplitter(LineDecoder decoder, String day) {
        this.decoder = decoder;
        this.day = day;
    }

    @Override
    public Iterator<Tuple2<String, Object>> call(Iterator<RawObjectFile> objects) {
        LineTally tally = new LineTally(day);
        return new Iterator<>() {
            private Iterator<DecodedLine> lines = Collections.emptyIterator();
            private Tuple2<String, Object> next = advance();
            private boolean tallied;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Tuple2<String, Object> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Tuple2<String, Object> current = next;
                next = advance();
                return current;
            }

            private Tuple2<String, Object> advance() {
                while (true) {
                    while (lines.hasNext()) {
                        DecodedLine line = lines.next();
                        if (tally.add(line)) {
                            return new Tuple2<>(line.getDeviceId(), DayCopy.of(line));
                        }
                    }
                    if (objects.hasNext()) {
                        lines = decoder.call(objects.next());
                    } else if (!tallied) {
                        tallied = true;
                        return new Tuple2<>(null, tally);
                    } else {
                        return null;
                    }
                }
            }
        };
    }
}
