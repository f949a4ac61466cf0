package io.twinflow.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.live.LiveJson;
import io.twinflow.live.LiveStateReader;
import io.twinflow.local.config.Endpoints;
import io.twinflow.local.simulate.KinesisPublisher;
import io.twinflow.local.simulate.PlannedRecord;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The live API of the embedded stack over real HTTP: events sent through Kinesis, processed by the stream
 * processor, then read back on every route with a standard HTTP client, bad requests included.
 */
class LiveApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEVICES = 23;
    private static final Set<String> HOT = Set.of("api-dev-00", "api-dev-01", "api-dev-02");
    /** Inside one minute window, so each device has one window whose count is known. */
    private static final Instant EVENT_TIME = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(1);

    private static EmbeddedRuntime runtime;
    private static URI api;
    private static HttpClient http;
    private static DynamoDbClient dynamoDb;
    private static LiveStateReader reader;

    @BeforeAll
    static void start() throws Exception {
        runtime = EmbeddedRuntime.start(PipelineSpec.withPrefix("apitest"), new PrintStream(OutputStream.nullOutputStream()));
        api = URI.create(runtime.endpoints().api());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        PipelineSpec spec = runtime.spec();
        List<PlannedRecord> records = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            String device = String.format("api-dev-%02d", i);
            double temperature = HOT.contains(device) ? 71.5 : 20.0 + i;
            String location = i == 5 ? ",\"location\":{\"lat\":52.52,\"lon\":13.4}" : "";
            for (int n = 0; n < 2; n++) {
                String eventId = device + "-e" + n;
                String data = "{\"schemaVersion\":1,\"eventId\":\"" + eventId + "\",\"deviceId\":\"" + device + "\",\"ts\":\""
                        + EVENT_TIME.plusSeconds(n) + "\",\"metrics\":{\"temperature\":" + (temperature + n) + ",\"battery\":0.9}"
                        + location + "}";
                records.add(new PlannedRecord(PlannedRecord.Kind.VALID, device, data.getBytes(StandardCharsets.UTF_8), eventId,
                        EVENT_TIME.plusSeconds(n), null, false, null));
            }
        }
        System.setProperty("aws.cborEnabled", "false");
        try (KinesisClient kinesis = runtime.services().endpoints().kinesisClient()) {
            assertThat(new KinesisPublisher(kinesis, spec.stream().name()).put(records)).doesNotContainNull();
        }
        MappingProgress.awaitSettled(runtime.mapping(), records.size());
        dynamoDb = runtime.services().endpoints().dynamoDbClient();
        reader = new LiveStateReader(dynamoDb, spec.tables().deviceState(),
                spec.tables().deviceWindows(), spec.tables().alerts());
    }

    @AfterAll
    static void stop() {
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void theBaseUrlIsLoopbackAndWrittenToTheEndpointsFileAsApi(@TempDir Path dir) throws Exception {
        assertThat(api.getHost()).isEqualTo("127.0.0.1");
        Path file = dir.resolve(Endpoints.FILE_NAME);
        runtime.endpoints().write(file);
        assertThat(JSON.readTree(file.toFile()).get("api").asText()).isEqualTo(api.toString());
    }

    @Test
    void walkingTheDevicePagesToTheEndReturnsEveryDeviceExactlyOnce() throws Exception {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok("/v1/devices?limit=5" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertThat(page.get("devices").size()).isLessThanOrEqualTo(5);
            page.get("devices").forEach(d -> {
                seen.add(d.get("deviceId").asText());
                assertThat(d.get("metrics").get("temperature").isNumber()).isTrue();
            });
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null && pages < 20);
        assertThat(cursor).isNull();
        assertThat(seen).doesNotHaveDuplicates().hasSize(DEVICES);
        assertThat(pages).isBetween(5, 6);
    }

    @Test
    void aDeviceIsExactlyWhatStateJsonPrints() throws Exception {
        JsonNode device = ok("/v1/devices/api-dev-05");
        assertThat(device).isEqualTo(tree(LiveJson.state(reader.state("api-dev-05").orElseThrow())));
        assertThat(device.get("ts").asText()).isEqualTo(EVENT_TIME.plusSeconds(1).toString());
        assertThat(device.get("location").get("lat").asDouble()).isEqualTo(52.52);
        assertThat(ok("/v1/devices/api-dev-06").has("location")).isFalse();
    }

    @Test
    void windowsAreExactlyWhatMetricsJsonPrints() throws Exception {
        Instant from = EVENT_TIME.minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        Instant to = EVENT_TIME.plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        JsonNode windows = ok("/v1/devices/api-dev-07/windows?from=" + from + "&to=" + to);
        assertThat(windows).isEqualTo(tree(LiveJson.windows(reader.windows("api-dev-07", from, to))));
        assertThat(windows).hasSize(1);
        assertThat(windows.get(0).get("count").asLong()).isEqualTo(2);
        assertThat(ok("/v1/devices/api-dev-07/windows")).hasSize(1);
    }

    @Test
    void theFleetsAlertsAndOneDevicesAlertsAreTheHotDevices() throws Exception {
        String since = EVENT_TIME.minus(Duration.ofMinutes(5)).toString();
        JsonNode fleet = ok("/v1/alerts?since=" + since);
        Set<String> devices = new TreeSet<>();
        fleet.forEach(a -> {
            devices.add(a.get("deviceId").asText());
            assertThat(a.get("ruleId").asText()).isEqualTo("high-temperature");
            assertThat(a.get("operator").asText()).isEqualTo(">");
            assertThat(a.get("threshold").asDouble()).isEqualTo(50.0);
            assertThat(a.get("peak").asDouble()).isEqualTo(72.5);
            assertThat(Instant.parse(a.get("windowEnd").asText())).isAfter(Instant.parse(a.get("windowStart").asText()));
        });
        assertThat(devices).containsExactlyInAnyOrderElementsOf(HOT);
        assertThat(ok("/v1/alerts?since=" + since + "&deviceId=api-dev-01")).singleElement()
                .satisfies(a -> assertThat(a.get("deviceId").asText()).isEqualTo("api-dev-01"));
        assertThat(ok("/v1/alerts?deviceId=api-dev-09")).isEmpty();
    }

    @Test
    void badRequestsGetTheirStatusAndReasonCodeAsJson() throws Exception {
        String good = ok("/v1/devices?limit=1").get("next").asText();
        String tampered = good.substring(0, good.length() - 1) + (good.endsWith("A") ? "B" : "A");
        assertError("GET", "/v1/devices/not%20valid", 400, "BAD_DEVICE_ID");
        assertError("GET", "/v1/devices/" + "x".repeat(129) + "/windows", 400, "BAD_DEVICE_ID");
        assertError("GET", "/v1/alerts?deviceId=a%2Fb", 400, "BAD_DEVICE_ID");
        assertError("GET", "/v1/devices/api-dev-99", 404, "DEVICE_NOT_FOUND");
        assertError("GET", "/v1/devices?limit=0", 400, "BAD_LIMIT");
        assertError("GET", "/v1/devices?limit=5&limit=6", 400, "BAD_LIMIT");
        assertError("GET", "/v1/devices?cursor=" + tampered, 400, "BAD_CURSOR");
        assertError("GET", "/v1/devices?cursor=%25ZZ", 400, "BAD_CURSOR");
        assertError("GET", "/v1/devices/api-dev-01/windows?from=yesterday", 400, "BAD_TIME");
        assertError("GET", "/v1/devices/api-dev-01/windows?from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z", 400, "BAD_RANGE");
        assertError("GET", "/v1/alerts?since=2020-01-01T00:00:00Z", 400, "BAD_RANGE");
        assertError("GET", "/v1/devices?page=2", 400, "UNKNOWN_PARAMETER");
        assertError("GET", "/v2/devices", 404, "NOT_FOUND");
        assertError("GET", "/", 404, "NOT_FOUND");
        HttpResponse<String> post = assertError("POST", "/v1/devices", 405, "METHOD_NOT_ALLOWED");
        assertThat(post.headers().firstValue("allow")).contains("GET");
        assertError("DELETE", "/v1/devices/api-dev-01", 405, "METHOD_NOT_ALLOWED");
    }

    /** What the CLI prints with --json, read back as JSON. */
    private static JsonNode tree(Object cliShape) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(cliShape));
    }

    private static JsonNode ok(String pathAndQuery) throws Exception {
        HttpResponse<String> response = send("GET", pathAndQuery);
        assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("application/json; charset=utf-8");
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> assertError(String method, String pathAndQuery, int status, String code) throws Exception {
        HttpResponse<String> response = send(method, pathAndQuery);
        assertThat(response.statusCode()).as(method + " " + pathAndQuery + ": " + response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).as(pathAndQuery).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank().doesNotContain("Exception");
        return response;
    }

    private static HttpResponse<String> send(String method, String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
