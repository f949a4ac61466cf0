package io.twinflow.infra;

import io.twinflow.core.event.DecoderLimits;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decoder limits the whole stack is deployed with, set in one place so that the stream processor,
 * the batch loader and the Glue rollup judge every record alike: an event's future skew and lateness
 * decide between applied, {@code FUTURE_TIMESTAMP} and {@code TOO_LATE} on every path, and a path
 * configured differently would disagree with the others on the same bytes.
 *
 * @param limits core's {@link DecoderLimits#defaults()} unless a deployment needs other limits
 */
record DecoderSettings(DecoderLimits limits) {

    static DecoderSettings defaults() {
        return new DecoderSettings(DecoderLimits.defaults());
    }

    /**
     * A decoding function's environment: its own variables plus the limits under the names
     * {@code FunctionSettings} reads, in a stable order.
     */
    Map<String, String> functionEnvironment(Map<String, String> own) {
        Map<String, String> all = new TreeMap<>(own);
        all.put("TWINFLOW_MAX_FUTURE_SKEW_SECONDS", String.valueOf(limits.maxFutureSkew().toSeconds()));
        all.put("TWINFLOW_MAX_LATENESS_SECONDS", String.valueOf(limits.maxLateness().toSeconds()));
        return all;
    }

    /** The Glue job's arguments for the same limits: ISO-8601 durations, as the job parses them. */
    Map<String, String> jobArguments() {
        Map<String, String> arguments = new TreeMap<>();
        arguments.put("--max-future-skew", limits.maxFutureSkew().toString());
        arguments.put("--max-lateness", limits.maxLateness().toString());
        return arguments;
    }
}
