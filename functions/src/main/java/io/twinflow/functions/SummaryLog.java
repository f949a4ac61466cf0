package io.twinflow.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where each function's one summary line per invocation goes, as JSON: to the Lambda logger when the
 * invocation has one, otherwise (tests, the local runtime without a logger) to a stream.
 */
public final class SummaryLog {

    /**
     * The field (and metric dimension) naming the stack that wrote a summary line: its resource prefix
     * ({@code TWINFLOW_PREFIX}), unique per account and region because every resource name derives from it.
     */
    public static final String STACK_DIMENSION = "stack";

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

    /**
     * Adds one CloudWatch Embedded Metric Format directive to a summary line, so CloudWatch Logs turns
     * fields the line already has into metrics with no API call. The {@code _aws} member is created
     * (last in the line) by the first directive and extended by the next. EMF reads metric values and
     * dimension values from the root of the line, so each named field must already be there: a
     * directive naming a missing field would be dropped by CloudWatch without a word, so it is refused
     * here instead.
     *
     * @param at the metrics' timestamp
     * @param dimensionSets each a list of root fields holding strings; every metric is published once per set
     * @param metrics metric name (a root field holding a number) to its CloudWatch unit, in the order given
     * @throws IllegalArgumentException when a named field is missing or of the wrong type (a bug)
     */
    public static void addMetrics(ObjectNode line, Instant at, String namespace, List<List<String>> dimensionSets,
                                  Map<String, String> metrics) {
        ObjectNode aws = line.has("_aws") ? (ObjectNode) line.get("_aws") : line.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ArrayNode directives = aws.has("CloudWatchMetrics") ? (ArrayNode) aws.get("CloudWatchMetrics") : aws.putArray("CloudWatchMetrics");
        ObjectNode directive = directives.addObject();
        directive.put("Namespace", namespace);
        ArrayNode dimensions = directive.putArray("Dimensions");
        for (List<String> set : dimensionSets) {
            ArrayNode names = dimensions.addArray();
            for (String name : set) {
                require(line, name, JsonNode::isTextual, "a string dimension");
                names.add(name);
            }
        }
        ArrayNode definitions = directive.putArray("Metrics");
        metrics.forEach((name, unit) -> {
            require(line, name, JsonNode::isNumber, "a number");
            definitions.addObject().put("Name", name).put("Unit", unit);
        });
    }

    private static void require(ObjectNode line, String field, Predicate<JsonNode> kind, String what) {
        JsonNode value = line.get(field);
        if (value == null || !kind.test(value)) {
            throw new IllegalArgumentException("an embedded metric needs " + field + " at the root of the line as " + what + ", got " + value);
        }
    }

    /** The invocation's request id, or null outside Lambda. */
    public static String requestId(Context context) {
        return context == null ? null : context.getAwsRequestId();
    }
}
