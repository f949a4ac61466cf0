package io.twinflow.glue;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import scala.Tuple2;

/**
 * The one pass over the raw objects: decodes every line ({@link LineDecoder}), packs each valid copy of
 * the day's events into a {@link CopyBlock} bound for its device's partition, and tallies every other
 * line on the way. Out come (partition, block) pairs, a block whenever one reaches
 * {@link CopyBlock#TARGET_BYTES} and the rest at the end, then the task's tally under partition 0, so
 * that all tallies meet in one partition: the counts cost no second read of the archive and no row per line.
 * A device's partition is its id's hash modulo the partitions, as Spark's {@code HashPartitioner} would
 * place the device; the pairs' keys are the partitions themselves, which that partitioner keeps.
 */
final class CopySplitter implements PairFlatMapFunction<Iterator<RawObjectFile>, Integer, Object> {

    private static final long serialVersionUID = 1L;

    private final LineDecoder decoder;
    private final String day;
    private final int partitions;

    CopySplitter(LineDecoder decoder, String day, int partitions) {
        this.decoder = decoder;
        this.day = day;
        this.partitions = partitions;
    }

    /** The partition of a device's copies. */
    static int partitionOf(String deviceId, int partitions) {
        return Math.floorMod(deviceId.hashCode(), partitions);
    }

    @Override
    public Iterator<Tuple2<Integer, Object>> call(Iterator<RawObjectFile> objects) {
        LineTally tally = new LineTally(day);
        CopyBlock.Writer[] blocks = new CopyBlock.Writer[partitions];
        for (int i = 0; i < partitions; i++) {
            blocks[i] = new CopyBlock.Writer();
        }
        return new Iterator<>() {
            private Iterator<DecodedLine> lines = Collections.emptyIterator();
            private final ArrayDeque<Tuple2<Integer, Object>> ready = new ArrayDeque<>();
            private boolean finished;

            @Override
            public boolean hasNext() {
                fill();
                return !ready.isEmpty();
            }

            @Override
            public Tuple2<Integer, Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            private void fill() {
                while (ready.isEmpty() && !finished) {
                    if (lines.hasNext()) {
                        DecodedLine line = lines.next();
                        if (tally.add(line)) {
                            int partition = partitionOf(line.getDeviceId(), partitions);
                            CopyBlock.Writer block = blocks[partition];
                            DayCopy.of(line).writeTo(block);
                            if (block.size() >= CopyBlock.TARGET_BYTES) {
                                ready.add(new Tuple2<>(partition, block.take()));
                            }
                        }
                    } else if (objects.hasNext()) {
                        lines = decoder.call(objects.next());
                    } else {
                        finished = true;
                        for (int i = 0; i < partitions; i++) {
                            if (blocks[i].size() > 0) {
                                ready.add(new Tuple2<>(i, blocks[i].take()));
                            }
                        }
                        ready.add(new Tuple2<>(0, tally));
                    }
                }
            }
        };
    }
}
