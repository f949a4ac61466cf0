package io.twinflow.functions.live;

import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.core.event.TelemetryEvent;
import java.util.List;

/** Results of writing deliveries to the live store. */
public final class WindowWrite {

    private WindowWrite() {
    }

    /** The events of one batch that fall into one window, in delivery order. */
    public record Delivery(WindowKey key, List<TelemetryEvent> events) {
        public Delivery {
            events = List.copyOf(events);
        }
    }

    public enum Status {
        /** The window now holds every event of the delivery (newly, or from an earlier delivery). */
        WRITTEN,
        /** A transient fault outlasted the retries: the delivery must be retried. */
        FAILED,
        /** The store refuses this write for good (e.g. the item would be too large): retrying cannot help. */
        REJECTED
    }

    /**
     * @param applied per event of the delivery: true when newly counted by this write (only meaningful
     *     when {@code status} is WRITTEN)
     * @param full per event of the delivery: true when it is new but the window already holds the most
     *     distinct events it keeps ({@link io.twinflow.core.aggregate.WindowState#MAX_EVENTS}), so it
     *     was not counted and is {@code WINDOW_FULL} (only meaningful when {@code status} is WRITTEN)
     * @param aggregate the window's aggregate after the write (null unless WRITTEN)
     * @param detail why the delivery failed or was rejected, or why events did not fit
     */
    public record Result(Delivery delivery, Status status, boolean[] applied, boolean[] full, WindowAggregate aggregate,
                         String detail) {
        public static Result written(Delivery delivery, boolean[] applied, boolean[] full, WindowAggregate aggregate,
                                     String detail) {
            return new Result(delivery, Status.WRITTEN, applied, full, aggregate, detail);
        }

        public static Result failed(Delivery delivery, String detail) {
            int n = delivery.events().size();
            return new Result(delivery, Status.FAILED, new boolean[n], new boolean[n], null, detail);
        }

        public static Result rejected(Delivery delivery, String detail) {
            int n = delivery.events().size();
            return new Result(delivery, Status.REJECTED, new boolean[n], new boolean[n], null, detail);
        }
    }
}
