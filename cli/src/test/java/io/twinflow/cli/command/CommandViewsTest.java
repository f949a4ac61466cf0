package io.twinflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.cli.query.ResultFormat;
import io.twinflow.core.aggregate.MetricAggregate;
import io.twinflow.core.event.Location;
import io.twinflow.functions.quarantine.QuarantinedRecord;
import io.twinflow.live.LiveStateReader;
import io.twinflow.live.reconcile.Drift;
import io.twinflow.live.reconcile.ReconcileReport;
import io.twinflow.local.config.LocalStackProcess;
import io.twinflow.local.quarantine.QuarantineStore;
import io.twinflow.local.status.StackStatus;
import io.twinflow.warehouse.QueryResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Each data-printing command's output in each --output format, exactly, from the data the command read. */
class CommandViewsTest {

    private static final Instant TS = Instant.parse("2026-11-28T10:15:30Z");

    /** A map in the order given: key, value, key, value... */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String render(View view, ResultFormat format) throws Exception {
        return view.render(format);
    }

    @Test
    void stateIsTextForPeopleItsJsonShapeAndAFieldPerCsvRow() throws Exception {
        View view = StateCommand.view(new LiveStateReader.DeviceState("sensor-1", TS, "e-1",
                new TreeMap<>(Map.of("temperature", 21.5, "humidity", 40.2)), new Location(52.52, 13.4)));
        assertThat(render(view, ResultFormat.table)).isEqualTo("""
                sensor-1 at 2026-11-28T10:15:30Z
                  humidity     40.2
                  temperature  21.5
                  location     52.52, 13.4
                """);
        assertThat(render(view, ResultFormat.json)).isEqualTo("""
                {
                  "deviceId" : "sensor-1",
                  "ts" : "2026-11-28T10:15:30Z",
                  "metrics" : {
                    "humidity" : 40.2,
                    "temperature" : 21.5
                  },
                  "location" : {
                    "lat" : 52.52,
                    "lon" : 13.4
                  }
                }
                """);
        assertThat(render(view, ResultFormat.csv)).isEqualTo("field,value\r\ndeviceId,sensor-1\r\nts,2026-11-28T10:15:30Z\r\n"
                + "metrics.humidity,40.2\r\nmetrics.temperature,21.5\r\nlocation.lat,52.52\r\nlocation.lon,13.4\r\n");
    }

    @Test
    void metricsIsARowPerWindowAndMetric() throws Exception {
        View view = MetricsCommand.view(List.of(new LiveStateReader.WindowSummary("sensor-1", Instant.parse("2026-11-28T10:00:00Z"), 3,
                new TreeMap<>(Map.of("temperature", new MetricAggregate(3, 63.0, 20.0, 22.0))))));
        assertThat(render(view, ResultFormat.table)).isEqualTo("""
                windowStart          | events | metric      | count | avg  | min  | max  | sum
                ---------------------+--------+-------------+-------+------+------+------+-----
                2026-11-28T10:00:00Z |      3 | temperature |     3 | 21.0 | 20.0 | 22.0 | 63.0
                (1 row)
                """);
        assertThat(render(view, ResultFormat.json)).isEqualTo("""
                [ {
                  "windowStart" : "2026-11-28T10:00:00Z",
                  "count" : 3,
                  "metrics" : {
                    "temperature" : {
                      "count" : 3,
                      "sum" : 63.0,
                      "min" : 20.0,
                      "max" : 22.0,
                      "avg" : 21.0
                    }
                  }
                } ]
                """);
        assertThat(render(view, ResultFormat.csv)).isEqualTo("windowStart,events,metric,count,avg,min,max,sum\r\n"
                + "2026-11-28T10:00:00Z,3,temperature,3,21.0,20.0,22.0,63.0\r\n");
    }

