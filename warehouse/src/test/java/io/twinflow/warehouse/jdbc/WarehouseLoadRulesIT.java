package io.twinflow.warehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.core.event.DecoderLimits;
import io.twinflow.core.event.ReasonCode;
import io.twinflow.core.testing.BadInputCorpus;
import io.twinflow.core.window.Windows;
import io.twinflow.warehouse.LoadResult;
import io.twinflow.warehouse.LoadRules;
import io.twinflow.warehouse.RawLines;
import io.twinflow.warehouse.RawObject;
import io.twinflow.warehouse.load.AdversarialLines;
import io.twinflow.warehouse.sql.Dialect;
import io.twinflow.warehouse.sql.Migration;
import io.twinflow.warehouse.sql.Migrations;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The loader's rule for each class of input of issue 11, on embedded PostgreSQL 17 with the exact
 * expected outcome: any bytes load (1), records are framed by the archive envelope and judged against
 * their own arrival (2), identity is (device, eventId, window) with the first copy in stream order kept
 * (3), windows hold a bounded number of events, late events request a rollup of their day (4).
 */
class WarehouseLoadRulesIT {

    private static final String BUCKET = "rules-raw";
    private static final String SHARD = "shardId-000000000000";

    @RegisterExtension
    static final LocalWarehouseStack STACK = new LocalWarehouseStack(BUCKET);

    private String schema;
    private JdbcWarehouse warehouse;

    @BeforeEach
    void freshSchema() {
        schema = STACK.newSchema("rules");
        warehouse = STACK.warehouse(schema);
        warehouse.migrate();
    }

    @Test
    void class1_anyBytesLoadAndEveryLineIsAnEventACopyOrQuarantined() {
        long seed = Long.getLong("twinflow.seed", System.nanoTime());
        System.out.println("class1 adversarial lines: -Dtwinflow.seed=" + seed);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<byte[]> lines = new ArrayList<>(AdversarialLines.generate(seed, 5_000, now));
        lines.addAll(AdversarialLines.corpus(now));
        RawObject object = put("raw/dt=2026-11-28/hour=10/adversarial.gz", lines);

        LoadResult result = warehouse.load(object);

        assertThat(result.status()).as("seed %d", seed).isEqualTo(LoadResult.Status.LOADED);
        assertThat(result.linesRead()).isEqualTo(lines.size());
        assertThat(result.rowsLoaded() + result.rowsDuplicate() + result.rowsQuarantined()).isEqualTo(lines.size());
        long rows = longValue("SELECT COUNT(*) FROM " + schema + ".events");
        long copies = longValue("SELECT COALESCE(SUM(copies_seen - 1), 0) FROM " + schema + ".events");
        long quarantined = longValue("SELECT COUNT(*) FROM " + schema + ".quarantine");
        assertThat(rows + copies + quarantined).as("seed %d", seed).isEqualTo(lines.size());
        assertThat(rows).isEqualTo(result.rowsLoaded()).isPositive();
        assertThat(quarantined).isEqualTo(result.rowsQuarantined());
        Set<String> known = Arrays.stream(ReasonCode.values()).map(Enum::name)
                .collect(Collectors.toSet());
        assertThat(warehouse.query("SELECT DISTINCT reason FROM " + schema + ".quarantine").rows())
                .allSatisfy(row -> assertThat(known).contains((String) row.get(0)));
    }

    @Test
    void class1_theBadInputCorpusGetsTheStreamsReasonForEveryRecord() {
        // The corpus is judged against 2026-11-24T10:16:00Z (see events/README.md): its envelope's arrival.
        RawObject object = put("raw/dt=2026-11-24/hour=10/corpus.gz", AdversarialLines.corpus(Instant.parse("2026-11-24T10:16:00Z")));

        LoadResult result = warehouse.load(object);

        List<String> expected = BadInputCorpus.expected().values().stream().map(Enum::name).toList();
        assertThat(result.rowsQuarantined()).isEqualTo(expected.size());
        assertThat(warehouse.query("SELECT reason FROM " + schema + ".quarantine ORDER BY line_no").rows())
                .extracting(row -> (String) row.get(0)).containsExactlyElementsOf(expected);
        assertThat(warehouse.query("SELECT COUNT(*) FROM " + schema + ".quarantine WHERE shard_id = '" + SHARD
                + "' AND sequence_number = CAST(line_no AS VARCHAR)").rows()).containsExactly(List.of((long) expected.size()));
    }

