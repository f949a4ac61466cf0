package io.twinflow.functions.stream;

import io.twinflow.core.aggregate.WindowState;
import io.twinflow.core.alert.Alert;
import io.twinflow.core.alert.AlertRules;
import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.ReasonCode;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.window.Windows;
import io.twinflow.functions.live.ItemWrites;
import io.twinflow.functions.live.LiveStateStore;
import io.twinflow.functions.live.WindowKey;
import io.twinflow.functions.live.WindowWrite;
import io.twinflow.functions.quarantine.QuarantineSink;
import io.twinflow.functions.quarantine.QuarantinedRecord;
import io.twinflow.live.LiveTables;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The stream-processor's logic, free of Lambda types: decode and validate every record, quarantine the
 * invalid ones, aggregate the valid ones per (device, window) in memory, write each window once, then
 * the devices' latest state and the alerts the windows raise.
 *
 * <p>Two outcomes come from the store rather than the decoder: a new event that does not fit its full
 * window is quarantined as {@code WINDOW_FULL}, and a record whose window, latest-state or alert write
 * the store refuses for good is quarantined as {@code STORE_REJECTED}, not retried.
 *
 * <p>Failure handling follows the event source mapping's contract: a record whose effects are not all
 * durable is reported (by sequence number) in {@code batchItemFailures}; Lambda resumes from the lowest
 * one and redelivers everything after it, which is harmless because every write is idempotent.
 */
public final class StreamProcessor {

    /** Below this much remaining invocation time no new phase starts: its records are retried instead. */
    static final long SAFETY_MARGIN_MILLIS = 3_000;

    private static final Comparator<String> STREAM_ORDER = Comparator
            .comparing((String seq) -> seq.chars().allMatch(Character::isDigit) ? new BigInteger(seq) : BigInteger.ZERO)
            .thenComparing(Comparator.naturalOrder());

    private final EventDecoder decoder;
    private final Windows windows;
    private final AlertRules alertRules;
    private final LiveStateStore store;
    private final QuarantineSink quarantine;

    public StreamProcessor(EventDecoder decoder, Windows windows, AlertRules alertRules, LiveStateStore store,
                           QuarantineSink quarantine) {
        this.decoder = decoder;
        this.windows = windows;
        this.alertRules = alertRules;
        this.store = store;
        this.quarantine = quarantine;
    }

    private enum Fate { APPLIED, DUPLICATE, QUARANTINED, FAILED }

    /**
     * @param remainingMillis how long the invocation may still run (Lambda's remaining time)
     */
    public BatchOutcome process(List<StreamRecord> records, LongSupplier remainingMillis) {
        long started = System.nanoTime();
        int n = records.size();
        Fate[] fate = new Fate[n];
        boolean[] retry = new boolean[n];
        String[] reason = new String[n];

        // 1. Decode: pure, never throws for bad input.
        TelemetryEvent[] events = new TelemetryEvent[n];
        List<QuarantinedRecord> toQuarantine = new ArrayList<>();
        List<Integer> quarantineIndex = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StreamRecord record = records.get(i);
            DecodeResult result = decoder.decode(record.data(), record.arrivalTime());
            if (result instanceof DecodeResult.Valid valid) {
                events[i] = valid.event();
            } else {
                DecodeResult.Rejected rejected = (DecodeResult.Rejected) result;
                reason[i] = rejected.reason().name();
                toQuarantine.add(quarantined(record, reason[i], rejected.detail()));
                quarantineIndex.add(i);
            }
        }

