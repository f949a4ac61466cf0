package io.twinflow.core.event;

import java.util.Objects;

/** What {@link EventDecoder} made of one record: a valid event or a rejection with a reason. */
public sealed interface DecodeResult {

    record Valid(TelemetryEvent event) implements DecodeResult {
        public Valid {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * @param detail a human-readable explanation, safe to log (never contains the payload)
     */
    record Rejected(ReasonCode reason, String detail) implements DecodeResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