    @Test
    void class1_nulEscapesInIdsAndInEchoedDetailsNeverFailTheCopy() {
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        RawObject object = put("raw/dt=2026-11-24/hour=10/nul.gz", List.of(
                envelope(eventJson("a\\u0000b", "dev-1", t, "1"), t.plusSeconds(1), "1"),
                envelope(eventJson("ok", "dev\\u0000x", t, "1"), t.plusSeconds(1), "2"),
                envelope(eventJson("ok2", "dev-1", t, "\"\\u0000\""), t.plusSeconds(1), "3"),
                envelope(eventJson("\\ud800", "dev-1", t, "1"), t.plusSeconds(1), "4"),
                "{\"eventId\":\"\u0000\"}".getBytes(StandardCharsets.UTF_8),
                envelope(eventJson("€".repeat(128), "dev-1", t, "1"), t.plusSeconds(1), "5")));

        LoadResult result = warehouse.load(object);

        assertThat(warehouse.query("SELECT line_no, reason, payload_encoding FROM " + schema + ".quarantine ORDER BY line_no").rows())
                .containsExactly(List.of(1L, "BAD_EVENT_ID", "utf8"), List.of(2L, "BAD_DEVICE_ID", "utf8"),
                        List.of(3L, "BAD_METRIC_VALUE", "utf8"), List.of(4L, "BAD_EVENT_ID", "utf8"), List.of(5L, "INVALID_JSON", "base64"));
        assertThat(result.rowsLoaded()).isEqualTo(1);
        // The longest id in bytes the decoder accepts (128 three-byte characters) fits the 512-byte column.
        assertThat(warehouse.query("SELECT octet_length(event_id) FROM " + schema + ".events").rows()).containsExactly(List.of(384L));
    }

    @Test
    void class2_recordsAreFramedByTheEnvelopeAndJudgedAgainstTheirOwnArrival() {
        Instant t = Instant.parse("2026-11-24T10:00:00Z");
        String pretty = eventJson("pretty", "dev-1", t, "1").replace(",", ",\n  ");
        RawObject object = put("raw/dt=2026-11-24/hour=10/framing.gz", List.of(
                envelope(pretty, t.plusSeconds(5), "10"),                                       // one record with line breaks
                envelope(eventJson("late", "dev-1", t, "1"), t.plus(Duration.ofDays(3)), "11"), // arrived 3 days after its time
                "\u001etf1\t123\tshard\t12".getBytes(StandardCharsets.UTF_8),                   // envelope cut short
                "{\"schemaVersion\":1,".getBytes(StandardCharsets.UTF_8),                        // a plain line, as before envelopes
                envelope(eventJson("skewed", "dev-1", t, "1"), t.minus(Duration.ofMinutes(6)), "13")));

        LoadResult result = warehouse.load(object);

        assertThat(result.linesRead()).isEqualTo(5);
        assertThat(warehouse.query("SELECT event_id, shard_id, sequence_number FROM " + schema + ".events").rows())
                .containsExactly(List.of("pretty", SHARD, "10"));
        assertThat(warehouse.query("SELECT line_no, reason, shard_id, sequence_number FROM " + schema + ".quarantine ORDER BY line_no").rows())
                .containsExactly(
                        List.of(2L, "TOO_LATE", SHARD, "11"),
                        Arrays.asList(3L, "BAD_ARCHIVE_LINE", null, null),
                        Arrays.asList(4L, "INVALID_JSON", null, null),
                        List.of(5L, "FUTURE_TIMESTAMP", SHARD, "13"));
        assertThat(warehouse.query("SELECT payload_encoding, payload_bytes FROM " + schema + ".quarantine WHERE line_no = 2").rows())
                .containsExactly(List.of("utf8", (long) eventJson("late", "dev-1", t, "1").length()));
    }

