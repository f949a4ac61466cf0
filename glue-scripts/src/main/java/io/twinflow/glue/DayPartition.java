package io.twinflow.glue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import scala.Tuple2;

/**
 * One partition of the day's copies after the shuffle by device, in plain Java: sorted into (device,
 * window, stream order), judged by {@link WindowAdmission}, summarised by {@link DeviceSummarizer}. Out
 * come the judged copies, sorted by (device, time, eventId), then one {@link PartitionResult}.
 */
final class DayPartition implements FlatMapFunction<Iterator<Tuple2<Integer, Object>>, Object> {

    private static final long serialVersionUID = 1L;

    private final int maxWindowEvents;
    private final Instant dayStart;

    DayPartition(int maxWindowEvents, Instant dayStart) {
        this.maxWindowEvents = maxWindowEvents;
        this.dayStart = dayStart;
    }

    @Override
    public Iterator<Object> call(Iterator<Tuple2<Integer, Object>> pieces) {
        List<DayCopy> copies = new ArrayList<>();
        // One instance of each device, metric name, object key and shard for all the partition's blocks.
        Map<String, String> instances = new HashMap<>();
        LineTally tally = null;
        while (pieces.hasNext()) {
            Object piece = pieces.next()._2();
            if (piece instanceof byte[] block) {
                CopyBlock.Reader reader = new CopyBlock.Reader(block, instances);
                while (reader.hasNext()) {
                    copies.add(DayCopy.readFrom(reader));
                }
            } else if (tally == null) {
                tally = (LineTally) piece;
            } else {
                tally.merge((LineTally) piece);
            }
        }
        copies.sort(DayCopy.BY_DEVICE_WINDOW_AND_STREAM_ORDER);
        long windowFull = new WindowAdmission(maxWindowEvents).admit(copies);
        List<SummaryRow> summaries = new DeviceSummarizer(dayStart).summarize(copies);
        copies.forEach(DayCopy::dropEvent);
        List<Object> out = new ArrayList<>(copies.size() + 1);
        out.addAll(copies);
        out.add(new PartitionResult(TaskContext.getPartitionId(), tally, windowFull, summaries));
        return out.iterator();
    }
}