    @Test
    void queryPrintsTheWarehouseRows() throws Exception {
        View view = QueryCommand.view(new QueryResult(List.of("device_id", "events"), List.of(List.of("sensor-1", 12L))));
        assertThat(render(view, ResultFormat.table)).isEqualTo("""
                device_id | events
                ----------+-------
                sensor-1  |     12
                (1 row)
                """);
        assertThat(render(view, ResultFormat.json)).isEqualTo("""
                [ {
                  "device_id" : "sensor-1",
                  "events" : 12
                } ]
                """);
        assertThat(render(view, ResultFormat.csv)).isEqualTo("device_id,events\r\nsensor-1,12\r\n");
    }

    @Test
    void reconcileShowsTheVerdictAndTheDriftingValuesWhichAreTheCsvRows() throws Exception {
        View view = ReconcileCommand.view(new ReconcileReport(LocalDate.parse("2026-11-27"), 2, 10, 1e-9,
                List.of(new Drift("sensor-1", "temperature", "sum", 63.0, 62.0, 63.0)), false));
        assertThat(render(view, ResultFormat.table)).isEqualTo("""
                2026-11-27: 2 devices, 10 values compared: 1 drifting values
                device                   metric         field              streaming         events table        daily summary
                sensor-1                 temperature    sum                       63                   63                   62
                """);
        assertThat(render(view, ResultFormat.json)).isEqualTo("""
                {
                  "clean" : false,
                  "dates" : [ "2026-11-27" ],
                  "devices" : 2,
                  "valuesCompared" : 10,
                  "sumTolerance" : 1.0E-9,
                  "pendingRollupDates" : [ ],
                  "drifts" : [ {
                    "date" : "2026-11-27",
                    "deviceId" : "sensor-1",
                    "metric" : "temperature",
                    "field" : "sum",
                    "streaming" : 63.0,
                    "batch" : 62.0,
                    "events" : 63.0
                  } ]
                }
                """);
        assertThat(render(view, ResultFormat.csv)).isEqualTo("date,deviceId,metric,field,streaming,events,batch\r\n"
                + "2026-11-27,sensor-1,temperature,sum,63.0,63.0,62.0\r\n");
        View clean = ReconcileCommand.view(new ReconcileReport(LocalDate.parse("2026-11-27"), 2, 10, 1e-9, List.of(), false));
        assertThat(render(clean, ResultFormat.table)).isEqualTo("2026-11-27: 2 devices, 10 values compared: no drift\n");
        assertThat(render(clean, ResultFormat.csv)).isEqualTo("date,deviceId,metric,field,streaming,events,batch\r\n");
    }