    @Test
    void class3_identityIsDeviceEventIdAndWindowAndTheFirstCopyInStreamOrderWinsAcrossObjects() {
        Instant w = Instant.parse("2026-11-24T10:00:00Z");
        // Object "late" holds the later stream positions but is loaded first.
        RawObject later = put("raw/dt=2026-11-24/hour=10/later.gz", List.of(
                envelope(eventJson("e1", "dev-1", w.plusSeconds(5), "2"), w.plusSeconds(90), "200"),
                envelope(eventJson("e1", "dev-2", w.plusSeconds(5), "7"), w.plusSeconds(90), "201"),   // another device
                envelope(eventJson("e1", "dev-1", w.plusSeconds(65), "3"), w.plusSeconds(90), "202"),  // re-stamped: next window
                envelope(eventJson("e1", "dev-1", w.plusSeconds(30), "4"), w.plusSeconds(90), "203")));// same window: a copy
        RawObject earlier = put("raw/dt=2026-11-24/hour=10/earlier.gz", List.of(
                envelope(eventJson("e1", "dev-1", w.plusSeconds(50), "1"), w.plusSeconds(55), "100")));
        RawObject legacy = put("raw/dt=2026-11-24/hour=10/legacy.gz", List.of(
                plainEvent("e9", "dev-3", "5"), plainEvent("e9", "dev-3", "6")));

        LoadResult first = warehouse.load(later);
        LoadResult second = warehouse.load(earlier);
        LoadResult third = warehouse.load(legacy);

        assertThat(List.of(first.rowsLoaded(), first.rowsDuplicate(), second.rowsLoaded(), second.rowsDuplicate(),
                third.rowsLoaded(), third.rowsDuplicate())).containsExactly(3L, 1L, 0L, 1L, 1L, 1L);
        assertThat(warehouse.query("SELECT device_id, event_id, to_char(window_start AT TIME ZONE 'UTC', 'HH24:MI'), temperature, "
                + "sequence_number, source_key, copies_seen FROM " + schema + ".events ORDER BY device_id, window_start").rows())
                .containsExactly(
                        List.of("dev-1", "e1", "10:00", 1.0, "100", earlier.key(), 3L),
                        List.of("dev-1", "e1", "10:01", 3.0, "202", later.key(), 1L),
                        List.of("dev-2", "e1", "10:00", 7.0, "201", later.key(), 1L),
                        Arrays.asList("dev-3", "e9", legacyWindow(), 5.0, null, legacy.key(), 2L));
    }

    @Test
    void class3_aFullWindowQuarantinesEveryCopyOfTheIdentitiesPastItsCapacityAcrossObjects() {
        JdbcWarehouse capped = capped(3);
        Instant w = FULL_WINDOW;
        Instant arrival = w.plusSeconds(70);
        RawObject a = put("raw/dt=2026-11-24/hour=10/full-a.gz", List.of(
                envelope(eventJson("a", "dev-1", w.plusSeconds(1), "1"), arrival, "1"),
                envelope(eventJson("b", "dev-1", w.plusSeconds(2), "1"), arrival, "2")));
        RawObject b = put("raw/dt=2026-11-24/hour=10/full-b.gz", List.of(
                envelope(eventJson("c", "dev-1", w.plusSeconds(3), "1"), arrival, "10"),
                envelope(eventJson("d", "dev-1", w.plusSeconds(4), "1"), arrival, "11"),
                envelope(eventJson("e", "dev-1", w.plusSeconds(5), "1"), arrival, "12"),
                envelope(eventJson("d", "dev-1", w.plusSeconds(6), "1"), arrival, "13"),   // a copy of a rejected identity
                envelope(eventJson("a", "dev-1", w.plusSeconds(7), "1"), arrival, "14"),   // a copy of a stored one
                envelope(eventJson("z", "dev-2", w.plusSeconds(8), "1"), arrival, "15"))); // another device's window

        capped.load(a);
        LoadResult result = capped.load(b);

        assertThat(List.of(result.rowsLoaded(), result.rowsDuplicate(), result.rowsQuarantined())).containsExactly(2L, 1L, 3L);
        assertThat(warehouse.query("SELECT device_id, event_id, copies_seen FROM " + schema + ".events ORDER BY device_id, event_id").rows())
                .containsExactly(List.of("dev-1", "a", 2L), List.of("dev-1", "b", 1L), List.of("dev-1", "c", 1L), List.of("dev-2", "z", 1L));
        assertThat(warehouse.query("SELECT line_no, reason, sequence_number, payload_encoding FROM " + schema + ".quarantine ORDER BY line_no").rows())
                .containsExactly(List.of(2L, "WINDOW_FULL", "11", "utf8"), List.of(3L, "WINDOW_FULL", "12", "utf8"),
                        List.of(4L, "WINDOW_FULL", "13", "utf8"));
        // Valid lines are staged without their payloads; a full window makes the loader stage them again with them.
        assertThat(warehouse.query("SELECT payload FROM " + schema + ".quarantine ORDER BY line_no").rows()).containsExactly(
                List.of(eventJson("d", "dev-1", w.plusSeconds(4), "1")), List.of(eventJson("e", "dev-1", w.plusSeconds(5), "1")),
                List.of(eventJson("d", "dev-1", w.plusSeconds(6), "1")));
    }

