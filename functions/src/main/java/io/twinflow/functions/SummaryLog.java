package io.twinflow.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;

/**
 * Where each function's one summary line per invocation goes, as JSON: to the Lambda logger when the
 * invocation has one, otherwise (tests, the local runtime without a logger) to a stream.
 */
public final class SummaryLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream fallback;

    /** @param fallback where lines go when an invocation has no Lambda logger */
    public SummaryLog(PrintStream fallback) {
        this.fallback = fallback;
    }

    /** Writes the summary (a Jackson tree, a map, or anything else Jackson serialises) as one line. */
    public void write(Object summary, Context context) {
        String line = json(summary);
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line + "\n");
        } else {
            fallback.println(line);
        }
    }

    /** The summary as one line of JSON. */
    public static String json(Object summary) {
        try {
            return JSON.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a summary is always serialisable", e);
        }
    }

    /** The invocation's request id, or null outside Lambda. */
    public static String requestId(Context context) {
        return context == null ? null : context.getAwsRequestId();
    }
}