        // 2. Group the valid events by (device, window), keeping delivery order inside each group.
        Map<WindowKey, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            if (events[i] != null) {
                groups.computeIfAbsent(new WindowKey(events[i].deviceId(), windows.startOf(events[i].ts())), k -> new ArrayList<>()).add(i);
            }
        }
        List<WindowWrite.Delivery> deliveries = new ArrayList<>(groups.size());
        List<List<Integer>> deliveryIndex = new ArrayList<>(groups.size());
        groups.forEach((key, indexes) -> {
            deliveries.add(new WindowWrite.Delivery(key, indexes.stream().map(i -> events[i]).toList()));
            deliveryIndex.add(indexes);
        });

        // 3. One conditional write per window.
        List<Alert> alerts = new ArrayList<>();
        Map<String, Integer> latest = new HashMap<>();
        Map<String, List<Integer>> writtenByDevice = new HashMap<>();
        Map<WindowKey, List<Integer>> writtenByWindow = new HashMap<>();
        if (!deliveries.isEmpty() && remainingMillis.getAsLong() < SAFETY_MARGIN_MILLIS) {
            deliveryIndex.forEach(indexes -> indexes.forEach(i -> fate[i] = Fate.FAILED));
        } else if (!deliveries.isEmpty()) {
            List<WindowWrite.Result> results = store.applyWindows(deliveries);
            for (int d = 0; d < results.size(); d++) {
                WindowWrite.Result result = results.get(d);
                List<Integer> indexes = deliveryIndex.get(d);
                switch (result.status()) {
                    case WRITTEN -> {
                        WindowKey key = result.delivery().key();
                        // One device and one window per delivery: the maps are looked up once per delivery, not per record.
                        List<Integer> written = new ArrayList<>(indexes.size());
                        int newest = -1;
                        for (int j = 0; j < indexes.size(); j++) {
                            int i = indexes.get(j);
                            if (result.full()[j]) {
                                reason[i] = ReasonCode.WINDOW_FULL.name();
                                toQuarantine.add(quarantined(records.get(i), reason[i], result.detail()));
                                quarantineIndex.add(i);
                                continue;
                            }
                            fate[i] = result.applied()[j] ? Fate.APPLIED : Fate.DUPLICATE;
                            newest = newest < 0 ? i : newer(events, newest, i);
                            written.add(i);
                        }
                        if (newest >= 0) {
                            latest.merge(key.deviceId(), newest, (a, b) -> newer(events, a, b));
                            writtenByDevice.computeIfAbsent(key.deviceId(), k -> new ArrayList<>()).addAll(written);
                            writtenByWindow.computeIfAbsent(key, k -> new ArrayList<>()).addAll(written);
                        }
                        // Raised from the window's whole state, not just this delivery, so an alert
                        // whose write failed last time is written on the redelivery.
                        alerts.addAll(alertRules.evaluate(key.deviceId(), key.windowStart(), result.aggregate()));
                    }
                    case FAILED -> indexes.forEach(i -> fate[i] = Fate.FAILED);
                    case REJECTED -> indexes.forEach(i -> {
                        reason[i] = QuarantinedRecord.STORE_REJECTED;
                        toQuarantine.add(quarantined(records.get(i), reason[i], result.detail()));
                        quarantineIndex.add(i);
                    });
                }
            }
        }

        // 4. Latest state, alerts and quarantine: each idempotent.
        if (remainingMillis.getAsLong() < SAFETY_MARGIN_MILLIS) {
            writtenByDevice.values().forEach(indexes -> indexes.forEach(i -> retry[i] = true));
            quarantineIndex.forEach(i -> fate[i] = Fate.FAILED);
        } else {
            Set<String> devicesToRetry = new HashSet<>();
            Map<Integer, String> refused = new TreeMap<>();
            if (!latest.isEmpty()) {
                ItemWrites<String> states = store.putLatestStates(latest.values().stream().map(i -> events[i]).toList());
                devicesToRetry.addAll(states.failedDevices());
                // The state item is the latest event's: that record is the one the store refuses.
                states.rejected().forEach((device, detail) -> refused.put(latest.get(device), detail));
            }
            if (!alerts.isEmpty()) {
                ItemWrites<WindowKey> written = store.putAlerts(alerts);
                devicesToRetry.addAll(written.failedDevices());
                // An alert is a function of its window: every record of the batch in that window feeds it.
                written.rejected().forEach((key, detail) -> writtenByWindow.getOrDefault(key, List.of())
                        .forEach(i -> refused.putIfAbsent(i, detail)));
            }
            devicesToRetry.forEach(device -> writtenByDevice.get(device).forEach(i -> retry[i] = true));
            // Refused for good: retrying cannot help, so the records are quarantined instead of reported.
            refused.forEach((i, detail) -> {
                reason[i] = QuarantinedRecord.STORE_REJECTED;
                retry[i] = false;
                toQuarantine.add(quarantined(records.get(i), reason[i], detail));
                quarantineIndex.add(i);
            });
            Set<String> notQuarantined = toQuarantine.isEmpty() ? Set.of() : quarantine.put(toQuarantine);
            for (int q = 0; q < quarantineIndex.size(); q++) {
                int i = quarantineIndex.get(q);
                fate[i] = notQuarantined.contains(records.get(i).sequenceNumber()) ? Fate.FAILED : Fate.QUARANTINED;
            }
        }

        return outcome(records, fate, retry, reason, deliveries.size(), alerts.size(), started);
    }

    /**
     * Runs the pure part of the pipeline (decode, window, alert rules) on one record, for warm-up.
     *
     * @param arrival when the record is deemed to have arrived: a fixed priming event must be judged
     *     against a fixed time, or it would one day be too late and stop warming the valid path
     * @return whether the record was valid, so that the whole path ran
     */
    boolean prime(byte[] record, Instant arrival) {
        if (decoder.decode(record, arrival) instanceof DecodeResult.Valid valid) {
            alertRules.evaluate(valid.event().deviceId(), windows.startOf(valid.event().ts()),
                    WindowState.EMPTY.apply(List.of(valid.event())).state().aggregate());
            return true;
        }
        return false;
    }

    /** The index of the newer of two records' events, by event time, then eventId. */
    private static int newer(TelemetryEvent[] events, int a, int b) {
        TelemetryEvent x = events[a];
        TelemetryEvent y = events[b];
        return LiveTables.compareOrder(x.ts(), x.eventId(), y.ts(), y.eventId()) >= 0 ? a : b;
    }

    private static QuarantinedRecord quarantined(StreamRecord record, String reason, String detail) {
        return new QuarantinedRecord(record.shardId(), record.sequenceNumber(), record.partitionKey(),
                record.arrivalTime(), reason, detail, record.data());
    }

    private static BatchOutcome outcome(List<StreamRecord> records, Fate[] fate, boolean[] retry, String[] reason,
                                        int windowCount, int alertCount, long started) {
        int applied = 0;
        int duplicates = 0;
        int quarantined = 0;
        int failed = 0;
        TreeMap<String, Integer> byReason = new TreeMap<>();
        TreeSet<String> retrySequenceNumbers = new TreeSet<>(STREAM_ORDER);
        int reported = 0;
        for (int i = 0; i < fate.length; i++) {
            switch (fate[i]) {
                case APPLIED -> applied++;
                case DUPLICATE -> duplicates++;
                case QUARANTINED -> {
                    quarantined++;
                    byReason.merge(reason[i], 1, Integer::sum);
                }
                case FAILED -> {
                    failed++;
                    retry[i] = true;
                }
            }
            if (retry[i]) {
                reported++;
                retrySequenceNumbers.add(records.get(i).sequenceNumber());
            }
        }
        BatchSummary summary = BatchSummary.builder()
                .records(fate.length)
                .applied(applied)
                .duplicates(duplicates)
                .quarantined(quarantined)
                .quarantinedByReason(byReason)
                .failed(failed)
                .reportedForRetry(reported)
                .retryFromSequenceNumber(retrySequenceNumbers.isEmpty() ? null : retrySequenceNumbers.first())
                .windows(windowCount)
                .alerts(alertCount)
                .shardId(records.isEmpty() ? null : records.get(0).shardId())
                .durationMs((System.nanoTime() - started) / 1_000_000)
                .build();
        return new BatchOutcome(List.copyOf(retrySequenceNumbers), summary);
    }
}