    @Test
    void class3_onlyAWindowPastItsCapacityLosesIdentitiesAndItLosesTheLastInStreamOrderNotInLineOrder() {
        RawObject object = put("raw/dt=2026-11-24/hour=10/stream-order.gz", List.of(
                inFullWindow("late", "dev-1", "30"),   // last in stream order: past the capacity
                inFullWindow("first", "dev-1", "10"),
                inFullWindow("second", "dev-1", "20"),
                inFullWindow("x", "dev-2", "40"),      // dev-2's window holds exactly its capacity
                inFullWindow("y", "dev-2", "50")));

        LoadResult result = capped(2).load(object);

        assertThat(List.of(result.rowsLoaded(), result.rowsDuplicate(), result.rowsQuarantined())).containsExactly(4L, 0L, 1L);
        assertThat(warehouse.query("SELECT device_id, event_id FROM " + schema + ".events ORDER BY device_id, event_id").rows())
                .containsExactly(List.of("dev-1", "first"), List.of("dev-1", "second"), List.of("dev-2", "x"), List.of("dev-2", "y"));
        assertThat(warehouse.query("SELECT line_no, reason, sequence_number FROM " + schema + ".quarantine").rows())
                .containsExactly(List.of(1L, "WINDOW_FULL", "30"));
    }

    @Test
    void class4_daysThatReceiveNewRowsAreRequestedForRollupUntilTheRollupRewritesThem() {
        Instant d1 = Instant.parse("2026-11-23T23:59:00Z");
        Instant d2 = Instant.parse("2026-11-24T08:00:00Z");
        Instant arrival = Instant.parse("2026-11-24T09:00:00Z");
        JdbcWarehouse atNine = at(Instant.parse("2026-11-24T09:05:00Z"));
        RawObject first = put("raw/dt=2026-11-24/hour=09/a.gz", List.of(
                envelope(eventJson("x", "dev-1", d1, "1"), arrival, "1"),
                envelope(eventJson("y", "dev-1", d2, "1"), arrival, "2"),
                envelope(eventJson("old", "dev-1", arrival.minus(Duration.ofDays(2)).minusSeconds(1), "1"), arrival, "3")));
        RawObject copiesOnly = put("raw/dt=2026-11-24/hour=09/b.gz", List.of(envelope(eventJson("x", "dev-1", d1, "1"), arrival, "4")));
        RawObject laterNew = put("raw/dt=2026-11-24/hour=10/c.gz", List.of(envelope(eventJson("w", "dev-1", d2, "1"), arrival, "5")));

        atNine.load(first);
        atNine.load(copiesOnly);

        assertThat(warehouse.query("SELECT reason FROM " + schema + ".quarantine").rows()).containsExactly(List.of("TOO_LATE"));
        assertThat(warehouse.pendingRollupDays()).containsExactly(LocalDate.parse("2026-11-23"), LocalDate.parse("2026-11-24"));
        assertThat(longValue("SELECT COUNT(*) FROM " + schema + ".rollup_requests")).isEqualTo(2);

        // The rollup listed the archive at 09:10; a load committed at 09:20 requests the day again.
        at(Instant.parse("2026-11-24T09:20:00Z")).load(laterNew);
        warehouse.replaceDaySummaries(LocalDate.parse("2026-11-23"), List.of(), List.of(), Instant.parse("2026-11-24T09:10:00Z"));
        warehouse.replaceDaySummaries(LocalDate.parse("2026-11-24"), List.of(), List.of(), Instant.parse("2026-11-24T09:10:00Z"));

        assertThat(warehouse.pendingRollupDays()).containsExactly(LocalDate.parse("2026-11-24"));
        assertThat(warehouse.query("SELECT source_key FROM " + schema + ".rollup_requests").rows()).containsExactly(List.of(laterNew.key()));
    }