    @Test
    void statusIsTextForPeopleAndItsFieldsInCsv() throws Exception {
        Map<String, Object> batches = ordered("batches", 2, "records", 15, "applied", 12, "duplicates", 0, "quarantined", 3, "quarantinedByReason",
                Map.of("INVALID_JSON", 3), "failed", 0);
        View view = StatusCommand.view(new StackStatus(new StackStatus.Stream("twinflow-telemetry",
                List.of(new StackStatus.Shard("shardId-000000000000", "49", 0L, false, 0L)), 0L), batches,
                new StackStatus.OnFailure("twinflow-stream-failures", 0, 0), new StackStatus.Archive(1, 0, null, null),
                new StackStatus.Loader(null, null, null, null, 0, 0, 0, 0, 0, 0), new StackStatus.Rollup(null, null, List.of("2026-11-28")),
                new StackStatus.Reconcile(null, null, null, null)));
        assertThat(render(view, ResultFormat.table)).isEqualTo("""
                stream twinflow-telemetry: stream processor behind by 0 ms
                  shard                              behind    oldest (ms)
                  shardId-000000000000                    0              0
                batches since start: 2 batches, 15 records: applied 12, duplicates 0, quarantined 3 {INVALID_JSON=3}, failed 0
                on-failure queue twinflow-stream-failures: 0 waiting, 0 in flight
                raw archive: 1 objects, 0 not loaded
                loader: never ran
                rollup: never ran; waiting: 2026-11-28
                reconcile: never ran
                """);
        assertThat(render(view, ResultFormat.csv)).isEqualTo("field,value\r\nstream.name,twinflow-telemetry\r\n"
                + "stream.shards[0].shardId,shardId-000000000000\r\nstream.shards[0].checkpoint,49\r\nstream.shards[0].recordsBehind,0\r\n"
                + "stream.shards[0].recordsBehindCapped,false\r\nstream.shards[0].millisBehind,0\r\nstream.iteratorAgeMillis,0\r\n"
                + "batches.batches,2\r\nbatches.records,15\r\n"
                + "batches.applied,12\r\nbatches.duplicates,0\r\nbatches.quarantined,3\r\nbatches.quarantinedByReason.INVALID_JSON,3\r\n"
                + "batches.failed,0\r\nonFailure.queue,twinflow-stream-failures\r\nonFailure.depth,0\r\nonFailure.inFlight,0\r\n"
                + "archive.rawObjects,1\r\narchive.unloaded,0\r\narchive.oldestUnloaded,\r\narchive.listedFrom,\r\nloader.lastLoadAt,\r\nloader.lastObject,\r\n"
                + "loader.lastStatus,\r\nloader.lastError,\r\nloader.objectsLoaded,0\r\nloader.objectsFailed,0\r\nloader.linesRead,0\r\n"
                + "loader.rowsLoaded,0\r\nloader.rowsDuplicate,0\r\nloader.rowsQuarantined,0\r\nrollup.lastComputedAt,\r\nrollup.lastDay,\r\n"
                + "rollup.pendingDays[0],2026-11-28\r\nreconcile.lastReconciledAt,\r\nreconcile.date,\r\nreconcile.verdict,\r\n"
                + "reconcile.drifts,\r\n");
        assertThat(render(view, ResultFormat.json)).startsWith("""
                {
                  "stream" : {
                    "name" : "twinflow-telemetry",
                    "shards" : [ {
                      "shardId" : "shardId-000000000000",
                """).contains("""
                  "rollup" : {
                    "lastComputedAt" : null,
                    "lastDay" : null,
                    "pendingDays" : [ "2026-11-28" ]
                  },
                  "reconcile" : {
                    "lastReconciledAt" : null,
                    "date" : null,
                    "verdict" : null,
                    "drifts" : null
                  }
                }
                """);
    }

    @Test
    void demoIsItsSummaryForPeopleTheWholeReportInJsonAndItsFieldsInCsv() throws Exception {
        Map<String, Object> report = ordered("sent", 10, "applied", 9, "duplicates", 1, "quarantined", 0, "failed", 0, "unaccounted", 0,
                "latencyMsP50", 5, "latencyMsP99", 9, "reconcile", Map.of("clean", true, "devices", 1, "valuesCompared", 4));
        View view = DemoCommand.view(report, Path.of("d.json"));
        assertThat(render(view, ResultFormat.table)).isEqualTo("""
                sent 10: applied 9, duplicates 1, quarantined 0, failed 0, unaccounted 0
                freshness (put -> visible): p50 5 ms, p99 9 ms
                reconcile: clean (1 devices, 4 values compared)
                full report: d.json (or --output json)
                """);
        assertThat(render(view, ResultFormat.json)).startsWith("{\n  \"sent\" : 10,\n  \"applied\" : 9,").contains("\"reconcile\" : {");
        assertThat(render(view, ResultFormat.csv)).startsWith("field,value\r\nsent,10\r\napplied,9\r\n")
                .contains("\r\nlatencyMsP99,9\r\nreconcile.");
    }

