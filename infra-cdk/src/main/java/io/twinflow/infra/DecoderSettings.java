package io.twinflow.infra;

import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.settings.FunctionEnvironment;
import io.twinflow.core.settings.RollupArguments;
import java.util.Map;
import java.util.TreeMap;

/**
 * The decoder limits the whole stack is deployed with, set in one place so that the stream processor,
 * the batch loader and the Glue rollup judge every record alike: an event's future skew and lateness
 * decide between applied, {@code FUTURE_TIMESTAMP} and {@code TOO_LATE} on every path, and a path
 * configured differently would disagree with the others on the same bytes. The names and units are
 * core's, which the functions and the job read them back with.
 *
 * @param limits core's {@link DecoderLimits#defaults()} unless a deployment needs other limits
 */
record DecoderSettings(DecoderLimits limits) {

    static DecoderSettings defaults() {
        return new DecoderSettings(DecoderLimits.defaults());
    }

    /** A decoding function's environment: its own variables plus the limits, in a stable order. */
    Map<String, String> functionEnvironment(Map<String, String> own) {
        Map<String, String> all = new TreeMap<>(own);
        all.putAll(FunctionEnvironment.decoderLimitVariables(limits));
        return all;
    }

    /** The Glue job's arguments for the same limits. */
    Map<String, String> jobArguments() {
        return RollupArguments.decoderLimitArguments(limits);
    }
}
