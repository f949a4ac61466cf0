package io.twinflow.local.tradeoff;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * What {@link UsageMeter} counted: totals per {@code Service Operation resource}, and the size (data plus
 * partition key) of every record Kinesis accepted.
 */
public record Usage(Map<String, UsageMeter.Tally> tallies, List<Integer> kinesisRecordSizes) {

    public Usage {
        tallies = Map.copyOf(tallies);
        kinesisRecordSizes = List.copyOf(kinesisRecordSizes);
    }

    /** Nothing counted. */
    public static Usage none() {
        return new Usage(Map.of(), List.of());
    }

    /** Adds {@code value} of every tally of {@code service} whose operation is in {@code operations} and resource in {@code resources}. */
    public double sum(String service, Set<String> operations, Set<String> resources, ToDoubleFunction<UsageMeter.Tally> value) {
        double total = 0;
        for (Map.Entry<String, UsageMeter.Tally> e : tallies.entrySet()) {
            String[] key = e.getKey().split(" ", 3);
            if (key[0].equals(service) && (operations.isEmpty() || operations.contains(key[1])) && touches(key[2], resources)) {
                total += value.applyAsDouble(e.getValue());
            }
        }
        return total;
    }

    /** Successful calls of those operations on those resources. */
    public long calls(String service, Set<String> operations, Set<String> resources) {
        return Math.round(sum(service, operations, resources, t -> t.calls() - t.failures()));
    }

    /** Records Kinesis accepted. */
    public long kinesisRecords() {
        return kinesisRecordSizes.size();
    }

    /** Sum over the accepted records of each one's size rounded up to a multiple of {@code unit} bytes (billing units). */
    public long roundedKinesisBytes(long unit) {
        long total = 0;
        for (int size : kinesisRecordSizes) {
            total += Math.max(1, (size + unit - 1) / unit) * unit;
        }
        return total;
    }

    /** Sum of the accepted records' sizes. */
    public long kinesisBytes() {
        return kinesisRecordSizes.stream().mapToLong(Integer::longValue).sum();
    }

    /** A batch request may name several tables: it counts for a set when it names any of them. */
    private static boolean touches(String resource, Set<String> resources) {
        if (resources.isEmpty()) {
            return true;
        }
        for (String r : resource.split(",")) {
            if (resources.contains(r)) {
                return true;
            }
        }
        return false;
    }

    /** Every tally, for the report's detail. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        new TreeMap<>(tallies).forEach((k, v) -> m.put(k, v.toMap()));
        return m;
    }
}
