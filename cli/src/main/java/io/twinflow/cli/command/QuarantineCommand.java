package io.twinflow.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.core.error.UserMistakeException;
import io.twinflow.functions.quarantine.QuarantinedRecord;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.config.ServiceClients;
import io.twinflow.local.quarantine.QuarantineStore;
import io.twinflow.local.simulate.KafkaPublisher;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.warehouse.QueryResult;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

@CommandLine.Command(name = "quarantine", mixinStandardHelpOptions = true,
        description = "The stream-processor's quarantine: list it, show a record, put records back on the stream once their cause is fixed.",
        subcommands = {QuarantineCommand.ListRecords.class, QuarantineCommand.Show.class, QuarantineCommand.Requeue.class})
public final class QuarantineCommand extends CommandGroup {

    /** Where the quarantine is: the target, and the bucket (in AWS, the stack's QuarantineBucket output). */
    static final class Location {

        @CommandLine.Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Option(names = "--bucket", paramLabel = "NAME",
                description = "The quarantine bucket. Default: <prefix>-quarantine (the local stack's); in AWS give the "
                        + "stack's QuarantineBucket output.")
        String bucket;

        <T> T use(Function<QuarantineStore, T> action) {
            ServiceClients clients = target.clients();
            String stream = clients.spec().stream().name();
            // Kafka runs only in the local stack (in AWS, MSK sits in private subnets): there, records go back to the
            // stream they came from, if the stack reads it (see QuarantineStore).
            Optional<Endpoints> local = target.target() == TargetOptions.Target.local
                    ? TargetOptions.running(target.endpointsFile())
                    : Optional.empty();
            Optional<Endpoints.Kafka> broker = local.map(Endpoints::kafka);
            boolean readsKinesis = local.map(Endpoints::readsKinesis).orElse(true);
            try (S3Client s3 = clients.s3(); KinesisClient kinesis = clients.kinesis();
                 KafkaPublisher kafka = broker.map(k -> new KafkaPublisher(k.bootstrapServers(), k.topic())).orElse(null)) {
                return action.apply(new QuarantineStore(s3,
                        readsKinesis ? Optional.of(new KinesisPublisher(kinesis, stream)) : Optional.empty(), Optional.ofNullable(kafka),
                        bucket != null ? bucket : clients.spec().buckets().quarantine(), clients.spec().buckets().quarantinePrefix(),
                        stream, Clock.systemUTC()));
            }
        }
    }