    @Test
    void class4_theConfiguredSkewAndLatenessBoundDecideAsOnTheStream() {
        DecoderLimits limits = DecoderLimits.defaults().withMaxFutureSkew(Duration.ofHours(1)).withMaxLateness(Duration.ofHours(1));
        JdbcWarehouse configured = new JdbcWarehouse(STACK.postgres().dataSource(), STACK.s3(), schema, LoadRules.of(limits, Windows.ofMinutes(5)));
        Instant arrival = Instant.parse("2026-11-24T12:00:00Z");
        RawObject object = put("raw/dt=2026-11-24/hour=12/limits.gz", List.of(
                envelope(eventJson("ahead", "dev-1", arrival.plus(Duration.ofMinutes(30)), "1"), arrival, "1"),
                envelope(eventJson("behind", "dev-1", arrival.minus(Duration.ofMinutes(59)), "1"), arrival, "2"),
                envelope(eventJson("too-late", "dev-1", arrival.minus(Duration.ofMinutes(61)), "1"), arrival, "3"),
                envelope(eventJson("too-far", "dev-1", arrival.plus(Duration.ofMinutes(61)), "1"), arrival, "4")));

        configured.load(object);

        assertThat(warehouse.query("SELECT event_id, to_char(window_start AT TIME ZONE 'UTC', 'HH24:MI') FROM " + schema
                + ".events ORDER BY ts").rows()).containsExactly(List.of("behind", "11:00"), List.of("ahead", "12:30"));
        assertThat(warehouse.query("SELECT reason FROM " + schema + ".quarantine ORDER BY line_no").rows())
                .containsExactly(List.of("TOO_LATE"), List.of("FUTURE_TIMESTAMP"));
    }

    @Test
    void migrationV005KeepsRowsLoadedBeforeItAndGivesThemTheirOneMinuteWindow() {
        String old = STACK.newSchema("before");
        JdbcWarehouse before = STACK.warehouse(old);
        Migrations.bootstrap(old).forEach(before::query);
        for (Migration m : Migrations.all().subList(0, 4)) {
            m.statements(Dialect.POSTGRES, old).forEach(before::query);
            before.query(Migrations.record(Dialect.POSTGRES, old, m));
        }
        before.query("INSERT INTO " + old + ".events (event_id, device_id, ts, dt, schema_version, metrics, metric_count, "
                + "arrived_at, source_key, source_line, copies_seen, loaded_at) VALUES ('e1', 'dev-1', "
                + "'2026-11-24 10:15:30.5+00', '2026-11-24', 1, '{\"temperature\":1.0}', 1, '2026-11-24 10:16:00+00', "
                + "'raw/old.gz', 1, 1, '2026-11-24 11:00:00+00')");

        assertThat(before.migrate()).containsExactly(5, 6, 7, 8);
        before.load(put("raw/dt=2026-11-24/hour=10/after-migration.gz", List.of(
                envelope(eventJson("e1", "dev-1", Instant.parse("2026-11-24T10:15:40Z"), "2"), Instant.parse("2026-11-24T10:16:00Z"), "9"),
                envelope(eventJson("e1", "dev-2", Instant.parse("2026-11-24T10:15:40Z"), "3"), Instant.parse("2026-11-24T10:16:00Z"), "10"))));

        assertThat(before.query("SELECT device_id, to_char(window_start AT TIME ZONE 'UTC', 'HH24:MI'), copies_seen FROM " + old
                + ".events ORDER BY device_id").rows()).containsExactly(List.of("dev-1", "10:15", 2L), List.of("dev-2", "10:15", 1L));
    }