    @Test
    void localStatusSaysWhetherAStackRuns() throws Exception {
        View view = LocalStatusCommand.view(new LocalStackProcess.Status(LocalStackProcess.State.ABSENT, Path.of("/tmp/t/endpoints.json"),
                Optional.empty()));
        assertThat(render(view, ResultFormat.table))
                .isEqualTo("no local stack running (/tmp/t/endpoints.json does not exist); start one with `./twinflow local up`\n");
        assertThat(render(view, ResultFormat.json)).isEqualTo("""
                {
                  "state" : "absent",
                  "file" : "/tmp/t/endpoints.json"
                }
                """);
        assertThat(render(view, ResultFormat.csv)).isEqualTo("field,value\r\nstate,absent\r\nfile,/tmp/t/endpoints.json\r\n");
    }

    private static QuarantineStore.Entry entry(Optional<QuarantineStore.Requeued> requeued) {
        return new QuarantineStore.Entry("quarantine/dt=2026-11-28/shard=s-0/42.json", new QuarantinedRecord("s-0", "42", "sensor-1", TS,
                "INVALID_JSON", "Unexpected character", "{oops".getBytes(StandardCharsets.UTF_8)), requeued);
    }

    /** A quarantined record's JSON fields, shared by `quarantine list` and `show`: unindented, without the last line end. */
    private static final String ENTRY_JSON = """
              "key" : "%s",
              "reason" : "INVALID_JSON",
              "arrival" : "2026-11-28T10:15:30Z",
              "partitionKey" : "sensor-1",
              "shardId" : "s-0",
              "sequenceNumber" : "42",
              "bytes" : 5,
              "requeued" : null""";

    @Test
    void quarantineListIsATableWhoseRowsAreTheCsv() throws Exception {
        View view = QuarantineCommand.listView(List.of(entry(Optional.empty()),
                entry(Optional.of(new QuarantineStore.Requeued(TS.plusSeconds(60), "s-1", "77")))));
        String key = "quarantine/dt=2026-11-28/shard=s-0/42.json";
        assertThat(render(view, ResultFormat.table)).isEqualTo("""
                key                                        | reason       | arrival              | partitionKey | shardId | sequenceNumber | bytes | requeuedTo
                -------------------------------------------+--------------+----------------------+--------------+---------+----------------+-------+-----------
                %1$s | INVALID_JSON | 2026-11-28T10:15:30Z | sensor-1     | s-0     | 42             |     5 |
                %1$s | INVALID_JSON | 2026-11-28T10:15:30Z | sensor-1     | s-0     | 42             |     5 | s-1 77
                (2 rows)
                """.formatted(key));
        assertThat(render(view, ResultFormat.csv)).isEqualTo("key,reason,arrival,partitionKey,shardId,sequenceNumber,bytes,requeuedTo\r\n"
                + key + ",INVALID_JSON,2026-11-28T10:15:30Z,sensor-1,s-0,42,5,\r\n"
                + key + ",INVALID_JSON,2026-11-28T10:15:30Z,sensor-1,s-0,42,5,s-1 77\r\n");
        assertThat(render(QuarantineCommand.listView(List.of(entry(Optional.empty()))), ResultFormat.json))
                .isEqualTo("[ {\n" + ENTRY_JSON.formatted(key).indent(2) + "} ]\n");
    }

    @Test
    void quarantineShowIsTheRecordAndItsFieldsInCsv() throws Exception {
        View view = QuarantineCommand.showView(entry(Optional.empty()));
        String key = "quarantine/dt=2026-11-28/shard=s-0/42.json";
        assertThat(render(view, ResultFormat.table)).isEqualTo("""
                key:            %s
                reason:         INVALID_JSON
                detail:         Unexpected character
                position:       s-0 42
                partition key:  sensor-1
                arrival:        2026-11-28T10:15:30Z
                requeued to:    (not requeued)
                payload (5 bytes, UTF-8):
                {oops
                """.formatted(key));
        assertThat(render(view, ResultFormat.json)).isEqualTo("{\n" + (ENTRY_JSON.formatted(key) + ",").indent(2) + """
                  "detail" : "Unexpected character",
                  "payloadBase64" : "e29vcHM=",
                  "payloadText" : "{oops"
                }
                """);
        assertThat(render(view, ResultFormat.csv)).isEqualTo("field,value\r\nkey," + key + "\r\nreason,INVALID_JSON\r\n"
                + "arrival,2026-11-28T10:15:30Z\r\npartitionKey,sensor-1\r\nshardId,s-0\r\nsequenceNumber,42\r\nbytes,5\r\nrequeued,\r\n"
                + "detail,Unexpected character\r\npayloadBase64,e29vcHM=\r\npayloadText,{oops\r\n");
    }