    @CommandLine.Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists quarantined records, oldest arrival day first: key, reason, arrival, partition key, size, "
                    + "and where a requeued one went.")
    static final class ListRecords implements Callable<Integer> {

        @CommandLine.Mixin
        Location location = new Location();

        @CommandLine.Option(names = "--reason", paramLabel = "R", description = "Only this reason code, e.g. FUTURE_TIMESTAMP.")
        String reason;

        @CommandLine.Option(names = "--since", paramLabel = "T",
                description = "Only records that arrived at or after T: an ISO-8601 instant or a duration back from now (90m, 2d).")
        String since;

        @CommandLine.Mixin
        OutputOptions output = new OutputOptions();

        @Override
        public Integer call() throws Exception {
            Optional<Instant> from = Optional.ofNullable(since).map(s -> MetricsCommand.instant("--since", s, Instant.now()));
            List<QuarantineStore.Entry> entries = location.use(store -> store.list(Optional.ofNullable(reason), from));
            output.print(listView(entries));
            return 0;
        }
    }

    static View listView(List<QuarantineStore.Entry> entries) {
        ArrayNode array = JsonOutput.MAPPER.createArrayNode();
        List<List<Object>> rows = new ArrayList<>();
        for (QuarantineStore.Entry e : entries) {
            array.add(summary(e));
            QuarantinedRecord r = e.record();
            rows.add(Arrays.asList(e.key(), r.reason(), r.arrivalTime().toString(), r.partitionKey(), r.shardId(), r.sequenceNumber(),
                    r.payload().length, requeuedTo(e)));
        }
        return View.table(array, new QueryResult(List.of("key", "reason", "arrival", "partitionKey", "shardId", "sequenceNumber", "bytes",
                "requeuedTo"), rows));
    }

    @CommandLine.Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Shows one quarantined record: its reason and detail, its stream position and its bytes (as text when "
                    + "they are UTF-8, else Base64).",
                    "--output json: list's fields plus detail, payloadBase64 and payloadText (when UTF-8); csv: one row per field of "
                            + "that JSON (field,value; requeued.shardId and the like as dotted paths)."})
    static final class Show implements Callable<Integer> {

        @CommandLine.Mixin
        Location location = new Location();

        @CommandLine.Parameters(paramLabel = "KEY", description = "The record's key, as `quarantine list` prints it.")
        String key;

        @CommandLine.Mixin
        OutputOptions output = new OutputOptions();

        @Override
        public Integer call() throws Exception {
            output.print(showView(location.use(store -> store.show(key))));
            return 0;
        }
    }

    static View showView(QuarantineStore.Entry e) {
        QuarantinedRecord r = e.record();
        ObjectNode node = summary(e);
        node.put("detail", r.detail());
        node.put("payloadBase64", Base64.getEncoder().encodeToString(r.payload()));
        Optional<String> text = text(r.payload());
        text.ifPresent(t -> node.put("payloadText", t));
        String n = System.lineSeparator();
        String shown = "key:            " + e.key() + n
                + "reason:         " + r.reason() + n
                + "detail:         " + r.detail() + n
                + "position:       " + r.shardId() + " " + r.sequenceNumber() + n
                + "partition key:  " + r.partitionKey() + n
                + "arrival:        " + r.arrivalTime() + n
                + "requeued to:    " + (e.requeued().isPresent() ? requeuedTo(e) : "(not requeued)") + n
                + "payload (" + r.payload().length + " bytes, " + (text.isPresent() ? "UTF-8" : "Base64") + "):" + n
                + text.orElseGet(() -> Base64.getEncoder().encodeToString(r.payload())) + n;
        return View.fields(node, shown);
    }

    @CommandLine.Command(name = "requeue", mixinStandardHelpOptions = true,
            description = {"Puts quarantined records back on the stream, their original bytes with their original partition key, "
                    + "once the cause is fixed: each is then applied or quarantined again (under its new position), never counted twice.",
                    "A record already requeued is left alone, so requeueing twice changes nothing."})
    static final class Requeue implements Callable<Integer> {

        @CommandLine.Mixin
        Location location = new Location();

        @CommandLine.Parameters(paramLabel = "KEY", arity = "0..*", description = "Keys as `quarantine list` prints them.")
        List<String> keys = List.of();

        @CommandLine.Option(names = "--reason", paramLabel = "R", description = "Every record of this reason not yet requeued.")
        String reason;

        @CommandLine.Mixin
        OutputOptions output = new OutputOptions();

        @Override
        public Integer call() throws Exception {
            if (keys.isEmpty() == (reason == null)) {
                throw new UserMistakeException("give the keys to requeue or --reason R, not both and not neither "
                        + "(see `twinflow quarantine list`)");
            }
            List<QuarantineStore.Outcome> outcomes = location.use(store -> reason != null ? store.requeueReason(reason) : store.requeue(keys));
            output.print(requeueView(outcomes));
            return 0;
        }
    }

    /** The table: a line per record and a count; CSV: a row per record. */
    static View requeueView(List<QuarantineStore.Outcome> outcomes) {
        ArrayNode array = JsonOutput.MAPPER.createArrayNode();
        List<List<Object>> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (QuarantineStore.Outcome o : outcomes) {
            array.addObject().put("key", o.key()).put("requeued", o.putOnStream()).put("shardId", o.requeued().shardId())
                    .put("sequenceNumber", o.requeued().sequenceNumber()).put("requeuedAt", o.requeued().at().toString());
            rows.add(List.<Object>of(o.key(), o.putOnStream(), o.requeued().shardId(), o.requeued().sequenceNumber(), o.requeued().at().toString()));
            text.append(o.putOnStream() ? "requeued " : "already requeued ").append(o.key()).append(" -> ")
                    .append(o.requeued().shardId()).append(' ').append(o.requeued().sequenceNumber()).append(System.lineSeparator());
        }
        long put = outcomes.stream().filter(QuarantineStore.Outcome::putOnStream).count();
        text.append(put).append(" put back on the stream, ").append(outcomes.size() - put).append(" already requeued").append(System.lineSeparator());
        return new View(array, new QueryResult(List.of("key", "requeued", "shardId", "sequenceNumber", "requeuedAt"), rows), text.toString());
    }

    private static ObjectNode summary(QuarantineStore.Entry e) {
        QuarantinedRecord r = e.record();
        ObjectNode node = JsonOutput.MAPPER.createObjectNode().put("key", e.key()).put("reason", r.reason())
                .put("arrival", r.arrivalTime().toString()).put("partitionKey", r.partitionKey()).put("shardId", r.shardId())
                .put("sequenceNumber", r.sequenceNumber()).put("bytes", r.payload().length);
        e.requeued().ifPresentOrElse(q -> node.putObject("requeued").put("at", q.at().toString()).put("shardId", q.shardId())
                .put("sequenceNumber", q.sequenceNumber()), () -> node.putNull("requeued"));
        return node;
    }

    private static String requeuedTo(QuarantineStore.Entry e) {
        return e.requeued().map(q -> q.shardId() + " " + q.sequenceNumber()).orElse("");
    }

    /** The bytes as text when they are valid UTF-8 (a JSON event, or broken JSON), else empty. */
    private static Optional<String> text(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException notUtf8) {
            return Optional.empty();
        }
    }
}