    @Test
    void migrationV006KeysEventsByDeviceWindowThenEventIdAndDropsTheIndexThatKeyReplaces() {
        // A load probes (device, window, eventId) and counts per (device, window): one index in this order serves both.
        assertThat(warehouse.query("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                + "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = CAST('" + schema + ".events' AS regclass) AND i.indisprimary "
                + "ORDER BY array_position(CAST(i.indkey AS int2[]), a.attnum)").rows())
                .containsExactly(List.of("device_id"), List.of("window_start"), List.of("event_id"));
    }

    @Test
    void migrationV008FindsEventsByDayThroughABlockRangeIndexInsteadOfABTree() {
        // One B-tree entry per inserted row was about a quarter of a load's insert; a BRIN index is Redshift's zone maps.
        assertThat(warehouse.query("SELECT c.relname, am.amname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "JOIN pg_am am ON am.oid = c.relam WHERE i.indrelid = CAST('" + schema + ".events' AS regclass) ORDER BY c.relname").rows())
                .containsExactly(List.of("events_dt_ts_brin", "brin"), List.of("events_pkey", "btree"));
        assertThat(warehouse.query("SELECT indexdef FROM pg_indexes WHERE schemaname = '" + schema + "' AND indexname = 'events_dt_ts_brin'")
                .rows().get(0).get(0).toString()).endsWith("USING brin (dt, ts)");
    }

    // ---- helpers

    private static final Instant FULL_WINDOW = Instant.parse("2026-11-24T10:00:00Z");

    private JdbcWarehouse capped(int maxEventsPerWindow) {
        return new JdbcWarehouse(STACK.postgres().dataSource(), STACK.s3(), schema, LoadRules.defaults().withMaxEventsPerWindow(maxEventsPerWindow));
    }

    /** An envelope line of an event in {@link #FULL_WINDOW}, at the given sequence number. */
    private static byte[] inFullWindow(String eventId, String device, String sequence) {
        return envelope(eventJson(eventId, device, FULL_WINDOW.plusSeconds(Long.parseLong(sequence) % 60), "1"), FULL_WINDOW.plusSeconds(70), sequence);
    }

    private JdbcWarehouse at(Instant now) {
        return new JdbcWarehouse(STACK.postgres().dataSource(), STACK.s3(), schema, LoadRules.defaults(), Clock.fixed(now, ZoneOffset.UTC), LoadFailpoint.NONE);
    }

    /** A plain (legacy) line's event time: shortly before now, so its object's LastModified accepts it. */
    private static final Instant LEGACY_TS = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES).plusSeconds(10);

    private static byte[] plainEvent(String id, String device, String temperature) {
        return eventJson(id, device, LEGACY_TS, temperature).getBytes(StandardCharsets.UTF_8);
    }

    private static String legacyWindow() {
        return LEGACY_TS.atZone(ZoneOffset.UTC).toLocalTime().toString().substring(0, 5);
    }

    private static String eventJson(String id, String device, Instant ts, String temperature) {
        return "{\"schemaVersion\":1,\"eventId\":\"" + id + "\",\"deviceId\":\"" + device + "\",\"ts\":\"" + ts
                + "\",\"metrics\":{\"temperature\":" + temperature + "}}";
    }

    private static byte[] envelope(String record, Instant arrival, String sequence) {
        return RawLines.envelope(record, arrival, SHARD, sequence);
    }

    private long longValue(String sql) {
        return ((Number) warehouse.query(sql).rows().get(0).get(0)).longValue();
    }

    private static RawObject put(String key, List<byte[]> lines) {
        return STACK.put(key, lines);
    }
}
