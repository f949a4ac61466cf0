package io.twinflow.local.runtime;

import java.time.Duration;

/** Waiting for an event source mapping to catch up, for tests that stream into a running stack. */
final class MappingProgress {

    private MappingProgress() {
    }

    /** Until the mapping has read {@code records} and settled all it read; fails after two minutes. */
    static void awaitSettled(KinesisEventSourceMapping mapping, long records) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            KinesisEventSourceMapping.Stats s = mapping.stats();
            if (s.recordsRead() >= records && s.inFlight() == 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the mapping did not settle: " + mapping.stats());
    }
}