    @Test
    void quarantineRequeueIsALinePerRecordAndACount() throws Exception {
        View view = QuarantineCommand.requeueView(List.of(new QuarantineStore.Outcome("q/1.json", true,
                new QuarantineStore.Requeued(TS, "s-1", "77"))));
        assertThat(render(view, ResultFormat.table)).isEqualTo("requeued q/1.json -> s-1 77\n1 put back on the stream, 0 already requeued\n");
        assertThat(render(view, ResultFormat.json)).isEqualTo("""
                [ {
                  "key" : "q/1.json",
                  "requeued" : true,
                  "shardId" : "s-1",
                  "sequenceNumber" : "77",
                  "requeuedAt" : "2026-11-28T10:15:30Z"
                } ]
                """);
        assertThat(render(view, ResultFormat.csv)).isEqualTo("key,requeued,shardId,sequenceNumber,requeuedAt\r\nq/1.json,true,s-1,77,"
                + "2026-11-28T10:15:30Z\r\n");
    }

    @Test
    void batchRunIsARowPerDayWithTheReportsScalarFields() throws Exception {
        Map<String, Object> day = ordered("date", "2026-11-27", "succeeded", true, "events", 120, "failedKeys", List.of());
        View range = BatchCommand.Run.view(true, List.of(day));
        assertThat(render(range, ResultFormat.table)).isEqualTo("""
                date       | succeeded | events
                -----------+-----------+-------
                2026-11-27 | true      |    120
                (1 row)
                """);
        assertThat(render(range, ResultFormat.csv)).isEqualTo("date,succeeded,events\r\n2026-11-27,true,120\r\n");
        assertThat(render(range, ResultFormat.json)).isEqualTo("""
                [ {
                  "date" : "2026-11-27",
                  "succeeded" : true,
                  "events" : 120,
                  "failedKeys" : [ ]
                } ]
                """);
        assertThat(render(BatchCommand.Run.view(false, List.of(day)), ResultFormat.json)).startsWith("{\n  \"date\" : \"2026-11-27\",");
    }

    @Test
    void demoSaysTheAccountingFreshnessVerdictAndWhereTheJsonIs() throws Exception {
        Map<String, Object> report = ordered("sent", 4000, "applied", 3866, "duplicates", 92, "quarantined", 42, "failed", 0, "unaccounted", 0,
                "latencyMsP50", 690, "latencyMsP99", 1340, "reconcile", Map.of("clean", true, "devices", 20, "valuesCompared", 480, "drifts",
                List.of()));
        assertThat(DemoCommand.summary(report, Path.of(".twinflow/demo-report.json"))).isEqualTo("""
                sent 4000: applied 3866, duplicates 92, quarantined 42, failed 0, unaccounted 0
                freshness (put -> visible): p50 690 ms, p99 1340 ms
                reconcile: clean (20 devices, 480 values compared)
                full report: .twinflow/demo-report.json (or --output json)
                """);
        report.put("reconcile", Map.of("clean", false, "drifts", List.of(Map.of(), Map.of())));
        assertThat(DemoCommand.summary(report, Path.of("r.json"))).contains("reconcile: DRIFT (2 drifting values)\n");
    }
}
