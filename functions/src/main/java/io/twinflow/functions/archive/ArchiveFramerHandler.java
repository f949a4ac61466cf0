package io.twinflow.functions.archive;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisFirehoseEvent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.functions.SummaryLog;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.utils.BinaryUtils;

/**
 * The Firehose data-transformation Lambda of the raw archive. Thin: it turns the Firehose event into
 * {@link ArchiveFramer.Input}s (record bytes and the {@code kinesisRecordMetadata} Firehose adds when
 * its source is a Kinesis stream), delegates to {@link ArchiveFramer}, logs one summary line and
 * returns each record as its envelope line. It needs no configuration and makes no AWS call.
 */
public class ArchiveFramerHandler implements RequestHandler<KinesisFirehoseEvent, ArchiveFramerHandler.Response> {

    /** Firehose's expected response: every input recordId once, with its result and base64 data. */
    public record Response(List<ResponseRecord> records) {
    }

    public record ResponseRecord(String recordId, String result, String data) {
    }

    private final ArchiveFramer framer = new ArchiveFramer();
    private final SummaryLog log;

    /** Used by the Lambda runtime. */
    public ArchiveFramerHandler() {
        this(builder());
    }

    private ArchiveFramerHandler(Builder builder) {
        this.log = new SummaryLog(builder.summaryOutput);
    }

    /** A handler for tests: the framer needs no configuration and no client, only where its summary line goes. */
    public static Builder builder() {
        return new Builder();
    }

    /** See {@link #builder()}. */
    public static final class Builder {
        private PrintStream summaryOutput = System.out;

        private Builder() {
        }

        /** Where the framing summary line goes when an invocation has no Lambda logger. Default: standard output. */
        public Builder summaryOutput(PrintStream summaryOutput) {
            this.summaryOutput = summaryOutput;
            return this;
        }

        public ArchiveFramerHandler build() {
            return new ArchiveFramerHandler(this);
        }
    }

    @Override
    public Response handleRequest(KinesisFirehoseEvent event, Context context) {
        List<ArchiveFramer.Input> inputs = toInputs(event);
        ArchiveFramer.Framed framed = framer.frame(inputs);
        List<ResponseRecord> records = new ArrayList<>(framed.records().size());
        Base64.Encoder base64 = Base64.getEncoder();
        for (ArchiveFramer.Output out : framed.records()) {
            records.add(new ResponseRecord(out.recordId(), out.result().name(), base64.encodeToString(out.data())));
        }
        log.write(summary(framed, SummaryLog.requestId(context)), context);
        return new Response(records);
    }

    static List<ArchiveFramer.Input> toInputs(KinesisFirehoseEvent event) {
        if (event == null || event.getRecords() == null) {
            return List.of();
        }
        List<ArchiveFramer.Input> inputs = new ArrayList<>(event.getRecords().size());
        for (KinesisFirehoseEvent.Record r : event.getRecords()) {
            Map<String, String> meta = r.getKinesisRecordMetadata();
            inputs.add(new ArchiveFramer.Input(r.getRecordId(), bytes(r.getData()),
                    meta == null ? null : meta.get("shardId"),
                    meta == null ? null : meta.get("sequenceNumber"),
                    meta == null ? null : epochMillis(meta.get("approximateArrivalTimestamp"))));
        }
        return inputs;
    }

    /** Firehose gives the Kinesis arrival time as epoch milliseconds. */
    private static Instant epochMillis(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] bytes(ByteBuffer data) {
        return data == null ? new byte[0] : BinaryUtils.copyRemainingBytesFrom(data);
    }

    /** One line per invocation; the stack's metric filter counts {@code failed}. */
    static ObjectNode summary(ArchiveFramer.Framed framed, String requestId) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("message", "framing summary");
        node.put("function", "archive-framer");
        if (requestId != null) {
            node.put("requestId", requestId);
        }
        node.put("records", framed.records().size());
        node.put("framed", framed.records().size() - framed.failed());
        node.put("failed", framed.failed());
        TreeMap<String, Integer> byFailure = new TreeMap<>();
        framed.records().stream().filter(o -> o.failure() != null).forEach(o -> byFailure.merge(o.failure(), 1, Integer::sum));
        ObjectNode failures = node.putObject("failedBecause");
        byFailure.forEach(failures::put);
        return node;
    }
}
